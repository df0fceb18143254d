"""Uploads judged by their bytes (releases.validators), on every image field and on
image attachments, through the admin forms and through the models' validators."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from releases.images import AttachmentUploadField, ImageUploadField
from releases.models import Attachment, Organization, Release
from releases.validators import inspect_image
from tests.factories import ReleaseFactory, editor
from tests.test_admin import ADD, management_form, release_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def encoded(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def jpeg(size=(64, 48)) -> bytes:
    return encoded(Image.new("RGB", size, (10, 120, 200)), "JPEG")


def png(size=(64, 48)) -> bytes:
    return encoded(Image.new("RGBA", size, (10, 120, 200, 128)), "PNG")


def fifty_megapixels() -> bytes:
    """8000×6250 in one bit per pixel: a few kilobytes on disk, 50 megapixels decoded."""
    return encoded(Image.new("1", (8000, 6250)), "PNG", optimize=True)


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def refused(field, name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        field.clean(SimpleUploadedFile(name, content, content_type="image/jpeg"))
    return " ".join(error.value.messages)


# -- the rules -------------------------------------------------------------------------


def test_a_renamed_text_file_is_not_an_image():
    message = refused(ImageUploadField(), "photo.jpg", b"Dear editor,\nplease find attached.\n")
    assert message.startswith("This file is not an image (")


def test_a_fifty_megapixel_image_is_refused_naming_its_size_without_decoding_it():
    content = fifty_megapixels()
    assert len(content) < 200_000  # cheap to send: it is the pixels that are refused
    message = refused(ImageUploadField(), "poster.png", content)
    assert "8000×6250 pixels (50 megapixels)" in message
    assert "40 megapixels" in message


def test_pillows_own_bomb_guard_is_a_form_error_not_a_500(settings):
    # 200 megapixels: past twice Pillow's MAX_IMAGE_PIXELS, where Image.open raises.
    content = encoded(Image.new("1", (20000, 10000)), "PNG", optimize=True)
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 500_000_000
    message = refused(ImageUploadField(), "huge.png", content)
    assert "far larger" in message


def test_the_pixel_limit_is_a_setting(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 1000
    message = refused(ImageUploadField(), "photo.jpg", jpeg((40, 30)))
    assert "40×30 pixels" in message


def test_the_size_limit_is_a_setting(settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 100
    message = refused(ImageUploadField(), "photo.jpg", jpeg())
    assert "the largest accepted is 100\xa0bytes" in message


def test_svg_with_script_is_refused_on_image_fields_and_attachments():
    for field, name in ((ImageUploadField(), "logo.svg"), (AttachmentUploadField(), "logo.svg")):
        assert "SVG files are not accepted" in refused(field, name, SVG_WITH_SCRIPT)
    # Judged by content: renamed, it is still SVG.
    assert "SVG files are not accepted" in refused(ImageUploadField(), "logo.png", SVG_WITH_SCRIPT)


def test_a_truncated_jpeg_is_refused():
    content = jpeg((400, 300))
    message = refused(ImageUploadField(), "cut.jpg", content[: len(content) // 2])
    assert message == "This file is not an image (its data is cut short or corrupt)."


def test_a_truncated_png_is_refused():
    content = encoded(Image.effect_noise((200, 200), 50).convert("RGB"), "PNG")
    message = refused(ImageUploadField(), "cut.png", content[: len(content) // 2])
    assert message.startswith("This file is not an image (")


def test_other_image_types_are_refused():
    tiff = encoded(Image.new("RGB", (10, 10)), "TIFF")
    assert "TIFF images are not accepted" in refused(ImageUploadField(), "scan.tif", tiff)


def test_a_png_named_jpg_is_accepted_as_a_png():
    upload = ImageUploadField().clean(SimpleUploadedFile("photo.jpg", png(), "image/jpeg"))
    assert upload.name == "photo.png"
    assert upload.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("photo.jpeg", jpeg(), "photo.jpeg"),
        ("photo", jpeg(), "photo.jpg"),
        ("anim.gif", encoded(Image.new("P", (8, 8)), "GIF"), "anim.gif"),
        ("pic.webp", encoded(Image.new("RGB", (8, 8)), "WEBP"), "pic.webp"),
    ],
)
def test_accepted_types_keep_or_get_their_extension(name, content, stored):
    assert ImageUploadField().clean(SimpleUploadedFile(name, content)).name == stored


def test_inspect_reads_type_and_size_from_the_bytes():
    facts = inspect_image(io.BytesIO(jpeg((30, 20))))
    assert (facts.format, facts.width, facts.height) == ("JPEG", 30, 20)


def test_attachments_other_than_images_pass_as_they_are():
    pdf = AttachmentUploadField().clean(SimpleUploadedFile("facts.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert pdf.name == "facts.pdf"
    text = "This file is not an image ("
    assert refused(AttachmentUploadField(), "photo.jpg", b"just text").startswith(text)
    renamed = AttachmentUploadField().clean(SimpleUploadedFile("photo.jpg", png()))
    assert renamed.name == "photo.png"


# -- on every path ---------------------------------------------------------------------


def test_model_validators_refuse_bad_content_set_outside_a_form():
    organization = Organization(name="Ocean Trust")
    organization.logo = SimpleUploadedFile("logo.jpg", b"not an image")
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "logo" in error.value.message_dict
    release = ReleaseFactory.build(featured_image_alt="x")
    release.featured_image = SimpleUploadedFile("logo.svg", SVG_WITH_SCRIPT)
    with pytest.raises(ValidationError) as error:
        release.full_clean(exclude=["slug"])
    assert "SVG" in error.value.message_dict["featured_image"][0]


def test_stored_names_are_not_read_again():
    release = ReleaseFactory(featured_image="releases/abc/old.jpg", featured_image_alt="x")
    release.full_clean()  # the file does not even exist


def admin_add(client, **files):
    data = release_form_data(headline="Harbour reopens", **files)
    return client.post(ADD, data)


def test_the_admin_form_refuses_a_renamed_text_file_with_the_message(client):
    client.force_login(editor())
    response = admin_add(
        client,
        featured_image=SimpleUploadedFile("photo.jpg", b"hello", "image/jpeg"),
        featured_image_alt="Harbour",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This file is not an image (its content is not JPEG, PNG, WebP or GIF)." in html
    assert not Release.objects.exists()


def test_the_admin_form_refuses_fifty_megapixels_and_svg_attachments(client):
    client.force_login(editor())
    data = release_form_data(
        headline="Harbour reopens",
        featured_image=SimpleUploadedFile("poster.png", fifty_megapixels(), "image/png"),
        featured_image_alt="Poster",
    )
    data.update(management_form("attachments", total=1))
    data.update({"attachments-0-title": "Logo", "attachments-0-position": 0})
    data["attachments-0-file"] = SimpleUploadedFile("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml")
    response = client.post(ADD, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"8000×6250 pixels \(50 megapixels\)", html)
    assert "SVG files are not accepted here" in html
    assert not Release.objects.exists() and not Attachment.objects.exists()


def test_the_admin_form_stores_a_png_sent_as_jpg_as_png(client):
    client.force_login(editor())
    response = admin_add(
        client,
        featured_image=SimpleUploadedFile("harbour.jpg", png(), "image/jpeg"),
        featured_image_alt="Harbour",
    )
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.featured_image.name.endswith("/harbour.png")
    assert release.featured_image_renditions
