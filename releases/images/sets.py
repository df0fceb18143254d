"""Reading renditions in pages: from the row's records, with no query and no file access."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from django.core.files.storage import Storage

from releases.images.making import SHARE_WIDTH, made_for


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
