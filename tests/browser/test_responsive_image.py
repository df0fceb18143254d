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


# -- a very tall image -------------------------------------------------------------------

STRIP = (1, 20000)  # 1 px wide, 20000 high: 100% wide it would be 7.8 million px at 390


@pytest.fixture
def strip_release(media_root):
    from releases.models import Attachment, Release
    from tests.factories import AuthorFactory, OrganizationFactory

    strip = image_bytes(STRIP, "PNG")
    organization = OrganizationFactory(name="Strip Institute")
    organization.logo.save("logo.png", ContentFile(strip), save=True)
    author = AuthorFactory(name="Tall Author")
    author.photo.save("tall.png", ContentFile(strip), save=True)
    release = ReleaseFactory(
        headline="A very tall image",
        featured_image_alt="A strip",
        organizations=[organization],
        author=author,
    )
    release.featured_image.save("strip.png", ContentFile(strip), save=True)
    attachment = Attachment(release=release, title="Another strip", position=0)
    attachment.file.save("strip2.png", ContentFile(strip))
    body = (
        f'<p><img src="{release.featured_image.url}" alt="Same strip"></p>'
        f'<p><img src="{attachment.file.url}" alt="Another strip"></p>'
    )
    Release.objects.filter(pk=release.pk).update(body=body)
    return release


def test_a_very_tall_image_keeps_every_page_a_readable_height(live_server, new_page, strip_release):
    page = new_page(width=390, height=844)
    organization = strip_release.organizations.get()
    for path in (
        strip_release.get_absolute_url(),
        organization.get_absolute_url(),
        strip_release.author.get_absolute_url(),
        "/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        height = page.evaluate("document.documentElement.scrollHeight")
        # The release page also shows the two strips of its body, each at most 80vh.
        allowed = 3000 + (2 * 0.8 * 844 if path == strip_release.get_absolute_url() else 0)
        assert height < allowed, (path, height)
    page.goto(f"{live_server.url}{strip_release.get_absolute_url()}")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.featured-image img, .release-body img')]
            .map(img => ({h: img.getBoundingClientRect().height,
                          w: img.getAttribute('width'), hh: img.getAttribute('height')}))"""
    )
    assert len(boxes) == 3
    for box in boxes:
        # Capped to 80vh of the 844 px screen, and the size attributes kept for layout.
        assert 0 < box["h"] <= 0.8 * 844 + 1, box
        assert (box["w"], box["hh"]) == ("1", "20000"), box
