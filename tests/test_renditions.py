"""Responsive renditions (releases.images): made when a file is saved, recorded on the
row, served only while their source is visible, used by the pages without a query."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from releases.images import RENDITION_WIDTHS, ImageSet, rendition_widths
from releases.models import Attachment, Release
from tests.conftest import warm_query_count
from tests.factories import (
    AuthorFactory,
    OrganizationFactory,
    ReleaseFactory,
    UserFactory,
    image_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def release_with_image(size=(2000, 1000), format="JPEG", name="photo.jpg", **traits) -> Release:
    release = ReleaseFactory(featured_image_alt="A red field", **traits)
    release.featured_image.save(name, ContentFile(image_bytes(size, format)))
    release.refresh_from_db()
    return release


def test_widths_are_never_upscaled():
    assert rendition_widths(3000) == list(RENDITION_WIDTHS)
    assert rendition_widths(1000) == [320, 640, 800, 1000]
    assert rendition_widths(200) == [200]


def test_saving_an_image_records_webp_and_original_format_renditions(media_root):
    release = release_with_image()
    records = release.featured_image_renditions
    by_type = {}
    for record in records:
        by_type.setdefault(record["type"], []).append(record["width"])
        assert record["name"].startswith(release.featured_image.name + ".")
        assert record["height"] == record["width"] // 2
        stored = media_root / record["name"]
        assert stored.stat().st_size == record["size"]
        with Image.open(stored) as image:
            assert image.size == (record["width"], record["height"])
            assert image.get_format_mimetype() == record["type"]
    assert by_type == {
        "image/webp": [320, 640, 800, 1280, 1920],
        "image/jpeg": [320, 640, 800, 1280, 1920],
    }


def test_png_keeps_png_and_webp_only_webp():
    png = release_with_image((500, 250), "PNG", "logo.png")
    assert {r["type"] for r in png.featured_image_renditions} == {"image/webp", "image/png"}
    webp = release_with_image((500, 250), "WEBP", "photo.webp")
    assert {r["type"] for r in webp.featured_image_renditions} == {"image/webp"}
    assert max(r["width"] for r in webp.featured_image_renditions) == 500


def test_renditions_follow_a_replaced_image_and_go_with_a_removed_one():
    release = release_with_image()
    first = release.featured_image_renditions
    release.featured_image.save("other.jpg", ContentFile(image_bytes((700, 700))))
    release.refresh_from_db()
    assert release.featured_image_renditions != first
    assert max(r["width"] for r in release.featured_image_renditions) == 700
    release.featured_image = ""
    release.featured_alt = ""
    release.save()
    release.refresh_from_db()
    assert release.featured_image_renditions == []


def test_saving_again_does_not_remake_them(media_root):
    release = release_with_image()
    before = release.featured_image_renditions
    stamp = (media_root / before[0]["name"]).stat().st_mtime_ns
    release.headline = "New headline"
    release.save()
    release.refresh_from_db()
    assert release.featured_image_renditions == before
    assert (media_root / before[0]["name"]).stat().st_mtime_ns == stamp


def test_logo_photo_and_image_attachment_get_renditions_a_pdf_none():
    organization = OrganizationFactory()
    organization.logo.save("logo.png", ContentFile(image_bytes((400, 100), "PNG")))
    author = AuthorFactory()
    author.photo.save("me.jpg", ContentFile(image_bytes((600, 600))))
    release = ReleaseFactory()
    picture = Attachment(release=release, title="Hi-res", position=0)
    picture.file.save("hires.jpg", ContentFile(image_bytes((3000, 2000))))
    pdf = Attachment(release=release, title="Fact sheet", position=1)
    pdf.file.save("facts.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert organization.logo_set and author.photo_set
    assert organization.logo_set.largest.width == 400
    assert len(picture.renditions) == 2 * len(RENDITION_WIDTHS)
    assert pdf.renditions == []


def test_a_missing_or_broken_file_saves_without_renditions():
    release = ReleaseFactory(featured_image="releases/gone/photo.jpg", featured_image_alt="x")
    assert release.featured_image_renditions == []
    broken = ReleaseFactory(featured_image_alt="x")
    broken.featured_image.save("broken.jpg", ContentFile(b"not an image"))
    assert broken.featured_image_renditions == []


def test_image_set_picks_sizes_for_each_use():
    image = release_with_image().featured_image_set
    assert image.width == 1920 and image.height == 960
    assert image.src.width == 800
    assert image.share.width == 1280 and image.share.type == "image/jpeg"
    assert image.thumbnail.width == 320
    assert image.webp_srcset.count("w, ") == 4
    assert ImageSet(Release().featured_image, []) is not None
    assert not ImageSet(Release().featured_image, [])


# -- serving ---------------------------------------------------------------------------


def test_public_rendition_is_served_inline(client):
    release = release_with_image()
    url = release.featured_image_set.src.url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"].startswith("public")


@pytest.mark.parametrize("traits", [{"draft": True}, {"embargoed": True}, {"scheduled": True}])
def test_rendition_of_a_hidden_release_is_404_to_anonymous_and_private_for_staff(client, traits):
    release = release_with_image(**traits)
    url = release.featured_image_set.src.url
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_withdrawn_release_takes_its_renditions_down(client):
    release = release_with_image()
    url = release.featured_image_set.src.url
    assert client.get(url).status_code == 200
    Release.objects.filter(pk=release.pk).update(
        status="withdrawn", withdrawn_at=release.published_at
    )
    assert client.get(url).status_code == 410  # as its source: gone with the release


def test_a_name_that_only_looks_like_a_rendition_is_404(client):
    release = release_with_image()
    fake = f"{release.featured_image.name}.999w.webp"
    assert client.get(f"/media/{fake}").status_code == 404


def test_rendition_of_an_attachment_of_a_draft_is_404(client):
    release = ReleaseFactory(draft=True)
    picture = Attachment(release=release, title="Hi-res", position=0)
    picture.file.save("hires.jpg", ContentFile(image_bytes((900, 600))))
    assert client.get(f"/media/{picture.renditions[0]['name']}").status_code == 404


# -- pages -----------------------------------------------------------------------------


def test_release_page_uses_picture_with_srcset_width_and_height(client):
    release = release_with_image((3000, 2000))
    html = client.get(release.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="featured-image">') :]
    figure = figure[: figure.index("</figure>")]
    assert '<source type="image/webp"' in figure
    assert 'width="1920" height="1280"' in figure
    assert "sizes=" in figure
    # The src a small phone may take is a rendition, never the original.
    src = re.search(r'<img[^>]* src="([^"]+)"', figure)[1]
    assert src != release.featured_image.url and src.endswith(".800w.jpg")
    assert f'href="{release.featured_image.url}"' in figure  # download original


def test_list_card_has_a_lazy_thumbnail(client):
    release = release_with_image()
    html = client.get("/releases/").content.decode()
    card = html[html.index('class="release-card"') :]
    card = card[: card.index("</article>")]
    thumb = re.search(r"<img[^>]*>", card)[0]
    assert 'loading="lazy"' in thumb and 'width="320"' in thumb and 'height="160"' in thumb
    assert release.featured_image_set.thumbnail.url in thumb


def test_social_cards_and_json_ld_use_a_1200ish_rendition(client):
    release = release_with_image((3000, 2000))
    html = client.get(release.get_absolute_url()).content.decode()
    share = release.featured_image_set.share
    assert f'<meta property="og:image" content="http://testserver{share.url}">' in html
    assert '<meta property="og:image:width" content="1280">' in html
    assert '<meta property="og:image:height" content="853">' in html
    assert (
        f'"url": "http://testserver{share.url}"' in html or f"http://testserver{share.url}" in html
    )


def test_feeds_carry_the_image_as_an_enclosure(client):
    release = release_with_image((3000, 2000))
    share = release.featured_image_set.share
    atom = client.get("/feeds/releases.atom").content.decode()
    assert re.search(
        rf'<link[^>]*rel="enclosure"[^>]*href="http://testserver{re.escape(share.url)}"', atom
    ) or re.search(rf'href="http://testserver{re.escape(share.url)}"[^>]*rel="enclosure"', atom)
    assert f'length="{share.size}"' in atom and 'type="image/jpeg"' in atom
    rss = client.get("/feeds/releases.rss").content.decode()
    enclosure = re.search(r"<enclosure [^>]*>", rss)[0]
    assert f'url="http://testserver{share.url}"' in enclosure
    assert f'length="{share.size}"' in enclosure and 'type="image/jpeg"' in enclosure


def test_organization_page_and_release_issuer_show_the_logo(client):
    organization = OrganizationFactory()
    organization.logo.save("logo.png", ContentFile(image_bytes((600, 200), "PNG")))
    organization.refresh_from_db()
    release = release_with_image(organizations=[organization])
    logo = organization.logo_set.thumbnail.url
    assert logo in client.get(organization.get_absolute_url()).content.decode()
    assert logo in client.get(release.get_absolute_url()).content.decode()


def test_admin_shows_thumbnails(client):
    release = release_with_image()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    thumb = release.featured_image_set.thumbnail.url
    assert thumb in client.get("/admin/releases/release/").content.decode()
    assert thumb in client.get(f"/admin/releases/release/{release.pk}/change/").content.decode()


def test_pages_read_renditions_without_a_query(client):
    release = release_with_image()
    plain = ReleaseFactory()
    assert warm_query_count(client, release.get_absolute_url()) == warm_query_count(
        client, plain.get_absolute_url()
    )


# -- the command -----------------------------------------------------------------------


def test_make_renditions_makes_the_missing_ones(media_root):
    release = release_with_image()
    names = [r["name"] for r in release.featured_image_renditions]
    Release.objects.filter(pk=release.pk).update(featured_image_renditions=[])
    (media_root / names[0]).unlink()
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    release.refresh_from_db()
    assert [r["name"] for r in release.featured_image_renditions] == names
    assert (media_root / names[0]).exists()
    assert "1 " in out.getvalue()
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "0 " in out.getvalue()


def test_pages_with_images_are_valid_html5(client):
    from tests.test_html import parse

    organization = OrganizationFactory()
    organization.logo.save("logo.png", ContentFile(image_bytes((600, 200), "PNG")))
    release = release_with_image(organizations=[organization], featured_image_caption="Field")
    for url in (release.get_absolute_url(), "/releases/", organization.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        parse(response.content.decode())


# -- extreme shapes: every save succeeds; a rendition a format cannot hold is left out --


def _shapes(records) -> dict[str, list[tuple[int, int]]]:
    shapes: dict[str, list[tuple[int, int]]] = {}
    for record in records:
        shapes.setdefault(record["type"], []).append((record["width"], record["height"]))
    return shapes


def _files_match_their_records(media_root, records):
    for record in records:
        with Image.open(media_root / record["name"]) as image:
            assert image.size == (record["width"], record["height"])
            assert image.get_format_mimetype() == record["type"]


def test_a_tall_jpeg_gets_every_jpeg_and_the_webp_within_webps_limit(media_root):
    release = release_with_image((1000, 20000))
    shapes = _shapes(release.featured_image_renditions)
    # WebP holds at most 16383 px a side: the full-width 1000×20000 is JPEG only.
    assert shapes["image/webp"] == [(320, 6400), (640, 12800), (800, 16000)]
    assert shapes["image/jpeg"] == [(320, 6400), (640, 12800), (800, 16000), (1000, 20000)]
    _files_match_their_records(media_root, release.featured_image_renditions)


def test_a_one_pixel_wide_column_gets_a_png_and_no_webp(media_root):
    release = release_with_image((1, 30000), "PNG", "rule.png")
    assert _shapes(release.featured_image_renditions) == {"image/png": [(1, 30000)]}
    _files_match_their_records(media_root, release.featured_image_renditions)


@pytest.mark.parametrize("size", [(20000, 1), (39000, 1), (16384, 10)])
def test_a_very_wide_strip_gets_renditions_at_least_one_pixel_high(media_root, size):
    release = release_with_image(size, "PNG", "strip.png")
    shapes = _shapes(release.featured_image_renditions)
    assert [width for width, _ in shapes["image/webp"]] == list(RENDITION_WIDTHS)
    assert shapes["image/webp"] == shapes["image/png"]
    assert all(height >= 1 for _, height in shapes["image/png"])
    # In proportion where the proportion gives a pixel or more: 16384×10 at 1920 is 1.
    assert shapes["image/png"][-1] == (1920, max(1, round(size[1] * 1920 / size[0])))
    _files_match_their_records(media_root, release.featured_image_renditions)


@pytest.mark.parametrize("size", [(3, 3), (1, 1)])
def test_a_tiny_image_gets_renditions_at_its_own_size(size):
    release = release_with_image(size, "PNG", "dot.png")
    assert _shapes(release.featured_image_renditions) == {
        "image/webp": [size],
        "image/png": [size],
    }


def test_a_sixteen_bit_greyscale_png_keeps_its_tones():
    """Mode I (16 bits a pixel) is written by no rendition format; plain conversion
    would clip every tone above 255 of 65535 to white."""
    source = Image.new("I;16", (400, 10))
    for x in range(400):
        for y in range(10):
            source.putpixel((x, y), x * 160)  # 0 … 63840: black to near white
    buffer = io.BytesIO()
    source.save(buffer, format="PNG")
    release = ReleaseFactory(featured_image_alt="A grey ramp")
    release.featured_image.save("ramp.png", ContentFile(buffer.getvalue()))
    png = next(r for r in release.featured_image_renditions if r["type"] == "image/png")
    with Image.open(release.featured_image.storage.path(png["name"])) as image:
        tones = sorted({image.convert("L").getpixel((x, 5)) for x in range(image.width)})
    assert tones[0] < 20 and tones[-1] > 230 and len(tones) > 100


def test_an_error_making_one_rendition_is_logged_and_the_save_goes_on(monkeypatch, caplog):
    from easy_thumbnails.files import Thumbnailer

    real = Thumbnailer.generate_thumbnail

    def fail_at_640(self, options, **kwargs):
        if options["size"][0] == 640:
            raise OSError("disk full")
        return real(self, options, **kwargs)

    monkeypatch.setattr(Thumbnailer, "generate_thumbnail", fail_at_640)
    release = release_with_image((1000, 500))
    widths = {record["width"] for record in release.featured_image_renditions}
    assert widths == {320, 800, 1000}
    assert "No 640w webp rendition" in caplog.text and "disk full" in caplog.text
    assert Release.objects.filter(pk=release.pk).exists()


def test_an_image_with_no_rendition_is_shown_as_its_original(client, media_root):
    release = release_with_image((2000, 1000))
    Release.objects.filter(pk=release.pk).update(featured_image_renditions=[])
    html = client.get(release.get_absolute_url()).content.decode()
    assert f'src="{release.featured_image.url}"' in html
    assert client.get(release.featured_image.url).status_code == 200


@pytest.mark.parametrize(
    ("size", "format", "name"),
    [((1000, 20000), "JPEG", "tall.jpg"), ((1, 30000), "PNG", "column.png"),
     ((20000, 1), "PNG", "strip.png"), ((39000, 1), "PNG", "line.png")],
)  # fmt: skip
def test_the_admin_saves_extreme_shapes_as_featured_image_and_attachment(
    client, media_root, size, format, name
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import editor
    from tests.test_admin import ADD, management_form, release_form_data

    client.force_login(editor())
    content = image_bytes(size, format)
    data = release_form_data(
        headline="Harbour panorama",
        featured_image=SimpleUploadedFile(name, content),
        featured_image_alt="The harbour",
    )
    data.update(management_form("attachments", total=1))
    data.update({"attachments-0-title": "Panorama", "attachments-0-position": 0})
    data["attachments-0-file"] = SimpleUploadedFile(name, content)
    response = client.post(ADD, data)
    assert response.status_code == 302
    release = Release.objects.get()
    attachment = release.attachments.get()
    assert release.featured_image_renditions and attachment.renditions
    public = release_with_image(size, format, name)  # the page shows it
    assert client.get(public.get_absolute_url()).status_code == 200
    client.logout()
    for record in public.featured_image_renditions:
        assert client.get(f"/media/{record['name']}").status_code == 200
