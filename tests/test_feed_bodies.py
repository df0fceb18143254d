"""Feed entries' bodies rewritten once per release version and then read from the cache
(``releases.body_images.distributed_bodies``): the cached body is always the one a
fresh rewrite gives, whatever changed since (the text, the slug, the images'
renditions, the host asked)."""

from __future__ import annotations

import feedparser
import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from releases.body_images import _distributed_key, distributed_bodies, distributed_body
from releases.models import Attachment, Release
from tests.factories import ReleaseFactory
from tests.test_body_images import Tags, release_with_body_images

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

FEEDS = ["releases:feed_atom", "releases:feed_rss"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def entry_contents(client, url_name: str, **headers) -> dict[str, str]:
    feed = feedparser.parse(client.get(reverse(url_name), **headers).content)
    return {entry.title: entry.content[0].value for entry in feed.entries}


def image_sources(html: str) -> list[str]:
    return [attrs["src"] for tag, attrs in Tags(html).tags if tag == "img"]


def fresh(release_id: int, host: str = "testserver") -> str:
    release = Release.objects.prefetch_related("attachments").get(pk=release_id)
    return distributed_body(release, RequestFactory().get("/", HTTP_HOST=host))


def test_a_body_is_rewritten_once_then_read_from_the_cache():
    release = release_with_body_images()
    request = RequestFactory().get("/")
    first = distributed_bodies([release], request)
    assert first[release.pk] == fresh(release.pk)
    # What the cache holds is what is served: plant a marker under the same key.
    cache.set(_distributed_key(release, request), "<p>planted</p>")
    assert distributed_bodies([release], request)[release.pk] == "<p>planted</p>"


@pytest.mark.parametrize("url_name", FEEDS)
def test_an_edit_of_the_body_shows_in_the_next_feed(client, url_name):
    release = ReleaseFactory(headline="Kelp", body='<p><a href="/a/">Old</a> text</p>')
    before = entry_contents(client, url_name)["Kelp"]
    assert 'href="http://testserver/a/"' in before and "Old" in before
    release.body = '<p><a href="/b/">New</a> text</p>'
    release.save()
    after = entry_contents(client, url_name)["Kelp"]
    assert 'href="http://testserver/b/"' in after and "Old" not in after


@pytest.mark.parametrize("url_name", FEEDS)
def test_a_new_slug_moves_the_relative_links_with_it(client, url_name):
    release = ReleaseFactory(headline="Kelp", slug="kelp", body='<p><a href="more/">More</a></p>')
    assert "/kelp/more/" in entry_contents(client, url_name)["Kelp"]
    release.slug = "kelp-farms"
    release.save()
    content = entry_contents(client, url_name)["Kelp"]
    assert "/kelp-farms/more/" in content and "/kelp/more/" not in content


@pytest.mark.parametrize("url_name", FEEDS)
def test_renditions_recorded_after_the_first_feed_replace_the_originals(client, url_name):
    release = release_with_body_images(headline="Quay")
    made = {
        "release": release.featured_image_renditions,
        "attachment": release.attachments.get().renditions,
    }
    # As before the renditions task ran: none recorded, the originals shown.
    Release.objects.filter(pk=release.pk).update(featured_image_renditions=[])
    Attachment.objects.filter(release=release).update(renditions=[])
    before = entry_contents(client, url_name)["Quay"]
    assert release.featured_image.url in before and ".1280w." not in before
    # The task records them with QuerySet.update(): updated_at does not move.
    updated_at = Release.objects.get(pk=release.pk).updated_at
    Release.objects.filter(pk=release.pk).update(featured_image_renditions=made["release"])
    Attachment.objects.filter(release=release).update(renditions=made["attachment"])
    assert Release.objects.get(pk=release.pk).updated_at == updated_at
    after = entry_contents(client, url_name)["Quay"]
    assert ".1280w.jpg" in after and ".1280w.png" in after
    assert image_sources(after) == image_sources(fresh(release.pk))


@pytest.mark.parametrize("url_name", FEEDS)
def test_each_host_gets_its_own_absolute_urls(client, url_name):
    ReleaseFactory(headline="Kelp", body='<p><a href="/a/">A</a></p>')
    first = entry_contents(client, url_name)["Kelp"]
    other = entry_contents(client, url_name, HTTP_HOST="localhost")["Kelp"]
    assert "http://testserver/a/" in first and "http://localhost/a/" in other
    assert entry_contents(client, url_name)["Kelp"] == first
