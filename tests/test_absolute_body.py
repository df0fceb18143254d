"""The body read outside the site's pages (feeds, the API, the ninjs and Atom exports):
every URL absolute, own images as one ~1280 px rendition (releases.body_images
.absolute_body); the stored body and the lossless JSON export unchanged."""

from __future__ import annotations

import json

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from releases.body_images import (
    DISTRIBUTED_WIDTH,
    absolute_body,
    own_images,
    site_relative_media,
)
from releases.exports.stream import export_chunks
from releases.importers.ninjs import import_ninjs_file
from releases.models import Release
from tests.conftest import warm_query_count
from tests.factories import ReleaseFactory, image_bytes
from tests.test_body_images import Tags, image_attachment, release_with_body_images

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PAGE = "https://news.example.org/releases/2024/05/kelp/"


def urls_in(html: str) -> list[str]:
    return [
        value
        for _, attrs in Tags(html).tags
        for name, value in attrs.items()
        if name in ("src", "href", "cite")
    ]


def assert_own_images_are_renditions(html: str, release: Release) -> None:
    images = [attrs for tag, attrs in Tags(html).tags if tag == "img"]
    featured = release.featured_image_set.at_least(DISTRIBUTED_WIDTH)
    assert images[0]["src"] == f"http://testserver{featured.url}"
    assert images[0]["src"].endswith(".1280w.jpg")
    assert (images[0]["width"], images[0]["height"]) == ("1280", "853")
    assert images[0]["alt"] == 'The "new" quay'
    assert images[1]["src"].startswith("http://testserver/") and images[1]["src"].endswith(
        ".1280w.png"
    )
    assert (images[1]["width"], images[1]["height"]) == ("1280", "960")
    assert images[2] == {"src": "https://elsewhere.example/x.png", "alt": "Other"}
    for original in (release.featured_image.url, release.attachments.get().file.url):
        assert f'{original}"' not in html


# -- the function ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "absolute"),
    [
        ('<a href="/releases/other/">', '<a href="https://news.example.org/releases/other/">'),
        ('<a href="media-kit.zip">', f'<a href="{PAGE}media-kit.zip">'),
        ('<a href="#notes">', f'<a href="{PAGE}#notes">'),
        ('<a href="?lang=fr">', f'<a href="{PAGE}?lang=fr">'),
        (
            '<img src="/media/a.png" alt="A">',
            '<img src="https://news.example.org/media/a.png" alt="A">',
        ),
        ('<img src="//cdn.example/a.png" alt="">', '<img src="https://cdn.example/a.png" alt="">'),
        (
            '<blockquote cite="/sources/1">',
            '<blockquote cite="https://news.example.org/sources/1">',
        ),
        ('<q cite="/q">', '<q cite="https://news.example.org/q">'),
    ],
)
def test_every_site_relative_url_becomes_absolute(stored, absolute):
    assert absolute_body(f"<p>{stored}x</p>", PAGE) == f"<p>{absolute}x</p>"


@pytest.mark.parametrize(
    "stored",
    [
        '<a href="https://elsewhere.example/x" rel="noopener noreferrer">',
        '<a href="mailto:press@example.org">',
        '<a href="tel:+442079460000">',
        '<img src="https://elsewhere.example/x.png" alt="">',
        "<a>",
    ],
)
def test_absolute_urls_and_other_schemes_are_kept_as_stored(stored):
    body = f"<p>{stored}x</p>\n<p title='/not/a/url'>/media/text</p>"
    assert absolute_body(body, PAGE) == body


def test_attribute_order_text_and_escaping_are_kept():
    body = (
        '<p>A &lt;a href="/x"&gt; in text &amp; '
        '<a href="/a?x=1&amp;y=&quot;2&quot;" title="&quot;&gt;&lt;script&gt;">link</a></p>'
    )
    html = absolute_body(body, PAGE)
    assert html == (
        '<p>A &lt;a href="/x"&gt; in text &amp; '
        '<a href="https://news.example.org/a?x=1&amp;y=&quot;2&quot;" '
        'title="&quot;&gt;&lt;script&gt;">link</a></p>'
    )


def test_own_images_become_one_rendition_with_their_size():
    release = release_with_body_images()
    html = absolute_body(release.body, "http://testserver/r/", lambda: own_images(release))
    assert_own_images_are_renditions(html, release)


def test_an_own_image_without_renditions_keeps_its_original_made_absolute():
    release = release_with_body_images()
    Release.objects.filter(pk=release.pk).update(featured_image_renditions=[])
    release = Release.objects.prefetch_related("attachments").get(pk=release.pk)
    url = release.featured_image.url
    html = absolute_body(f'<img src="{url}" alt="Quay">', PAGE, lambda: own_images(release))
    assert html == f'<img src="https://news.example.org{url}" alt="Quay">'


def test_a_width_given_in_the_body_is_kept_with_the_height_in_proportion():
    release = release_with_body_images()
    url = release.featured_image.url
    html = absolute_body(f'<img src="{url}" width="300">', PAGE, lambda: own_images(release))
    assert Tags(html).tags[0][1]["width"] == "300" and Tags(html).tags[0][1]["height"] == "200"
    assert Tags(html).tags[0][1]["alt"] == ""


# -- feeds and API -----------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["releases:feed_atom", "releases:feed_rss"])
def test_feed_entries_carry_absolute_urls_and_renditions(client, url_name):
    release = release_with_body_images()
    Release.objects.filter(pk=release.pk).update(
        body=release.body + '<p><a href="/releases/">All releases</a></p>'
    )
    feed = feedparser.parse(client.get(reverse(url_name)).content)
    assert not feed.bozo
    # feedparser resolves relative URLs itself: read the raw content too.
    raw = client.get(reverse(url_name)).content.decode()
    assert 'src="/media/' not in raw and "src=&quot;/media/" not in raw
    content = feed.entries[0].content[0].value
    assert_own_images_are_renditions(content, release)
    assert all(url.startswith(("http://testserver/", "https://")) for url in urls_in(content))
    assert 'href="http://testserver/releases/"' in content


def test_api_body_carries_absolute_urls_and_renditions(client):
    release = release_with_body_images()
    body = client.get(reverse("api:release-detail", kwargs={"slug": release.slug})).json()["body"]
    assert_own_images_are_renditions(body, release)


def test_the_site_base_url_setting_is_used_when_set(client, settings):
    settings.NEWSROOM_BASE_URL = "https://news.example.org"
    release = release_with_body_images()
    body = client.get(reverse("api:release-detail", kwargs={"slug": release.slug})).json()["body"]
    assert urls_in(body)[0].startswith("https://news.example.org/media/")
    content = feedparser.parse(client.get(reverse("releases:feed_atom")).content).entries[0]
    assert urls_in(content.content[0].value)[0].startswith("https://news.example.org/media/")


def test_the_stored_body_is_unchanged(client):
    release = release_with_body_images()
    stored = release.body
    client.get(reverse("releases:feed_rss"))
    client.get(reverse("api:release-detail", kwargs={"slug": release.slug}))
    release.refresh_from_db()
    assert release.body == stored


def test_body_images_cost_no_query_in_the_feed_or_the_api(client):
    with_images = release_with_body_images()
    plain = ReleaseFactory(featured_image_alt="Quay")
    plain.featured_image.save("quay.jpg", ContentFile(image_bytes((3000, 2000))))
    image_attachment(plain)
    detail = lambda release: reverse("api:release-detail", kwargs={"slug": release.slug})  # noqa: E731
    assert warm_query_count(client, detail(with_images)) == warm_query_count(client, detail(plain))
    for n in range(5):
        release_with_body_images(headline=f"More {n}")
    # version, entries, tags, organizations, corrections, attachments
    assert warm_query_count(client, reverse("releases:feed_atom")) == 6


# -- exports -----------------------------------------------------------------------------


def test_ninjs_body_has_absolute_urls_and_keeps_originals():
    release = release_with_body_images()
    (item,) = json.loads(
        "".join(export_chunks(Release.objects.filter(pk=release.pk), "ninjs", base_url=PAGE[:26]))
    )
    body = item["bodies"][0]["value"]
    assert f'src="https://news.example.org{release.featured_image.url}"' in body
    assert all(url.startswith("https://") for url in urls_in(body))


def test_atom_export_body_has_absolute_urls():
    release = release_with_body_images()
    atom = "".join(export_chunks(Release.objects.filter(pk=release.pk), "atom", base_url=PAGE[:26]))
    content = feedparser.parse(atom).entries[0].content[0].value
    assert f"https://news.example.org{release.featured_image.url}" in atom
    assert all(url.startswith("https://") for url in urls_in(content))


def test_json_export_keeps_the_body_as_stored():
    release = release_with_body_images()
    (item,) = json.loads(
        "".join(export_chunks(Release.objects.filter(pk=release.pk), "json", base_url=PAGE[:26]))
    )
    assert item["body"] == release.body


# -- read back ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("absolute", "relative"),
    [
        (
            '<img src="https://news.example.org/media/r/x.jpg" alt="a">',
            '<img src="/media/r/x.jpg" alt="a">',
        ),
        (
            '<a href="http://NEWS.example.org/media/a/f.pdf?v=2">f</a>',
            '<a href="/media/a/f.pdf?v=2">f</a>',
        ),
        ('<img src="https://other.example.net/media/r/x.jpg">', None),  # another site's
        ('<a href="https://news.example.org/releases/kelp/">k</a>', None),  # not a file
        ('<a href="mailto:press@news.example.org">m</a>', None),
    ],
)
def test_this_sites_media_urls_read_back_site_relative(settings, absolute, relative):
    settings.NEWSROOM_BASE_URL = "https://news.example.org"
    assert site_relative_media(f"<p>{absolute}</p>") == f"<p>{relative or absolute}</p>"


def test_a_ninjs_export_read_back_keeps_its_own_images_site_relative(settings, tmp_path):
    settings.NEWSROOM_BASE_URL = "https://news.example.org"
    release = release_with_body_images()
    stored = release.body
    path = tmp_path / "items.json"
    path.write_text(
        "".join(export_chunks(Release.objects.filter(pk=release.pk), "ninjs", base_url=PAGE[:26]))
    )
    import_ninjs_file(path)
    release.refresh_from_db()
    assert release.body == stored
