"""The author's photo on a link's page: its renditions through the link's own routes
(the /media/ URLs of an author of no public release are 404 to the journalist)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from releases.models import Author
from tests.factories import image_bytes
from tests.test_author_photo import Photos

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_the_author_photo_comes_from_renditions_through_the_link(client, embargoed, embargo_link):
    embargoed.author.photo.save("secret.jpg", ContentFile(image_bytes((1200, 1200))))
    author = Author.objects.get(pk=embargoed.author_id)
    html = client.get(embargo_link.path).content.decode()
    tags = Photos(html).tags
    assert [tag for tag, _ in tags] == ["source", "img"]
    img = tags[1][1]
    assert img["src"].startswith(embargo_link.path) and img["src"].endswith(".320w.jpg")
    assert (img["width"], img["height"], img["sizes"]) == ("88", "88", "88px")
    urls = {img["src"]}
    for _, attrs in tags:
        urls.update(c.split()[0] for c in attrs["srcset"].split(","))
    assert len(urls) == len(author.photo_set.renditions)
    for url in urls:
        assert url.startswith(embargo_link.path), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/")
        b"".join(response.streaming_content)
    assert author.photo.url not in html
