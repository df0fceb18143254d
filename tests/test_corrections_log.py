"""The public corrections log, ``/corrections/``, and its feed (issue 8): corrections of
public releases only, newest first, 20 a page, escaped, a fixed query count, 304."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse

from releases.models import Correction
from tests.factories import ReleaseFactory, editor, writer

pytestmark = pytest.mark.django_db

LOG = "/corrections/"
FEED = "/feeds/corrections.atom"
NOTED = datetime(2030, 1, 2, 9, 0, tzinfo=UTC)  # after every save in these tests


def correct(release, note, noted_at=NOTED):
    return release.corrections.create(note=note, noted_at=noted_at)


@pytest.fixture
def hidden_notes():
    """One correction on each kind of release that is not public, and their notes."""
    kinds = {
        "draft": {"draft": True},
        "in review": {"in_review": True},
        "scheduled": {"scheduled": True},
        "embargoed": {"embargoed": True},
        "withdrawn": {"withdrawn": True},
    }
    notes = []
    for kind, traits in kinds.items():
        release = ReleaseFactory(headline=f"Secret {kind} headline", **traits)
        notes.append(correct(release, f"Note on the {kind} release").note)
    return notes


def test_the_routes_are_named():
    assert reverse("releases:corrections") == LOG
    assert reverse("releases:feed_corrections") == FEED


@pytest.mark.parametrize("role", ["anonymous", "writer", "editor"])
def test_corrections_of_non_public_releases_never_appear(client, hidden_notes, role):
    if role != "anonymous":
        client.force_login(writer() if role == "writer" else editor())
    correct(ReleaseFactory(headline="Clinics open"), "Public note")
    page = client.get(LOG).content.decode()
    feed = client.get(FEED).content.decode()
    assert "Public note" in page and "Public note" in feed
    for note in hidden_notes:
        assert note not in page and note not in feed
    assert "Secret" not in page and "Secret" not in feed


def test_a_correction_leaves_the_log_when_its_release_is_withdrawn(client):
    release = ReleaseFactory()
    correct(release, "Soon gone")
    assert "Soon gone" in client.get(LOG).content.decode()
    release.status, release.withdrawn_at = "withdrawn", NOTED
    release.save()
    assert "Soon gone" not in client.get(LOG).content.decode()


def test_an_entry_links_the_headline_and_gives_date_with_zone(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    release = ReleaseFactory(headline="Clinics open")
    correct(release, "The figure was 12 %.")
    page = client.get(LOG).content.decode()
    assert f'<a href="{release.get_absolute_url()}#corrections">Clinics open</a>' in page
    assert '<time datetime="2030-01-02T10:00:00+01:00">2 January 2030, 10:00 CET</time>' in page
    assert "The figure was 12 %." in page


def test_notes_and_headlines_are_escaped(client):
    correct(ReleaseFactory(headline="A <b>bold</b> claim"), "<script>alert(1)</script>")
    page = client.get(LOG).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A &lt;b&gt;bold&lt;/b&gt; claim" in page


def test_newest_correction_comes_first(client):
    release = ReleaseFactory()
    correct(release, "Older note", NOTED)
    correct(ReleaseFactory(), "Newest note", NOTED + timedelta(days=2))
    correct(release, "Middle note", NOTED + timedelta(days=1))
    page = client.get(LOG).content.decode()
    assert page.index("Newest note") < page.index("Middle note") < page.index("Older note")


def test_twenty_a_page_and_past_the_end_is_404(client):
    release = ReleaseFactory()
    for n in range(21):
        correct(release, f"Note number {n:02d}.", NOTED + timedelta(minutes=n))
    first = client.get(LOG).content.decode()
    assert first.count("Note number") == 20
    assert "Note number 00." not in first
    assert 'rel="next" href="?page=2"' in first
    second = client.get(LOG, {"page": 2}).content.decode()
    assert second.count("Note number") == 1 and "Note number 00." in second
    assert client.get(LOG, {"page": 3}).status_code == 404
    assert client.get(LOG, {"page": 0}).status_code == 404


def test_a_page_number_that_is_not_a_number_is_a_400(client):
    response = client.get(LOG, {"page": "two"})
    assert response.status_code == 400
    assert "whole number" in response.content.decode()


def test_an_empty_log_says_so(client):
    response = client.get(LOG)
    assert response.status_code == 200
    assert "No corrections so far." in response.content.decode()


def test_the_page_has_title_description_canonical_and_feed_link(client):
    page = client.get(LOG).content.decode()
    assert "<title>Corrections · " in page
    assert '<meta name="description" content="Every correction' in page
    assert '<link rel="canonical" href="http://testserver/corrections/">' in page
    assert '<link rel="alternate" type="application/atom+xml" title="Corrections' in page
    assert f'href="{FEED}"' in page


def test_every_page_links_the_log_in_its_footer(client):
    page = client.get(reverse("releases:home")).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert f'<a href="{LOG}">Corrections</a>' in footer


def test_the_sitemap_lists_the_log(client):
    section = client.get(reverse("sitemap_section", kwargs={"section": "pages"}))
    assert "http://testserver/corrections/" in section.content.decode()


def test_the_feed_is_valid_atom_with_one_entry_per_correction(client):
    release = ReleaseFactory(headline="Clinics open")
    first = correct(release, "First <note> & more", NOTED)
    correct(release, "Second note", NOTED + timedelta(hours=1))
    response = client.get(FEED)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Correction: Clinics open"] * 2
    newest, oldest = feed.entries
    assert newest.link == f"http://testserver{release.get_absolute_url()}#corrections"
    assert oldest.summary == "<p>First &lt;note&gt; &amp; more</p>"
    assert oldest.id == f"tag:testserver,2030-01-02:correction/{first.pk}"
    assert oldest.updated_parsed[:5] == (2030, 1, 2, 9, 0)


@pytest.mark.parametrize("count", [3, 30])
def test_the_log_and_feed_run_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    releases = [ReleaseFactory() for _ in range(3)]
    for n in range(count):
        correct(releases[n % 3], f"Note {n}", NOTED + timedelta(minutes=n))
    client.get(LOG)
    cache.clear()
    # The version, the count, the page of corrections with their releases.
    with django_assert_num_queries(3):
        assert client.get(LOG).status_code == 200
    # The version, the entries with their releases.
    with django_assert_num_queries(2):
        assert client.get(FEED).status_code == 200


@pytest.mark.parametrize("path", [LOG, FEED])
def test_an_unchanged_log_answers_304_and_a_new_correction_changes_it(client, path):
    release = ReleaseFactory()
    correct(release, "First")
    response = client.get(path)
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(path, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    Correction.objects.create(release=release, note="Another", noted_at=NOTED)
    changed = client.get(path, headers={"if-none-match": response["ETag"]})
    assert changed.status_code == 200
    assert "Another" in changed.content.decode()
