"""Responsive renditions of uploaded images, made by easy-thumbnails when a file is saved.

Every image field (featured image, logo, photo) and ``Attachment.file`` is a field of
this module: it validates uploads by content (``releases.validators``) and, when the
row is saved with a file its renditions were not made for, makes them and records them
on the row, in the JSON field named by ``renditions_field``:

    [{"name": "releases/<token>/photo.jpg.640w.webp", "width": 640, "height": 427,
      "type": "image/webp", "size": 31874}, …]

Widths ``RENDITION_WIDTHS`` narrower than the image (never upscaled) plus the image's
own width when it is narrower than the widest, each in WebP and in the original's
format (a GIF's in PNG: one frame of it). A rendition is stored beside its source as
``<source name>.<width>w.<extension>``, so ``releases.views.media`` finds the source
row (and its visibility) from a rendition's name alone. Renditions carry no metadata
(no EXIF: no camera serial, no GPS position) and are turned upright.

A rendition that cannot be made is left out, never failing the save: a side that
would round to 0 px (a 20000×1 strip at 320 wide) is kept at 1 px; a WebP rendition
with a side over ``WEBP_MAX_SIDE`` (a 1000×20000 banner at full width) is not made, its
JPEG or PNG twin is; any other error making one is logged as a warning. An image left
with no rendition at all is shown as its original, which is always served.

Pages never make images: they read the row (``ImageSet``), so a page showing
renditions costs no query and no decoding. ``manage.py make_renditions`` makes those
missing for files stored before (or whose renditions were deleted).
"""

from __future__ import annotations

import logging
import posixpath
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from django import forms
from django.core.files.storage import Storage
from django.db import models
from django.utils.module_loading import import_string
from PIL import Image, ImageOps

from releases.validators import (
    IMAGE_EXTENSIONS,
    checked_image,
    is_image_attachment,
    validate_attachment_upload,
    validate_image_upload,
    with_extension,
)

logger = logging.getLogger(__name__)

RENDITION_WIDTHS = (320, 640, 800, 1280, 1920)
# The width social cards and structured data ask for (Facebook: 1200 wide is best).
SHARE_WIDTH = 1200
QUALITY = 82
# Original format → the extension of its renditions besides WebP.
FALLBACK_EXTENSION = {"jpg": "jpg", "jpeg": "jpg", "jpe": "jpg", "png": "png", "gif": "png"}
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
# libwebp's limit on each side (WEBP_MAX_DIMENSION in its encode.h); JPEG's is 65535,
# more than an accepted JPEG source can have, and PNG's is far beyond the pixel limit.
WEBP_MAX_SIDE = 16383


def rendition_widths(source_width: int) -> list[int]:
    """The widths made for an image ``source_width`` pixels wide, never above it."""
    widths = [width for width in RENDITION_WIDTHS if width < source_width]
    if source_width <= RENDITION_WIDTHS[-1]:
        widths.append(source_width)
    return widths


def rendition_height(source_size: tuple[int, int], width: int) -> int:
    """The height of a rendition ``width`` wide of an image of ``source_size`` (w, h):
    in proportion, and at least 1 px (a very wide strip would otherwise round to 0)."""
    source_width, source_height = source_size
    return max(1, round(source_height * width / source_width))


def fits_format(extension: str, size: tuple[int, int]) -> bool:
    """True when an image of ``size`` (w, h) can be written as ``extension``."""
    return extension != "webp" or max(size) <= WEBP_MAX_SIDE


def _strip_to_one_pixel(image, size=None, **options):
    """easy-thumbnails processor, run before its ``scale_and_crop``: a rendition whose
    height would round to 0 px (Pillow cannot make it) is scaled to 1 px high here,
    leaving ``scale_and_crop`` nothing to do. Any other image passes unchanged."""
    width, height = size or (0, 0)
    below_a_pixel = width and round(image.height * width / image.width) < 1
    if below_a_pixel and not height and image.width > width:
        return image.resize((width, 1), resample=Image.Resampling.LANCZOS)
    return image


def _processors() -> list:
    """The deployment's easy-thumbnails processors, after ``_strip_to_one_pixel``."""
    from easy_thumbnails.conf import settings as thumbnail_settings

    return [_strip_to_one_pixel, *map(import_string, thumbnail_settings.THUMBNAIL_PROCESSORS)]


def _rendition_namer(*, source_filename, thumbnail_extension, thumbnail_options, **kwargs):
    return f"{source_filename}.{thumbnail_options['size'][0]}w.{thumbnail_extension}"


def _thumbnailer(fieldfile, decoded: Image.Image, extension: str):
    from easy_thumbnails.files import get_thumbnailer

    thumbnailer = get_thumbnailer(fieldfile)
    # Names and formats are ours (see the module docstring), whatever THUMBNAIL_*
    # settings a deployment has; the source is decoded once for all renditions.
    thumbnailer.thumbnail_basedir = ""
    thumbnailer.thumbnail_subdir = ""
    thumbnailer.thumbnail_prefix = ""
    thumbnailer.thumbnail_namer = _rendition_namer
    thumbnailer.thumbnail_storage = fieldfile.storage  # served as the source is
    thumbnailer.thumbnail_extension = extension
    thumbnailer.thumbnail_transparency_extension = extension
    thumbnailer.thumbnail_preserve_extensions = False
    thumbnailer.source_generators = [lambda source, **options: decoded.copy()]
    thumbnailer.thumbnail_processors = _processors()
    return thumbnailer


def _decode(fieldfile) -> Image.Image | None:
    """The stored image decoded and turned upright, or None when it cannot be read."""
    try:
        with fieldfile.storage.open(fieldfile.name, "rb") as handle, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(handle)
            image.load()
            return _writable(ImageOps.exif_transpose(image))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as error:
        logger.warning("No renditions for %s: %s", fieldfile.name, error)
        return None
    except Image.DecompressionBombError as error:
        logger.warning("No renditions for %s: %s", fieldfile.name, error)
        return None


def _writable(image: Image.Image) -> Image.Image:
    """``image`` in a mode WebP, JPEG and PNG renditions can be written from. A 16-bit
    greyscale PNG decodes as mode ``I`` (0–65535), which none of them take: scaled to
    8 bits (Pillow's plain conversion would clip it to white)."""
    if image.mode.startswith("I"):
        return image.point(lambda value: value / 256).convert("L")
    return image


def make_renditions(fieldfile) -> list[dict]:
    """Make and store the renditions of the image stored at ``fieldfile.name``; their
    records (module docstring). ``[]`` for a file that is not a JPEG, PNG, WebP or GIF
    by name, or that cannot be read (missing, corrupt): logged, never raised, so a
    save never fails for want of renditions. A rendition the format cannot hold, or
    that fails to be made, is left out (logged), the others are kept."""
    if not fieldfile or _extension(fieldfile.name) not in IMAGE_EXTENSIONS:
        return []
    decoded = _decode(fieldfile)
    if decoded is None:
        return []
    extensions = ["webp"]
    if fallback := FALLBACK_EXTENSION.get(_extension(fieldfile.name)):
        extensions.append(fallback)
    records = []
    with decoded:
        for extension in extensions:
            thumbnailer = _thumbnailer(fieldfile, decoded, extension)
            for width in rendition_widths(decoded.width):
                size = (width, rendition_height(decoded.size, width))
                if not fits_format(extension, size):
                    logger.info(
                        "No %s rendition %d×%d of %s: over the format's limit.",
                        extension, *size, fieldfile.name,
                    )  # fmt: skip
                    continue
                record = _make_one(thumbnailer, width, extension)
                if record is not None:
                    records.append(record)
    return records


def _make_one(thumbnailer, width: int, extension: str) -> dict | None:
    """One rendition made, stored and described, or None (logged) when it fails: a
    save must not fail for a smaller copy of an image that was itself accepted."""
    try:
        options = {"size": (width, 0), "upscale": False, "quality": QUALITY}
        thumbnail = thumbnailer.generate_thumbnail(options)
        thumbnailer.save_thumbnail(thumbnail)
        return {
            "name": thumbnail.name,
            "width": thumbnail.image.width,
            "height": thumbnail.image.height,
            "type": CONTENT_TYPES[extension],
            "size": thumbnailer.thumbnail_storage.size(thumbnail.name),
        }
    except Exception as error:  # any failure of Pillow, easy-thumbnails or the storage
        logger.warning("No %dw %s rendition of %s: %s", width, extension, thumbnailer.name, error)
        return None


def _extension(name: str) -> str:
    return posixpath.splitext(name or "")[1][1:].lower()


def is_image_name(name: str) -> bool:
    """True when ``name`` ends like a JPEG, PNG, WebP or GIF (what gets renditions)."""
    return _extension(name) in IMAGE_EXTENSIONS


def made_for(records, name: str) -> bool:
    """True when ``records`` are renditions of the file stored as ``name``."""
    return bool(records) and all(
        str(record.get("name", "")).startswith(f"{name}.") for record in records
    )


def refresh_renditions(instance, file_field: str, renditions_field: str) -> bool:
    """Bring ``instance``'s renditions up to date with its file (in memory; the caller
    saves). Nothing to do when they were made for this file. True when they changed."""
    fieldfile = getattr(instance, file_field)
    records = getattr(instance, renditions_field) or []
    if not fieldfile:
        setattr(instance, renditions_field, [])
        return bool(records)
    if made_for(records, fieldfile.name):
        return False
    fresh = make_renditions(fieldfile)
    setattr(instance, renditions_field, fresh)
    return fresh != records


# -- model and form fields ------------------------------------------------------------


class ImageUploadField(forms.FileField):
    """An image upload: checked by content (``releases.validators.inspect_image``) and
    renamed to the extension of its real type."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        facts = checked_image(upload)
        upload.name = with_extension(upload.name, facts.extension)
        upload.content_type = facts.content_type
        return upload


class AttachmentUploadField(forms.FileField):
    """A media-kit file: an image among them is held to the image rules and renamed
    like one; any other file (PDF, document) is taken as it is."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None or not is_image_attachment(upload):
            return upload
        facts = checked_image(upload)
        upload.name = with_extension(upload.name, facts.extension)
        upload.content_type = facts.content_type
        return upload


class RenditionsMixin:
    """A file field whose row records its renditions in ``renditions_field`` (a JSON
    field declared after it, so the value made here is written in the same save)."""

    def __init__(self, *args, renditions_field: str = "", **kwargs):
        self.renditions_field = renditions_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.renditions_field:
            kwargs["renditions_field"] = self.renditions_field
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        fieldfile = super().pre_save(model_instance, add)  # stores a new upload first
        if self.renditions_field:
            refresh_renditions(model_instance, self.attname, self.renditions_field)
        return fieldfile


class RenditionImageField(RenditionsMixin, models.ImageField):
    """The featured image, a logo, a photo: an accepted image, with renditions."""

    default_validators = [validate_image_upload]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})


class AttachmentFileField(RenditionsMixin, models.FileField):
    """A media-kit file; renditions when it is an image."""

    default_validators = [validate_attachment_upload]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AttachmentUploadField, **kwargs})


# -- reading renditions in pages --------------------------------------------------------


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    type: str
    size: int
    storage: Storage
    # Where a page loads it from when not its storage URL (``ImageSet.through``).
    href: str = ""

    @property
    def url(self) -> str:
        return self.href or self.storage.url(self.name)


class ImageSet:
    """The renditions of one stored image, read from its row's records: no query, no
    file access (``storage.url`` only builds a string on file-system storage).

    False when there are none (no image, or not made yet): templates then fall back to
    the original.
    """

    def __init__(self, fieldfile, records):
        self.fieldfile = fieldfile
        storage = getattr(fieldfile, "storage", None)
        usable = fieldfile and made_for(records, fieldfile.name)
        self.renditions = sorted(
            (
                Rendition(
                    r["name"], int(r["width"]), int(r["height"]), r["type"], int(r["size"]), storage
                )
                for r in (records if usable else [])
            ),
            key=lambda rendition: rendition.width,
        )

    def __bool__(self) -> bool:
        return bool(self.renditions)

    def through(self, url_for: Callable[[Rendition], str]) -> ImageSet:
        """The same renditions loaded from ``url_for(rendition)`` instead of their
        storage URLs (an embargo link's own file routes, ``newsroom.sharing``)."""
        linked = ImageSet(self.fieldfile, [])
        linked.renditions = [replace(r, href=url_for(r)) for r in self.renditions]
        return linked

    def record_named(self, filename: str) -> Rendition | None:
        """The rendition whose stored name ends in ``/filename``, if this image has one:
        how a route naming a rendition is checked against the row's records."""
        return next((r for r in self.renditions if posixpath.basename(r.name) == filename), None)

    @cached_property
    def webp(self) -> list[Rendition]:
        return [r for r in self.renditions if r.type == "image/webp"]

    @cached_property
    def fallback(self) -> list[Rendition]:
        """Renditions in the original's format (WebP for a WebP original)."""
        return [r for r in self.renditions if r.type != "image/webp"] or self.webp

    @staticmethod
    def _srcset(renditions: list[Rendition]) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in renditions)

    @property
    def webp_srcset(self) -> str:
        return self._srcset(self.webp)

    @property
    def fallback_srcset(self) -> str:
        return self._srcset(self.fallback)

    def at_least(self, width: int, renditions: list[Rendition] | None = None) -> Rendition:
        """The narrowest rendition at least ``width`` wide, else the widest."""
        renditions = renditions if renditions is not None else self.fallback
        return next((r for r in renditions if r.width >= width), renditions[-1])

    @property
    def src(self) -> Rendition:
        """The ``<img src>`` for browsers without ``srcset``: about 800 wide."""
        return self.at_least(800)

    @property
    def thumbnail(self) -> Rendition:
        """For lists and the admin: the smallest fallback rendition (≤ 320 wide)."""
        return self.fallback[0]

    @property
    def share(self) -> Rendition:
        """For social cards, JSON-LD and feeds: about ``SHARE_WIDTH`` wide, in the
        original's format (JPEG or PNG: what every card reader takes)."""
        return self.at_least(SHARE_WIDTH)

    @property
    def largest(self) -> Rendition:
        return self.renditions[-1]

    @property
    def width(self) -> int:
        """Width and height for ``<img width height>``: the largest rendition's, i.e. the
        image's aspect ratio, upright."""
        return self.largest.width

    @property
    def height(self) -> int:
        return self.largest.height
