"""A release body's own images get their renditions when the page is rendered
(releases.body_images, releases.templatetags.release_images); the stored body is kept."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile

from releases.body_images import BODY_IMAGE_SIZES, own_images, with_renditions
from releases.images import ImageSet
from releases.models import Attachment, Release
from tests.conftest import warm_query_count
from tests.factories import ReleaseFactory, image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def image_attachment(release, size=(1600, 1200), name="map.png", format="PNG") -> Attachment:
    attachment = Attachment(release=release, title="Harbour map", position=0)
    attachment.file.save(name, ContentFile(image_bytes(size, format)))
    return attachment


def release_with_body_images(**traits) -> Release:
    """A release whose body shows its featured image, an image attachment and an image
    of another site (which is no own upload and must stay as it is)."""
    release = ReleaseFactory(featured_image_alt="Quay", **traits)
    release.featured_image.save("quay.jpg", ContentFile(image_bytes((3000, 2000))))
    attachment = image_attachment(release)
    release.body = (
        "<p>Before &amp; after:</p>"
        f'<p><img src="{release.featured_image.url}" alt="The &quot;new&quot; quay"></p>'
        f'<figure><img src="{attachment.file.url}" alt="Map"><figcaption>Map</figcaption></figure>'
        '<p><img src="https://elsewhere.example/x.png" alt="Other"></p>'
    )
    Release.objects.filter(pk=release.pk).update(body=release.body)  # as stored
    return Release.objects.prefetch_related("attachments").get(pk=release.pk)


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def images_in(html: str) -> list[dict]:
    body = html[html.index('<div class="release-body">') :]
    body = body[: body.index('<section class="boilerplate"') if "boilerplate" in body else None]
    return [attrs for tag, attrs in Tags(body).tags if tag in ("img", "source")]


def test_own_body_images_get_srcset_sizes_dimensions_and_lazy_loading(client):
    release = release_with_body_images()
    html = client.get(release.get_absolute_url()).content.decode()
    tags = images_in(html)
    featured = release.featured_image_set
    source, img = tags[0], tags[1]
    assert source == {
        "type": "image/webp",
        "srcset": featured.webp_srcset,
        "sizes": BODY_IMAGE_SIZES,
    }
    assert img["src"] == featured.src.url and img["src"].endswith(".800w.jpg")
    assert img["srcset"] == featured.fallback_srcset
    assert (img["width"], img["height"]) == ("1920", "1280")
    assert img["sizes"] == BODY_IMAGE_SIZES and img["loading"] == "lazy"
    assert img["alt"] == 'The "new" quay'  # decoded, then escaped again
    attachment = release.attachments.get()
    map_image = ImageSet(attachment.file, attachment.renditions)
    map_source, map_img = tags[2], tags[3]
    assert map_source["srcset"] == map_image.webp_srcset
    assert map_img["src"].endswith(".800w.png") and map_img["loading"] == "lazy"
    assert map_img["srcset"] == map_image.fallback_srcset  # 320 … 1280, and its own 1600
    assert (map_img["width"], map_img["height"]) == ("1600", "1200")
    assert f'src="{attachment.file.url}"' not in html
    # Not an own upload: left exactly as stored.
    assert '<img src="https://elsewhere.example/x.png" alt="Other">' in html


def test_the_stored_body_is_unchanged(client):
    release = release_with_body_images()
    stored = release.body
    client.get(release.get_absolute_url())
    release.refresh_from_db()
    assert release.body == stored


def test_the_page_costs_no_extra_query_for_body_images(client):
    with_images = release_with_body_images()
    plain = ReleaseFactory(featured_image_alt="Quay")
    plain.featured_image.save("quay.jpg", ContentFile(image_bytes((3000, 2000))))
    image_attachment(plain)
    assert warm_query_count(client, with_images.get_absolute_url()) == warm_query_count(
        client, plain.get_absolute_url()
    )


def test_page_with_body_images_is_valid_html5(client):
    from tests.test_html import parse

    release = release_with_body_images()
    parse(client.get(release.get_absolute_url()).content.decode())


def test_every_url_of_the_page_body_is_served_to_anonymous(client):
    release = release_with_body_images()
    html = client.get(release.get_absolute_url()).content.decode()
    urls = set()
    for attrs in images_in(html):
        if attrs.get("src", "").startswith("/"):
            urls.add(attrs["src"])
        for candidate in attrs.get("srcset", "").split(","):
            if candidate.strip():
                urls.add(candidate.split()[0])
    assert len(urls) > 10
    for url in urls:
        assert client.get(url).status_code == 200, url


# -- the rewrite itself ------------------------------------------------------------------


def test_a_body_without_own_images_comes_back_unchanged_without_computing_them():
    calls = []
    body = '<p>A &lt;img src="x"&gt; in text</p><p><img src="/media/other.jpg" alt=""></p>'
    assert with_renditions(body, lambda: calls.append(1) or {}) == body
    assert calls == [1]
    assert with_renditions("<p>No image</p>", lambda: calls.append(2) or {}) == "<p>No image</p>"
    assert calls == [1]  # no <img>: the images are not even looked up
    assert with_renditions("", dict) == ""


def test_only_img_tags_are_rewritten_not_text_that_looks_like_one():
    release = release_with_body_images()
    url = release.featured_image.url
    body = f'<pre>&lt;img src="{url}"&gt;</pre>\n<p title="{url}"><img src="{url}" alt="Quay"/></p>'
    html = with_renditions(body, lambda: own_images(release))
    assert html.startswith(f'<pre>&lt;img src="{url}"&gt;</pre>\n<p title="{url}"><picture>')
    assert html.count("<img") == 1 and 'loading="lazy"' in html


def test_width_given_in_the_body_is_kept_and_the_height_follows():
    release = release_with_body_images()
    url = release.featured_image.url
    html = with_renditions(f'<img src="{url}" alt="" width="300">', lambda: own_images(release))
    assert 'width="300"' in html and 'height="200"' in html


def test_a_rendition_url_in_the_body_counts_as_its_image():
    release = release_with_body_images()
    small = release.featured_image_set.thumbnail.url
    html = with_renditions(f'<img src="{small}" alt="">', lambda: own_images(release))
    assert f'srcset="{release.featured_image_set.fallback_srcset}"' in html


def test_an_image_without_renditions_keeps_its_original_and_gets_lazy_loading():
    release = release_with_body_images()
    Release.objects.filter(pk=release.pk).update(featured_image_renditions=[])
    release.refresh_from_db()
    url = release.featured_image.url
    html = with_renditions(f'<img src="{url}" alt="Quay">', lambda: own_images(release))
    assert Tags(html).tags == [("img", {"src": url, "alt": "Quay", "loading": "lazy"})]


def test_hostile_attribute_values_stay_escaped():
    release = release_with_body_images()
    url = release.featured_image.url
    body = f'<img src="{url}" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">'
    html = with_renditions(body, lambda: own_images(release))
    assert "<script>" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_a_pdf_attachment_is_no_body_image():
    release = ReleaseFactory()
    pdf = Attachment(release=release, title="Facts", position=0)
    pdf.file.save("facts.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert own_images(release) == {}
    assert not re.search("picture", with_renditions(f'<img src="{pdf.file.url}">', dict))
