"""Redis down or unreachable: every public page still answers (newsroom/cache.py)."""

import logging

import pytest
from django.core.cache import caches

from releases import pagecache
from tests.factories import ReleaseFactory

NOWHERE = "redis://127.0.0.1:1/0"
PAGES = ["/", "/releases/", "/tags/", "/feeds/releases.atom", "/api/releases/", "/sitemap.xml"]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "newsroom.cache.ResilientRedisCache", "LOCATION": NOWHERE}
    }
    pagecache.reset_response_cache()
    yield caches["default"]
    pagecache.reset_response_cache()


@pytest.mark.django_db
@pytest.mark.parametrize("page_cache", [False, True])
def test_every_public_page_answers_with_redis_unreachable(client, settings, redis_down, page_cache):
    settings.NEWSROOM_PAGE_CACHE = page_cache
    release = ReleaseFactory(headline="Harbour reopens", tags=["harbour"])

    for url in [*PAGES, release.get_absolute_url(), "/tags/harbour/", "/releases/?q=harbour"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Harbour reopens" in client.get("/releases/").content


def test_a_failure_is_a_miss_and_is_logged_once_a_minute(redis_down, caplog):
    from newsroom.cache import ResilientRedisCache

    ResilientRedisCache._logged_at = 0.0
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        assert redis_down.get("key", "default") == "default"
        assert redis_down.get_many(["a", "b"]) == {}
        redis_down.set("key", "value")
        assert redis_down.add("claim", 1) is True  # a claim is the caller's own
        redis_down.delete("key")
        redis_down.clear()

    assert len([r for r in caplog.records if r.name == "newsroom.cache"]) == 1
