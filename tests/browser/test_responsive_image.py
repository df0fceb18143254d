"""A reader on a 390 px phone gets a rendition of the featured image that fits the
screen, not the 3000×2000 original; a wide screen gets a larger one."""

import re

import pytest
from django.core.files.base import ContentFile

from tests.factories import ReleaseFactory, image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def release(media_root):
    image = image_bytes((3000, 2000), color=(10, 90, 160))
    release = ReleaseFactory(headline="Reef survey", featured_image_alt="Divers over a reef")
    release.featured_image.save("reef.jpg", ContentFile(image), save=True)
    return release


def shown_image(page) -> dict:
    image = page.locator(".featured-image img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.featured-image img').complete")
    shown = image.evaluate("img => ({src: img.currentSrc, shown: img.clientWidth})")
    # naturalWidth is scaled by the srcset density; the rendition's name says its width.
    shown["width"] = int(re.search(r"\.(\d+)w\.\w+$", shown["src"])[1])
    return shown


@pytest.mark.parametrize("scale", [1, 2])
def test_a_phone_loads_a_rendition_no_wider_than_800(live_server, new_page, release, scale):
    page = new_page(width=390, height=844, device_scale_factor=scale)
    page.goto(f"{live_server.url}{release.get_absolute_url()}")
    image = shown_image(page)
    assert image["src"] != f"{live_server.url}{release.featured_image.url}"
    assert image["src"].endswith(".webp")
    assert image["width"] <= 800
    assert image["shown"] <= 390


def test_a_wide_screen_loads_a_larger_rendition(live_server, new_page, release):
    page = new_page(width=1280, height=900, device_scale_factor=2)
    page.goto(f"{live_server.url}{release.get_absolute_url()}")
    image = shown_image(page)
    assert 1280 <= image["width"] < 3000
