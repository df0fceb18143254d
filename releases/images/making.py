"""Making renditions: easy-thumbnails, driven once per stored file (see the package's
docstring for the widths, formats, names and what is left out)."""

from __future__ import annotations

import logging
import posixpath
import warnings

from django.utils.module_loading import import_string
from PIL import Image, ImageOps

from releases.validators import IMAGE_EXTENSIONS

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
