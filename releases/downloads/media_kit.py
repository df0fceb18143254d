"""A release's media kit: one ZIP of everything a journalist takes away, streamed.

Layout, all under one folder named after the release's slug::

    <slug>/<slug>.pdf                          the wire-copy PDF (releases.downloads.pdf)
    <slug>/<slug>.txt                          the plain text (releases.downloads.text)
    <slug>/images/<file>                       the featured image and every image
                                               attachment, the original files as uploaded
    <slug>/images/captions-and-credits.txt     per image: file name, alt text, caption, credit
    <slug>/attachments/<file>                  every other attachment

The ZIP is written by ``stream-zip`` while it is sent: each stored file is read in
chunks from its storage (any Django storage backend), so memory stays flat whatever
the files weigh. Names inside the ZIP are made safe (``member_name``) and stored as
UTF-8 (the ZIP's language-encoding flag, set by stream-zip). Deciding who may have the
kit is the views' job (``releases.views.downloads``, ``newsroom.sharing.views``); this
module only reads the release it is given, which must come with its attachments
prefetched.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from stream_zip import ZIP_AUTO, stream_zip

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/zip"
CAPTIONS_NAME = "captions-and-credits.txt"
# Read from storage in pieces of this size (also the ZIP's output chunk size).
CHUNK_BYTES = 64 * 1024
# Files that are compressed already: deflating them again costs CPU and saves nothing.
COMPRESSED_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/heic"}
    | {"application/pdf", "application/zip", "video/mp4", "video/quicktime", "audio/mpeg"}
)
FILE_MODE = stat.S_IFREG | 0o644
# A member's name: room for a long title in every unzip tool (Windows paths stop at 260).
MAX_NAME_CHARS = 120
# Names Windows refuses for a file, whatever the extension.
RESERVED_STEMS = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)
UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*]')


def member_name(name: str) -> str:
    """A file name safe to unpack anywhere: the last path segment of ``name`` (``/`` or
    ``\\``), NFC, without control characters or ``<>:"/\\|?*`` (each becomes ``_``), no
    leading or trailing dots and spaces (``..`` is gone), not a reserved Windows name, at
    most ``MAX_NAME_CHARS`` characters with the extension kept; ``file`` if nothing is left.
    """
    name = re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = UNSAFE_CHARS.sub("_", name).strip(" .")
    stem, extension = posixpath.splitext(name)
    if stem.casefold() in RESERVED_STEMS:
        stem = f"_{stem}"
    extension = extension[:20]
    stem = stem[: MAX_NAME_CHARS - len(extension)].rstrip(" .")
    return f"{stem}{extension}" if stem else f"file{extension}"


class Names:
    """Member names given so far in one ZIP: each new one is unique, case-insensitively
    (``Photo.jpg`` and ``photo.jpg`` would overwrite each other on macOS and Windows);
    a repeated name becomes ``photo (2).jpg``."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def unique(self, folder: str, name: str) -> str:
        """``folder/<safe, unique name>`` for ``name`` (see ``member_name``)."""
        stem, extension = posixpath.splitext(member_name(name))
        candidate, n = f"{stem}{extension}", 2
        while f"{folder}/{candidate}".casefold() in self._taken:
            candidate = f"{stem} ({n}){extension}"
            n += 1
        path = f"{folder}/{candidate}"
        self._taken.add(path.casefold())
        return path


@dataclass(frozen=True)
class KitImage:
    """One image of the kit and what the captions file says of it."""

    stored_name: str
    storage: object
    alt_text: str
    caption: str
    credit: str
    content_type: str


def kit_images(release) -> list[KitImage]:
    """The featured image, then the image attachments in their order. No query after
    ``prefetch_related("attachments")``."""
    images = []
    if release.featured_image:
        images.append(
            KitImage(
                release.featured_image.name,
                release.featured_image.storage,
                release.featured_image_alt,
                release.featured_image_caption,
                release.featured_image_credit,
                "",
            )
        )
    for attachment in release.attachments.all():
        if attachment.is_image and attachment.file:
            images.append(
                KitImage(
                    attachment.file.name,
                    attachment.file.storage,
                    attachment.title,
                    attachment.description,
                    "",
                    attachment.content_type,
                )
            )
    return images


def kit_attachments(release) -> list:
    """Every attachment that is not an image, in the editor's order."""
    return [a for a in release.attachments.all() if a.file and not a.is_image]


def _stored_chunks(storage, name: str) -> Iterator[bytes]:
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def _level(content_type: str) -> int:
    # Level 0 still writes deflate blocks (stored): no CPU spent on JPEGs and PDFs.
    return 0 if content_type in COMPRESSED_TYPES else 6


def _bytes_member(path: str, data: bytes, modified_at: dt.datetime, content_type: str = ""):
    return (path, modified_at, FILE_MODE, ZIP_AUTO(len(data), level=_level(content_type)), (data,))


def _stored_size(storage, name: str) -> int | None:
    """The stored file's size, or None when the storage no longer has it (the kit is
    still sent, without that file: a missing file must not cut the download)."""
    try:
        return storage.size(name)
    except OSError:
        logger.warning("Media kit: stored file %r is missing; left out.", name)
        return None


def _stored_member(path: str, storage, name: str, size: int, modified_at, content_type: str):
    method = ZIP_AUTO(size, level=_level(content_type))
    return (path, modified_at, FILE_MODE, method, _stored_chunks(storage, name))


def captions_text(release, release_url: str, entries: list[tuple[str, KitImage]]) -> str:
    """The captions-and-credits file: for each image in the folder (``entries`` are
    ``(file name in the ZIP, image)``), its file name, alt text, caption and credit."""
    lines = [
        f"Images of: {release.headline}",
        release_url,
        "",
        "Each image is the original file, at full resolution, as uploaded.",
        "Please credit as stated below.",
    ]
    for file_name, image in entries:
        lines += [
            "",
            f"File: {file_name}",
            f"Alt text: {_one_line(image.alt_text) or '(none)'}",
            f"Caption: {_one_line(image.caption) or '(none)'}",
            f"Credit: {_one_line(image.credit) or '(none)'}",
        ]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def media_kit_members(
    release, *, pdf: bytes, text: str, release_url: str, modified_at: dt.datetime
) -> Iterator[tuple]:
    """The ZIP's members, as stream-zip reads them: ``(name, modified_at, mode, method,
    chunks)``. Lazy: a stored file is opened only when its turn comes."""
    folder = member_name(release.slug) or "release"
    names = Names()
    # Reserved first: an uploaded image of that name gets "(2)", never this file's name.
    captions_path = names.unique(f"{folder}/images", CAPTIONS_NAME)
    yield _bytes_member(names.unique(folder, f"{release.slug}.pdf"), pdf, modified_at, CONTENT_TYPE)
    yield _bytes_member(names.unique(folder, f"{release.slug}.txt"), text.encode(), modified_at)

    written: list[tuple[str, KitImage]] = []
    for image in kit_images(release):
        # Named only once it is known to be there: a missing file takes no number.
        size = _stored_size(image.storage, image.stored_name)
        if size is None:
            continue
        path = names.unique(f"{folder}/images", image.stored_name)
        written.append((posixpath.basename(path), image))
        yield _stored_member(
            path, image.storage, image.stored_name, size, modified_at, image.content_type
        )
    if written:
        captions = captions_text(release, release_url, written).encode()
        yield _bytes_member(captions_path, captions, modified_at)

    for attachment in kit_attachments(release):
        name, storage = attachment.file.name, attachment.file.storage
        size = _stored_size(storage, name)
        if size is None:
            continue
        path = names.unique(f"{folder}/attachments", name)
        yield _stored_member(path, storage, name, size, modified_at, attachment.content_type)


def stream_media_kit(
    release, *, pdf: bytes, text: str, release_url: str, modified_at: dt.datetime
) -> Iterable[bytes]:
    """The ZIP's bytes, in chunks of about ``CHUNK_BYTES``; see ``media_kit_members``."""
    members = media_kit_members(
        release, pdf=pdf, text=text, release_url=release_url, modified_at=modified_at
    )
    return stream_zip(members, chunk_size=CHUNK_BYTES)


def media_kit_filename(release) -> str:
    """``<slug>-media-kit.zip``: the name a browser saves the kit under."""
    return f"{release.slug}-media-kit.zip"
