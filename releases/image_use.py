"""Which stored images a release body shows, so that a file the body shows is not
removed under it.

The body names its images by URL (``releases.forms.body_images``: the original's
storage URL; ``releases.body_images`` also knows each rendition's). Deleting an
attachment, replacing its file, or clearing or replacing the featured image while the
body shows it would leave a broken image on the page (the URL answers 404): the release
form and the attachment rows refuse it with ``IMAGE_IN_BODY``.
"""

from __future__ import annotations

from releases.images import ImageSet
from releases.richtext import image_sources

# Refused, not done with the image taken out of the body: the editor loses nothing (the
# form comes back with every upload kept, releases.kept_uploads, and the body as typed),
# while a body silently losing a picture on a deadline is found by readers, not editors.
# Removing the image in the editor and the file in the same save is accepted.
IMAGE_IN_BODY = (
    "This image is used in the body: remove it from the body first, or choose it again there."
)


def stored_image_urls(fieldfile, renditions) -> set[str]:
    """Every URL a body may show a stored image by: its original's and each recorded
    rendition's (``renditions``, the row's JSON records). No query, no file access;
    ``set()`` for an empty field."""
    if not fieldfile:
        return set()
    return {fieldfile.url, *(r.url for r in ImageSet(fieldfile, renditions).renditions)}


def images_used_in(body: str, urls: set[str]) -> bool:
    """True when the HTML ``body`` (sanitized) shows an image by one of ``urls``."""
    return bool(urls & image_sources(body))
