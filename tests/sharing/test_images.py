"""Images on a link's page come through the link: the featured image's renditions in
srcset, and the body's own images (the release's uploads), which are 404 under
/media/ to a journalist while the release is not public."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile

from newsroom.sharing.models import LinkView, link_path
from releases.images import ImageSet
from releases.models import Attachment, Release
from tests.factories import ReleaseFactory, image_bytes

pytestmark = pytest.mark.django_db


class Images(HTMLParser):
    """Every <img> and <source> of a page: their attributes."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "source"):
            self.tags.append(dict(attrs))

    def urls(self) -> set[str]:
        found = set()
        for attrs in self.tags:
            if "src" in attrs:
                found.add(attrs["src"])
            found.update(c.split()[0] for c in attrs.get("srcset", "").split(",") if c.strip())
        return found


def with_images(release: Release) -> Release:
    """``release`` with a featured image, an image attachment and both in its body."""
    release.featured_image_alt = "Quay"
    release.featured_image.save("quay.jpg", ContentFile(image_bytes((3000, 2000))))
    picture = Attachment(release=release, title="Harbour map", position=5)
    picture.file.save("map.png", ContentFile(image_bytes((1000, 800), "PNG")))
    body = (
        f'<p><img src="{release.featured_image.url}" alt="The quay"></p>'
        f'<p><img src="{picture.file.url}" alt="Map"></p>'
    )
    Release.objects.filter(pk=release.pk).update(body=body)
    release.refresh_from_db()
    return release


@pytest.fixture
def embargoed_with_images(embargoed):
    return with_images(embargoed)


def test_no_image_of_the_link_page_is_a_media_url_and_all_load_anonymously(
    client, embargoed_with_images, embargo_link
):
    html = client.get(embargo_link.path).content.decode()
    urls = Images(html).urls()
    assert len(urls) > 15  # featured and body images with their renditions
    for url in urls:
        assert url.startswith(embargo_link.path), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/"), url
        assert response["Content-Disposition"].startswith("inline"), url
        assert response["Cache-Control"] == "no-store, private"
        b"".join(response.streaming_content)
    # The same files under /media/ stay hidden: the release is not public.
    assert client.get(embargoed_with_images.featured_image.url).status_code == 404


def test_the_featured_image_has_renditions_in_srcset_through_the_link(
    client, embargoed_with_images, embargo_link
):
    html = client.get(embargo_link.path).content.decode()
    figure = html[html.index('<figure class="featured-image">') : html.index("</figure>")]
    source, img = Images(figure).tags
    linked = embargoed_with_images.featured_image_set
    assert source["type"] == "image/webp" and source["srcset"].count(" ") == 9
    assert img["src"].endswith("/images/featured/quay.jpg.800w.jpg")
    assert (img["width"], img["height"]) == ("1920", "1280")
    assert len(img["srcset"].split(", ")) == len(linked.fallback)
    original = link_path("embargo", embargo_link.token, "image", which="featured")
    assert f'href="{original}" download' in figure


def test_review_link_body_images_come_through_the_link(client, draft, review_link):
    with_images(draft)
    html = client.get(review_link.path).content.decode()
    body = html[html.index('<div class="release-body">') :]
    tags = Images(body[: body.index("</div>")]).tags
    _, quay, map_source, map_img = tags
    assert quay["alt"] == "The quay" and quay["loading"] == "lazy"
    assert quay["src"].startswith(review_link.path + "images/featured/quay.jpg.")
    picture = draft.attachments.get(title="Harbour map")
    prefix = f"{review_link.path}attachments/{picture.pk}/map.png."
    assert map_img["src"].startswith(prefix) and map_source["srcset"].startswith(prefix)
    assert (map_img["width"], map_img["height"]) == ("1000", "800")
    for url in Images(body).urls():
        assert client.get(url).status_code == 200, url


def test_image_views_are_logged(client, embargoed_with_images, embargo_link):
    image = embargoed_with_images.featured_image_set.thumbnail
    url = link_path(
        "embargo",
        embargo_link.token,
        "rendition",
        which="featured",
        filename=image.name.split("/")[-1],
    )
    assert client.get(url).status_code == 200
    assert LinkView.objects.filter(what__startswith="image: featured quay.jpg.320w").exists()


def test_a_rendition_route_serves_only_renditions_the_row_records(
    client, embargoed_with_images, embargo_link, media_root
):
    release = embargoed_with_images
    folder = release.featured_image.name.rsplit("/", 1)[0]
    (media_root / folder / "quay.jpg.999w.jpg").write_bytes(image_bytes((999, 666)))
    token = embargo_link.token
    for which, filename in [
        ("featured", "quay.jpg.999w.jpg"),  # on disk, but no row names it
        ("featured", "quay.jpg"),  # the original has its own route
        ("featured", "quay.jpg.320w.gif"),
        ("author", "quay.jpg.320w.jpg"),
        ("logo", "quay.jpg.320w.jpg"),
    ]:
        url = link_path("embargo", token, "rendition", which=which, filename=filename)
        assert client.get(url).status_code == 404, url
    assert client.get(f"{embargo_link.path}images/featured/..%2Fquay.jpg").status_code == 404
    # Only a file name is named, looked up among this release's records: another
    # release's rendition of a same-named image is never reached, this one's is served.
    other = with_images(ReleaseFactory(embargoed=True)).featured_image_set.thumbnail
    url = link_path("embargo", token, "rendition", which="featured", filename="quay.jpg.320w.jpg")
    served = b"".join(client.get(url).streaming_content)
    assert served == (media_root / release.featured_image_set.thumbnail.name).read_bytes()
    assert other.name != release.featured_image_set.thumbnail.name


def test_an_attachment_image_route_serves_only_that_release_image_attachments(
    client, embargoed_with_images, embargo_link
):
    release = embargoed_with_images
    pdf = release.attachments.get(title="Fact sheet")
    picture = release.attachments.get(title="Harbour map")
    token = embargo_link.token

    def url(attachment_id, filename):
        return link_path(
            "embargo", token, "attachment_image", attachment_id=attachment_id, filename=filename
        )

    original = client.get(url(picture.pk, "map.png"))
    assert original.status_code == 200 and original["Content-Disposition"].startswith("inline")
    rendition = ImageSet(picture.file, picture.renditions).thumbnail.name.split("/")[-1]
    assert client.get(url(picture.pk, rendition)).status_code == 200
    assert client.get(url(pdf.pk, "fact sheet.pdf")).status_code == 404  # not an image
    other = with_images(ReleaseFactory(embargoed=True)).attachments.get()
    assert client.get(url(other.pk, "map.png")).status_code == 404
    assert client.get(url(picture.pk, "map.png.999w.png")).status_code == 404


def test_a_revoked_link_serves_no_image(client, embargoed_with_images, embargo_link, the_editor):
    from newsroom.sharing import services

    urls = Images(client.get(embargo_link.path).content.decode()).urls()
    services.revoke(link=embargo_link.link, user=the_editor)
    for url in urls:
        assert client.get(url).status_code == 410, url


def test_link_page_with_images_keeps_its_query_count(
    client, embargoed_with_images, embargo_link, django_assert_num_queries
):
    client.get(embargo_link.path)
    with django_assert_num_queries(8):
        assert client.get(embargo_link.path).status_code == 200


def test_link_page_with_images_is_valid_html5(client, embargoed_with_images, embargo_link):
    from tests.test_html import parse

    parse(client.get(embargo_link.path).content.decode())
