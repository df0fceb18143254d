"""Corrections reach every public copy of a release (issue 8): the text and PDF
downloads, JSON-LD, ninjs and the feeds; a correction on a non-public release reaches
none of them."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from releases.exports.ninjs import release_to_ninjs
from releases.models import Release
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

NOTE = "The figure for 2024 was 12 %, not 21 % <sic>."
NOTED = datetime(2030, 1, 2, 9, 0, tzinfo=UTC)  # after every save in these tests


@pytest.fixture
def corrected():
    release = ReleaseFactory(headline="Clinics open")
    release.corrections.create(note=NOTE, noted_at=NOTED)
    return release


def test_the_text_download_prints_the_correction(client, corrected):
    response = client.get(reverse("releases:download_text", args=[corrected.slug]))
    assert "Corrections" in response.content.decode()
    assert f"Updated 2 January 2030: {NOTE}" in response.content.decode()


def test_the_pdf_template_prints_the_correction_escaped(corrected):
    from django.template.loader import render_to_string

    release = Release.objects.with_parts().prefetch_related("corrections").get(pk=corrected.pk)
    html = render_to_string("releases/release.pdf.html", {"release": release})
    assert "Updated 2 January 2030:" in html
    assert "21 % &lt;sic&gt;." in html


def test_json_ld_lists_the_correction_and_its_time_is_date_modified(client, corrected):
    page = client.get(corrected.get_absolute_url()).content.decode()
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(page[start : page.index("</script>", start)])
    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": NOTE, "datePublished": "2030-01-02T09:00:00Z"}
    ]
    assert data["dateModified"] == "2030-01-02T09:00:00Z"


def test_ninjs_carries_the_note_and_its_version_grows_with_each_correction(corrected):
    before = release_to_ninjs(corrected, "https://news.example.org")
    corrected.corrections.create(note="Second fix.", noted_at=NOTED + timedelta(days=1))
    after = release_to_ninjs(corrected, "https://news.example.org")
    notes = [d["value"] for d in after["descriptions"] if d["role"] == "correction"]
    assert notes == [f"Updated 2 January 2030: {NOTE}", "Updated 3 January 2030: Second fix."]
    assert int(after["version"]) > int(before["version"]) >= int(NOTED.timestamp())


@pytest.mark.parametrize("url_name", ["releases:feed_atom", "releases:feed_rss"])
def test_the_feed_entry_carries_the_note_and_is_updated_at_the_correction(
    client, corrected, url_name
):
    feed = client.get(reverse(url_name)).content.decode()
    assert "Updated 2 January 2030:" in feed
    assert "21 % &amp;lt;sic&amp;gt;." in feed  # escaped HTML inside XML
    assert "2030-01-02T09:00:00" in feed


@pytest.mark.parametrize("trait", ["draft", "scheduled", "embargoed"])
def test_a_correction_on_a_non_public_release_appears_on_no_public_surface(client, trait):
    release = ReleaseFactory(**{trait: True})
    release.corrections.create(note="Secret merger partner renamed.", noted_at=NOTED)
    surfaces = [
        reverse("releases:feed_atom"),
        reverse("releases:feed_rss"),
        reverse("releases:download_text", args=[release.slug]),
        reverse("releases:download_ninjs", args=[release.slug]),
    ]
    for url in surfaces:
        assert "Secret merger" not in client.get(url).content.decode(), url
