"""Uploaded images judged by their bytes: a real JPEG, PNG, WebP or GIF within the limits.

What a browser or a user's file name says (``photo.jpg``, ``image/jpeg``) is not
trusted: Pillow reads the file's header to learn its format and dimensions, then
checks the data is whole. Limits come from settings (``newsroom.env`` helpers):

- ``NEWSROOM_MAX_UPLOAD_BYTES`` (default 25 MB): the largest image file;
- ``NEWSROOM_MAX_IMAGE_PIXELS`` (default 40 megapixels): the largest image. Checked on
  the header alone, before any pixel is decoded, so a 50-megapixel image (or a
  decompression bomb) is refused without the memory it would take. Pillow's own guard
  (``Image.MAX_IMAGE_PIXELS``, ~179 megapixels for an error) is caught and answered as
  the same form error, never a 500.

SVG is refused, not sanitized: it is a document that can carry script and load
resources, and a raster export of a logo or picture is always possible.

A file that passes gets the extension of its real type (a PNG sent as ``photo.jpg``
is stored as ``photo.png``): the media view serves a file with the type its name says.

Used by ``releases.images``' model fields (validators, run by ``full_clean``) and
their form fields (admin, any ``ModelForm``). Stored names assigned directly (an
import naming a file already in storage) are not re-read.
"""

from __future__ import annotations

import contextlib
import posixpath
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageFile, UnidentifiedImageError

# Pillow format name → (media type, the extension a stored name gets).
ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
# Extensions that promise one of the allowed image types: a file named so must be one.
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "jpe", "png", "webp", "gif"})
SVG_EXTENSIONS = frozenset({"svg", "svgz"})
# How far into a file to look for an <svg> root (after an XML declaration, comments
# and a doctype).
SVG_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class ImageFacts:
    """What the bytes of an accepted image are: Pillow's format name, its media type,
    the extension its stored name gets, and its size in pixels."""

    format: str
    content_type: str
    extension: str
    width: int
    height: int


def max_upload_bytes() -> int:
    return settings.NEWSROOM_MAX_UPLOAD_BYTES


def max_image_pixels() -> int:
    return settings.NEWSROOM_MAX_IMAGE_PIXELS


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".rstrip("0").rstrip(".")


def _extension(name: str) -> str:
    return posixpath.splitext(name or "")[1][1:].lower()


def _head(upload, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def looks_like_svg(upload) -> bool:
    """True when the first bytes are an SVG document (with or without an XML prologue,
    gzipped or not). Reads ``SVG_SNIFF_BYTES`` at most."""
    head = _head(upload, SVG_SNIFF_BYTES)
    if head.startswith(b"\x1f\x8b"):  # gzip: an .svgz is the only such "image"
        return _extension(getattr(upload, "name", "")) in SVG_EXTENSIONS
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) and b"<svg" in text


def _not_an_image(detail: str) -> ValidationError:
    return ValidationError(f"This file is not an image ({detail}).", code="not_an_image")


def inspect_image(upload) -> ImageFacts:
    """The facts of ``upload`` (a file object, read from its start) or ValidationError.

    Refused, each with its own message: more than ``max_upload_bytes()``; SVG; bytes
    Pillow does not read as an image; an image type other than JPEG, PNG, WebP, GIF;
    more than ``max_image_pixels()`` (decided from the header, nothing decoded); data
    that is cut short or corrupt (decoded once, after the size check).
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_upload_bytes():
        raise ValidationError(
            f"This image is {filesizeformat(size)}; the largest accepted is "
            f"{filesizeformat(max_upload_bytes())}. Export it smaller or at a lower quality.",
            code="too_big",
        )
    if looks_like_svg(upload) or _extension(getattr(upload, "name", "")) in SVG_EXTENSIONS:
        raise ValidationError(
            "SVG files are not accepted here: they can carry scripts. Upload the image as "
            "PNG, JPEG or WebP instead.",
            code="svg",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns past its own limit; ours is checked just below, on the header.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except Image.DecompressionBombError:
        raise _too_many_pixels(None) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _not_an_image("its content is not JPEG, PNG, WebP or GIF") from None
    with image:
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(
                f"{image.format} images are not accepted; upload JPEG, PNG, WebP or GIF.",
                code="image_type",
            )
        width, height = image.size
        if width * height > max_image_pixels():
            raise _too_many_pixels((width, height))
        _check_whole(image, upload)
    content_type, extension = ALLOWED_FORMATS[image.format]
    upload.seek(0)
    return ImageFacts(image.format, content_type, extension, width, height)


def _too_many_pixels(dimensions: tuple[int, int] | None) -> ValidationError:
    limit = f"{_megapixels(max_image_pixels())} megapixels"
    if dimensions is None:
        return ValidationError(
            f"This image is far larger than the {limit} accepted. "
            "Scale it down and upload it again.",
            code="too_many_pixels",
        )
    width, height = dimensions
    return ValidationError(
        f"This image is {width}×{height} pixels ({_megapixels(width * height)} megapixels); "
        f"the largest accepted is {limit}. Scale it down and upload it again.",
        code="too_many_pixels",
    )


@contextlib.contextmanager
def _strict_decoding():
    """Pillow decoding that fails on truncated data. WeasyPrint sets Pillow's global
    ``LOAD_TRUNCATED_IMAGES`` on import (it pads cut images with grey): here it is
    off for the decoding only, and put back."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _check_whole(image: Image.Image, upload) -> None:
    """Decode the data once, so a truncated or corrupt file is refused now rather than
    when its renditions are made. A JPEG decodes at 1/8 scale (Pillow's ``draft``):
    every byte is still read, at a fraction of the memory."""
    try:
        with _strict_decoding():
            if image.format == "JPEG":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
            else:
                image.verify()  # PNG: every chunk's checksum, up to IEND
                upload.seek(0)
                with Image.open(upload) as again:
                    again.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _not_an_image("its data is cut short or corrupt") from None


def with_extension(name: str, extension: str) -> str:
    """``name`` ending in ``.extension``: ``photo.jpg`` as a PNG is ``photo.png``;
    ``photo.jpeg`` as a JPEG stays; a name with none gets one."""
    stem, current = posixpath.splitext(posixpath.basename(name or "image"))
    current = current[1:].lower()
    if current == extension or (extension == "jpg" and current in ("jpeg", "jpe")):
        return posixpath.basename(name)
    return f"{stem or 'image'}.{extension}"


def is_new_upload(value) -> bool:
    """True for content not yet stored (an upload, a ``File``): what validators check.

    A ``FieldFile`` naming a stored file (unchanged, or assigned by an import) is
    committed and not read again."""
    if not value:
        return False
    return not getattr(value, "_committed", False) or not hasattr(value, "storage")


def _upload_of(value):
    """The file object behind a model field value (a ``FieldFile`` wraps the upload)."""
    return getattr(value, "file", value) if hasattr(value, "storage") else value


def checked_image(value) -> ImageFacts:
    """Inspect ``value`` once: the facts are remembered on the file object, so the form
    field and the model field's validator do not read it twice."""
    upload = _upload_of(value)
    facts = getattr(upload, "newsroom_image_facts", None)
    if facts is None:
        facts = inspect_image(upload)
        with contextlib.suppress(AttributeError):  # a file object that takes no attributes
            upload.newsroom_image_facts = facts
    return facts


def validate_image_upload(value) -> None:
    """Validator of the image fields (featured image, logo, photo): a new upload must be
    an accepted image (``inspect_image``). Stored names pass."""
    if is_new_upload(value):
        checked_image(value)


def is_image_attachment(upload) -> bool:
    """An attachment is held to the image rules when its bytes are an image Pillow reads,
    when it is SVG, or when its name promises an image (a text file called ``.jpg``)."""
    name = getattr(upload, "name", "") or ""
    if _extension(name) in IMAGE_EXTENSIONS | SVG_EXTENSIONS or looks_like_svg(upload):
        return True
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                return image.format in ALLOWED_FORMATS
    except Image.DecompressionBombError:
        return True
    except Exception:
        return False
    finally:
        upload.seek(0)


def validate_attachment_upload(value) -> None:
    """Validator of ``Attachment.file``: an image attachment (``is_image_attachment``)
    must pass ``inspect_image``; SVG is refused; other files (PDF, documents) pass."""
    if not is_new_upload(value):
        return
    upload = _upload_of(value)
    if is_image_attachment(upload):
        checked_image(value)
