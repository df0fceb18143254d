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

# The fields are named ``releases.images.<Field>`` in migrations: keep them importable here.
from releases.images.fields import (
    AttachmentFileField,
    AttachmentUploadField,
    ImageUploadField,
    RenditionImageField,
    RenditionsMixin,
)
from releases.images.making import (
    CONTENT_TYPES,
    RENDITION_WIDTHS,
    SHARE_WIDTH,
    WEBP_MAX_SIDE,
    fits_format,
    is_image_name,
    made_for,
    make_renditions,
    refresh_renditions,
    rendition_height,
    rendition_widths,
)
from releases.images.sets import ImageSet, Rendition

__all__ = [
    "CONTENT_TYPES",
    "RENDITION_WIDTHS",
    "SHARE_WIDTH",
    "WEBP_MAX_SIDE",
    "AttachmentFileField",
    "AttachmentUploadField",
    "ImageSet",
    "ImageUploadField",
    "Rendition",
    "RenditionImageField",
    "RenditionsMixin",
    "fits_format",
    "is_image_name",
    "made_for",
    "make_renditions",
    "refresh_renditions",
    "rendition_height",
    "rendition_widths",
]
