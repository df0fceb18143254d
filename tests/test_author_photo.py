"""The author's photo is shown from its renditions (``Author.photo_set``), with srcset,
sizes, width and height, on the author page and the release page; never the original
when renditions exist, and at no extra query."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile

from releases.models import Author
from tests.conftest import warm_query_count
from tests.factories import AuthorFactory, ReleaseFactory, image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


class Photos(HTMLParser):
    """The author photo's <img> and the <source> of its <picture>."""

    def __init__(self, html):
        super().__init__()
        self.tags, self._in_frame = [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self._in_frame = attrs.get("class") == "author-photo-frame"
        elif tag == "source" and self._in_frame:
            self.tags.append(("source", attrs))
        elif tag == "img" and attrs.get("class") == "author-photo":
            self.tags.append(("img", attrs))

    def handle_endtag(self, tag):
        if tag == "picture":
            self._in_frame = False


def author_with_photo(size=(2400, 1600), name="Ada Photo") -> Author:
    author = AuthorFactory(name=name)
    author.photo.save("ada.jpg", ContentFile(image_bytes(size)))
    return Author.objects.get(pk=author.pk)


def assert_photo_from_renditions(html: str, author: Author, box: int, sizes: str) -> None:
    tags = Photos(html).tags
    assert [tag for tag, _ in tags] == ["source", "img"]
    source, img = tags[0][1], tags[1][1]
    photo = author.photo_set
    assert source == {"type": "image/webp", "srcset": photo.webp_srcset, "sizes": sizes}
    assert img["src"] == photo.thumbnail.url and img["src"].endswith(".320w.jpg")
    assert img["srcset"] == photo.fallback_srcset
    assert (img["sizes"], img["width"], img["height"], img["alt"]) == (
        sizes,
        str(box),
        str(box),
        "",
    )
    assert f'{author.photo.url}"' not in html


def test_author_page_shows_the_photo_from_its_renditions(client):
    author = author_with_photo()
    ReleaseFactory(author=author)
    html = client.get(author.get_absolute_url()).content.decode()
    # 3:2 photo cropped to a 120 px square is shown 180 px wide.
    assert_photo_from_renditions(html, author, 120, "180px")


def test_release_page_shows_the_photo_from_its_renditions(client):
    author = author_with_photo(size=(1000, 1500))
    release = ReleaseFactory(author=author)
    html = client.get(release.get_absolute_url()).content.decode()
    assert_photo_from_renditions(html, author, 88, "88px")  # portrait: its width is the box


def test_a_photo_without_renditions_falls_back_to_the_original(client):
    author = author_with_photo()
    Author.objects.filter(pk=author.pk).update(photo_renditions=[])
    release = ReleaseFactory(author=author)
    for url, box in ((release.get_absolute_url(), "88"), (author.get_absolute_url(), "120")):
        (tag,) = Photos(client.get(url).content.decode()).tags
        assert tag == ("img", {"class": "author-photo", "src": author.photo.url, "alt": "",
                               "width": box, "height": box})  # fmt: skip


def test_the_photo_costs_no_query(client):
    with_photo = ReleaseFactory(author=author_with_photo())
    without = ReleaseFactory(author=AuthorFactory(name="No Photo"))
    assert warm_query_count(client, with_photo.get_absolute_url()) == warm_query_count(
        client, without.get_absolute_url()
    )
    assert warm_query_count(client, with_photo.author.get_absolute_url()) == warm_query_count(
        client, without.author.get_absolute_url()
    )
