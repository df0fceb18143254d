"""Pages rendered while the facets of the new data version are being computed elsewhere
(another process or instance holds the claim, ``releases.facets.cached_facets``): they
show the previous version's counts, and nothing else of the previous version.

Found by the two-instance coherence test (tests/instances): right after a publication,
``/releases/`` was paged by the previous version's total, so the release published
pushed the oldest one off the list for as long as that page was served; the home page
and the tag index with the previous counts were kept by the page cache as the new
version's pages, until the next change.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from releases import facets, pagecache
from releases.pagecache import STALE_HEADER
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def claim_held_elsewhere(monkeypatch) -> None:
    """Every claim to compute facets is held by another process: a request that finds
    the previous version's facets gets them (``stale``), as readers do while the
    claimant computes the new ones."""
    monkeypatch.setattr(facets.cache, "add", lambda *args, **kwargs: False)


OLD = ["Harbour reopens after the storm", "Museum extends its hours", "Ferry timetable"]


@pytest.fixture
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    pagecache.reset_response_cache()
    yield pagecache.response_cache()
    pagecache.reset_response_cache()


def test_the_list_right_after_a_publication_shows_every_public_release(client, monkeypatch):
    for headline in OLD:
        ReleaseFactory(headline=headline)
    assert client.get("/releases/").status_code == 200  # the facets of 3 releases

    ReleaseFactory(headline="Wind farm names its first site")
    claim_held_elsewhere(monkeypatch)
    response = client.get("/releases/")

    assert response[STALE_HEADER] == "facets"
    text = response.content.decode()
    for headline in [*OLD, "Wind farm names its first site"]:
        assert headline in text
    assert '<p class="result-count" role="status">4 releases</p>' in text


def test_an_archive_that_just_got_its_first_release_is_not_a_404(client, monkeypatch):
    ReleaseFactory(published_at=timezone.now() - timedelta(days=800))
    new = ReleaseFactory.build(headline="The first release of the year")
    year = timezone.localtime(new.published_at).year
    assert client.get(f"/releases/{year}/").status_code == 404  # its facets: none

    ReleaseFactory(headline=new.headline, published_at=new.published_at)
    claim_held_elsewhere(monkeypatch)
    response = client.get(f"/releases/{year}/")

    assert response.status_code == 200
    assert response[STALE_HEADER] == "facets"
    assert new.headline in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/tags/"])
def test_home_and_tag_index_with_the_previous_counts_are_kept_a_moment_only(
    client, page_cache, monkeypatch, url
):
    ReleaseFactory(tags=["harbours"])
    assert client.get(url)["X-Newsroom-Cache"] == "miss"  # the facets of one release

    ReleaseFactory(tags=["ferries"])
    claim_held_elsewhere(monkeypatch)
    stale = client.get(url)

    assert stale[STALE_HEADER] == "facets"
    assert stale["X-Newsroom-Cache"] == "stale"  # not kept as this version's page
    assert "ETag" not in stale and "Last-Modified" not in stale

    monkeypatch.undo()
    monkeypatch.setattr(pagecache, "STALE_SECONDS", 0.0)
    page_cache.clear()
    fresh = client.get(url)
    assert STALE_HEADER not in fresh
    assert b"ferries" in fresh.content


def test_a_page_with_the_previous_counts_is_served_a_quarter_second_at_most(
    client, page_cache, monkeypatch
):
    # Readers arriving together share its render; after that, the next render may have
    # the new counts (tests/instances: within a second on every instance).
    ReleaseFactory(tags=["harbours"])
    client.get("/tags/")
    ReleaseFactory(tags=["ferries"])
    claim_held_elsewhere(monkeypatch)
    assert client.get("/tags/")["X-Newsroom-Cache"] == "stale"
    assert client.get("/tags/")["X-Newsroom-Cache"] == "hit"

    time.sleep(0.26)

    monkeypatch.undo()
    fresh = client.get("/tags/")
    assert fresh["X-Newsroom-Cache"] == "miss"
    assert b"ferries" in fresh.content
