"""Per-release downloads: the wire-copy PDF, the plain text and their links on the page.

Public releases only: anything else is 404 for everyone (staff included), a withdrawn
release that was public is 410, an old slug 301s to the download under the new one.
"""

import io
import json
import re
import socket
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from PIL import Image

from releases.downloads.pdf import LocalFetcher, media_name, render_release_html
from releases.downloads.text import html_to_text
from releases.models import Release, Status
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    editor,
)

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime(2024, 9, 1, 9, 0, tzinfo=UTC)
DOWNLOADS = ["releases:download_pdf", "releases:download_text", "releases:download_ninjs"]
NOT_PUBLIC = ["draft", "in_review", "scheduled", "embargoed"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rendered PDFs are cached across requests; every test starts without them.
    cache.clear()
    yield
    cache.clear()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 60, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def full_release(media_root):
    zeta = OrganizationFactory(name="Zeta Trust", boilerplate="Zeta Trust funds research.")
    zeta.logo.save("zeta.png", ContentFile(_png()))
    alpha = OrganizationFactory(name="Alpha Fund", boilerplate="Alpha Fund backs founders.")
    jane = ContactFactory(
        name="Jane Roe",
        role="Head of press",
        organization=zeta,
        phone="+442079460000",
        email="jane@zeta.example",
    )
    john = ContactFactory(name="John Doe", role="Spokesperson", organization=alpha, phone="")
    return ReleaseFactory(
        headline="Zeta and Alpha launch a fund",
        subheadline="Ten million for early research",
        dateline="London",
        body=(
            "<p>The fund opens to applications in October.</p>"
            '<p>Read <a href="https://example.org/rules">the rules</a> first.</p>'
            "<ul><li>Grants of up to 50,000</li><li>Decisions within 8 weeks</li></ul>"
            "<blockquote><p>We want more bold ideas.</p></blockquote>"
            # A remote image must never be fetched by the server.
            '<p><img src="https://images.example.com/chart.png" alt="A chart"></p>'
        ),
        published_at=PUBLISHED_AT,
        organizations=[zeta, alpha],
        contacts=[jane, john],
        author=AuthorFactory(name="Sam Author", bio="Sam covers science policy."),
        tags=["research"],
    )


def _url(name, release_or_slug) -> str:
    slug = getattr(release_or_slug, "slug", release_or_slug)
    return reverse(name, kwargs={"slug": slug})


def _words(text: str) -> str:
    return " ".join(text.split())


# -- the PDF --------------------------------------------------------------------------


def test_pdf_is_wire_copy_with_every_part_and_is_not_rendered_twice(
    client, full_release, monkeypatch, django_assert_max_num_queries
):
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda *args: connections.append(args))

    # Rendering: the release with its parts (4), its corrections (1) and its
    # attachments, the files the PDF may print (1).
    with django_assert_max_num_queries(6):
        response = client.get(_url("releases:download_pdf", full_release))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{full_release.slug}.pdf"'
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = _words("\n".join(page.extract_text() for page in reader.pages))
    for part in [
        "FOR IMMEDIATE RELEASE",
        "Zeta and Alpha launch a fund",
        "Ten million for early research",
        "LONDON, 1 September 2024 —",
        "The fund opens to applications in October.",
        "About Zeta Trust",
        "Zeta Trust funds research.",
        "About Alpha Fund",
        "Alpha Fund backs founders.",
        "###",
        "Jane Roe",
        "+44 20 7946 0000",
        "jane@zeta.example",
        "John Doe",
        "Sam covers science policy.",
        "Page 1 of",
        f"http://testserver{full_release.get_absolute_url()}",
    ]:
        assert part in text, part
    assert reader.metadata.title == "Zeta and Alpha launch a fund"
    assert len(reader.pages[0].images) == 1, "the issuer's logo"
    assert connections == [], "rendering must not open network connections"

    # The second request comes from the cache: no rendering, same bytes.
    monkeypatch.setattr(
        "releases.downloads.pdf._write_pdf", lambda *a: pytest.fail("rendered twice")
    )
    with django_assert_max_num_queries(5):  # the release, its parts and corrections
        again = client.get(_url("releases:download_pdf", full_release))
    assert again.content == response.content

    # A client holding this version gets a 304, also without rendering.
    not_modified = client.get(
        _url("releases:download_pdf", full_release), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_pdf_html_escapes_the_headline(full_release):
    full_release.headline = "<script>alert('x')</script> & more"
    full_release.subheadline = '"><img src=x onerror=alert(1)>'
    full_release.save()
    release = Release.objects.with_parts().get(pk=full_release.pk)

    html = render_release_html(release, release_url="https://news.example/r/")

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html
    assert "<img src=x" not in html


def test_pdf_html_shows_the_issuers_logo_from_its_storage_url(full_release):
    release = Release.objects.with_parts().get(pk=full_release.pk)

    html = render_release_html(release, release_url="https://news.example/r/")

    # MEDIA_URL + stored name: the fetcher reads it back through the storage.
    logo = release.issuer.logo.name
    assert re.search(rf'<img class="logo" src="/media/{re.escape(logo)}"', html)


def test_pdf_changes_when_an_organization_changes(client, full_release):
    first = client.get(_url("releases:download_pdf", full_release))
    zeta = full_release.organizations.get(name="Zeta Trust")
    zeta.boilerplate = "Zeta Trust now also funds teaching."
    zeta.save()

    second = client.get(_url("releases:download_pdf", full_release))

    assert second["ETag"] != first["ETag"]
    text = _words(pypdf.PdfReader(io.BytesIO(second.content)).pages[0].extract_text())
    assert "Zeta Trust now also funds teaching." in text


# -- fetching: local media and static files only ---------------------------------------


def test_fetcher_reads_the_releases_own_media_files_through_their_storage(media_root):
    (media_root / "logo.png").write_bytes(_png())
    storage = FileSystemStorage(location=media_root)

    fetcher = LocalFetcher("https://news.example/", allowed_media={"logo.png": storage})
    fetched = fetcher.fetch("https://news.example/media/logo.png")

    assert fetched.read() == _png()
    assert (
        media_name("https://news.example/media/a/b%20c.png", site_root="https://news.example/")
        == "a/b c.png"
    )


def test_fetcher_reads_static_files_from_disk():
    fetched = LocalFetcher("https://news.example/").fetch("https://news.example/static/css/pdf.css")

    assert b"@page" in fetched.read()


@pytest.mark.parametrize(
    "url",
    [
        "https://images.example.com/chart.png",
        "http://169.254.169.254/latest/meta-data/",
        "https://news.example/releases/",
        "https://news.example/media/../../../../etc/passwd",
        "https://news.example/media/a/%2E%2E/%2E%2E/etc/passwd",
        "https://news.example/static/../../../../etc/passwd",
        "https://news.example/media/missing.png",
        "file:///etc/passwd",
        "ftp://news.example/media/logo.png",
    ],
)
def test_fetcher_refuses_anything_but_this_sites_files(media_root, url):
    with pytest.raises(ValueError, match="not fetched"):
        LocalFetcher("https://news.example/").fetch(url)


def test_an_uploaded_file_is_never_read_by_its_path_on_disk(media_root):
    """``file:`` URLs reach static files only: a path would bypass the storage and the
    visibility check."""
    (media_root / "logo.png").write_bytes(_png())
    storage = FileSystemStorage(location=media_root)
    fetcher = LocalFetcher("https://news.example/", allowed_media={"logo.png": storage})

    with pytest.raises(ValueError, match="not fetched"):
        fetcher.fetch((media_root / "logo.png").as_uri())


def test_a_media_file_that_is_neither_the_releases_own_nor_public_is_not_fetched(media_root):
    (media_root / "logo.png").write_bytes(_png())

    with pytest.raises(ValueError, match="Not a public media file"):
        LocalFetcher("https://news.example/").fetch("https://news.example/media/logo.png")


def test_a_release_own_file_missing_from_storage_is_left_out(media_root):
    storage = FileSystemStorage(location=media_root)
    fetcher = LocalFetcher("https://news.example/", allowed_media={"gone.png": storage})

    with pytest.raises(ValueError, match="missing from storage"):
        fetcher.fetch("https://news.example/media/gone.png")


def test_a_public_pdf_never_prints_the_image_of_a_draft(client, media_root):
    """A public release's body pointing at a draft's (or embargoed release's) image
    prints no image; pointing at a public release's image prints it."""
    hidden = ReleaseFactory(status=Status.DRAFT, featured_image_alt="Secret product")
    hidden.featured_image.save("secret.png", ContentFile(_png()))
    shown = ReleaseFactory(featured_image_alt="A public chart")
    shown.featured_image.save("chart.png", ContentFile(_png()))

    def images_in_pdf_of(body_image_url):
        release = ReleaseFactory(body=f'<p>See</p><p><img src="{body_image_url}" alt="x"></p>')
        response = client.get(_url("releases:download_pdf", release))
        assert response.status_code == 200
        return len(pypdf.PdfReader(io.BytesIO(response.content)).pages[0].images)

    assert images_in_pdf_of(hidden.featured_image.url) == 0
    assert images_in_pdf_of(shown.featured_image.url) == 1


# -- plain text -----------------------------------------------------------------------


def test_text_is_wire_copy_with_every_part_in_order(client, full_release):
    response = client.get(_url("releases:download_text", full_release))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="{full_release.slug}.txt"'
    text = response.content.decode()
    parts = [
        "FOR IMMEDIATE RELEASE",
        "Zeta and Alpha launch a fund",
        "Ten million for early research",
        "LONDON, 1 September 2024 — The fund opens to applications in October.",
        "Read the rules (https://example.org/rules) first.",
        "- Grants of up to 50,000\n- Decisions within 8 weeks",
        "    We want more bold ideas.",
        "About Zeta Trust\n\nZeta Trust funds research.",
        "About Alpha Fund\n\nAlpha Fund backs founders.",
        "\n###\n",
        "Jane Roe\nHead of press, Zeta Trust\nPhone: +44 20 7946 0000\nEmail: jane@zeta.example",
        "John Doe\nSpokesperson, Alpha Fund",
        "Sam Author",
        "Sam covers science policy.",
        f"http://testserver{full_release.get_absolute_url()}",
    ]
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions), "the parts are out of order"
    assert max(len(line) for line in text.splitlines()) <= 72


def test_text_of_html_separates_paragraphs_and_marks_lists_quotes_and_links():
    html = (
        "<p>One &amp; <em>only</em>.</p><p>Two<br>lines.</p>"
        "<ol><li>First</li><li><p>Second</p><ul><li>Nested</li></ul></li></ol>"
        "<blockquote><p>Quoted.</p></blockquote>"
        '<p><a href="/releases/other/">Other</a>, <a href="mailto:a@b.example">mail</a>, '
        '<a href="https://example.org/">https://example.org/</a></p>'
    )

    text = html_to_text(html, base_url="https://news.example/releases/this/")

    assert text == (
        "One & only.\n\n"
        "Two\nlines.\n\n"
        "1. First\n2. Second\n  - Nested\n\n"
        "    Quoted.\n\n"
        "Other (https://news.example/releases/other/), mail (a@b.example),\n"
        "https://example.org/"
    )


def test_text_of_html_wraps_long_paragraphs_at_72_columns():
    sentence = "Every word of this sentence is part of a very long paragraph. " * 8
    text = html_to_text(f"<p>{sentence}</p><blockquote><p>{sentence}</p></blockquote>")

    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 72
    assert all(line.startswith("    ") for line in text.split("\n\n")[1].splitlines())
    assert _words(text) == _words(f"{sentence} {sentence}")


def test_text_puts_the_dateline_on_its_own_line_before_a_leading_list(client):
    release = ReleaseFactory(body="<ul><li>Point one</li></ul>", published_at=PUBLISHED_AT)

    text = client.get(_url("releases:download_text", release)).content.decode()

    assert "LONDON, 1 September 2024 —\n\n- Point one" in text


# -- ninjs ------------------------------------------------------------------------------


def test_ninjs_is_the_release_as_a_usable_news_item(
    client, full_release, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):  # the release, its parts, corrections and attachments
        response = client.get(_url("releases:download_ninjs", full_release))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (f'inline; filename="{full_release.slug}.ninjs.json"')
    item = json.loads(response.content)
    assert item["uri"] == f"http://testserver{full_release.get_absolute_url()}"
    assert item["pubStatus"] == "usable"
    assert item["headlines"][0] == {"role": "main", "value": "Zeta and Alpha launch a fund"}
    assert [o["name"] for o in item["organisations"]] == ["Zeta Trust", "Alpha Fund"]
    repeat = client.get(
        _url("releases:download_ninjs", full_release), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert repeat.status_code == 304


# -- who may download what ----------------------------------------------------------------


@pytest.mark.parametrize("name", DOWNLOADS)
@pytest.mark.parametrize("trait", NOT_PUBLIC)
def test_release_that_is_not_public_is_404_even_for_staff(client, name, trait):
    release = ReleaseFactory(**{trait: True})

    assert client.get(_url(name, release)).status_code == 404
    client.force_login(editor())
    response = client.get(_url(name, release))
    assert response.status_code == 404
    assert release.headline not in response.content.decode()


@pytest.mark.parametrize("name", DOWNLOADS)
def test_unknown_slug_is_404(client, name):
    assert client.get(_url(name, "no-such-release")).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_withdrawn_release_is_410(client, name):
    release = ReleaseFactory(published_at=PUBLISHED_AT, withdrawn=True)

    response = client.get(_url(name, release))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


@pytest.mark.parametrize("name", DOWNLOADS)
def test_release_withdrawn_before_it_went_public_is_404(client, name):
    release = ReleaseFactory(
        published_at=timezone.now() + timedelta(days=1),
        withdrawn=True,
    )

    assert client.get(_url(name, release)).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_old_slug_redirects_permanently_to_the_download_under_the_new_slug(client, name):
    release = ReleaseFactory(slug="old-name", published_at=PUBLISHED_AT)
    release.slug = "new-name"
    release.save()

    response = client.get(_url(name, "old-name"))

    assert response.status_code == 301
    assert response["Location"] == _url(name, "new-name")


@pytest.mark.parametrize("name", DOWNLOADS)
def test_old_slug_of_a_release_that_is_not_public_is_404(client, name):
    release = ReleaseFactory(slug="old-draft", draft=True)
    release.slug = "new-draft"
    release.save()

    assert client.get(_url(name, "old-draft")).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_downloads_answer_get_and_head_only(client, name):
    release = ReleaseFactory()

    assert client.post(_url(name, release)).status_code == 405


# -- caching headers ------------------------------------------------------------------------


def test_text_repeat_with_the_etag_is_304(client, full_release, django_assert_max_num_queries):
    first = client.get(_url("releases:download_text", full_release))
    assert first["ETag"]
    assert first["Last-Modified"] == http_date(full_release.updated_at.timestamp())
    assert first["Link"] == f'<http://testserver{full_release.get_absolute_url()}>; rel="canonical"'

    with django_assert_max_num_queries(5):  # the release, its parts and corrections
        repeat = client.get(
            _url("releases:download_text", full_release), HTTP_IF_NONE_MATCH=first["ETag"]
        )

    assert repeat.status_code == 304
    assert repeat["ETag"] == first["ETag"]


def test_text_since_last_modified_is_304(client, full_release):
    first = client.get(_url("releases:download_text", full_release))

    repeat = client.get(
        _url("releases:download_text", full_release),
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )

    assert repeat.status_code == 304


def test_etag_changes_when_a_contact_changes(client, full_release):
    first = client.get(_url("releases:download_text", full_release))
    full_release.contacts.filter(name="Jane Roe").update(phone="+442079460999")

    second = client.get(_url("releases:download_text", full_release))

    assert second["ETag"] != first["ETag"]
    assert "+44 20 7946 0999" in second.content.decode()


def test_last_modified_is_when_the_embargo_lifted_if_that_is_later(client):
    lifted = timezone.now() - timedelta(minutes=5)
    release = ReleaseFactory(
        published_at=timezone.now() - timedelta(days=2), embargoed_until=lifted
    )
    Release.objects.filter(pk=release.pk).update(updated_at=lifted - timedelta(days=1))

    response = client.get(_url("releases:download_text", release))

    assert response["Last-Modified"] == http_date(lifted.timestamp())


@pytest.mark.parametrize("count", [1, 6])
def test_download_query_count_does_not_grow_with_the_parts(
    client, count, django_assert_max_num_queries
):
    release = ReleaseFactory(
        organizations=OrganizationFactory.create_batch(count),
        contacts=ContactFactory.create_batch(count),
        tags=[f"tag{n}" for n in range(count)],
    )

    with django_assert_max_num_queries(5):  # the release, its parts and corrections
        assert client.get(_url("releases:download_text", release)).status_code == 200


def test_not_public_download_costs_at_most_three_queries(client, django_assert_max_num_queries):
    release = ReleaseFactory(draft=True)

    with django_assert_max_num_queries(3):
        assert client.get(_url("releases:download_pdf", release)).status_code == 404


# -- links on the release page ---------------------------------------------------------------


def test_release_page_links_to_its_downloads(client, full_release):
    html = client.get(full_release.get_absolute_url()).content.decode()

    for name in DOWNLOADS:
        assert f'href="{_url(name, full_release)}"' in html
    assert 'type="application/pdf"' in html
    assert "Download this release as </span>PDF" in html


def test_staff_preview_of_a_draft_has_no_download_links(client):
    release = ReleaseFactory(draft=True)
    client.force_login(editor())

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    for name in DOWNLOADS:
        assert _url(name, release) not in html
