"""What a stored file is and how big: its content type and a name people read.

The type is judged from the file's first bytes where they say it (Pillow for raster
images, the PDF and ZIP signatures), else from its name (``mimetypes``). The name the
uploader typed is only a claim: a PDF renamed ``.doc`` is still a PDF. Used when an
attachment is saved (``Attachment.save``) and by migration 0016 to fill in existing
rows; pages then read the stored facts and never open the file.
"""

from __future__ import annotations

import mimetypes
import posixpath
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, UnidentifiedImageError

# Enough for every signature below; Pillow reads a header's dimensions from it too.
HEAD_BYTES = 64 * 1024

# ZIP containers whose name says which kind of document they are (Office, OpenDocument).
ZIP_DOCUMENTS = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/epub+zip",
    }
)

LABELS = {
    "application/pdf": "PDF",
    "application/zip": "ZIP archive",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.ms-powerpoint": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint presentation"
    ),
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
    "application/rtf": "Rich Text document",
    "application/json": "JSON",
    "application/epub+zip": "EPUB book",
    "text/plain": "Plain text",
    "text/csv": "CSV",
    "text/html": "HTML",
    "image/svg+xml": "SVG image",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "image/avif": "AVIF image",
    "image/tiff": "TIFF image",
    "image/heic": "HEIC image",
    "video/mp4": "MP4 video",
    "video/quicktime": "QuickTime video",
    "audio/mpeg": "MP3 audio",
}

UNKNOWN = "application/octet-stream"


@dataclass(frozen=True)
class FileFacts:
    """``content_type`` (a MIME type, ``application/octet-stream`` when unknown) and
    ``size`` in bytes (None when the file could not be read)."""

    content_type: str
    size: int | None


def type_from_name(name: str) -> str:
    """The MIME type the file name claims; ``UNKNOWN`` for none or a compressed one."""
    content_type, encoding = mimetypes.guess_type(posixpath.basename(name), strict=False)
    return UNKNOWN if encoding or not content_type else content_type


def type_from_content(head: bytes, name: str) -> str:
    """The MIME type ``head`` (the file's first bytes) shows, else the one of ``name``."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        claimed = type_from_name(name)
        return claimed if claimed in ZIP_DOCUMENTS else "application/zip"
    try:
        with Image.open(BytesIO(head)) as image:
            image_type = image.get_format_mimetype()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        image_type = None
    return image_type or type_from_name(name)


def read_facts(storage, name: str) -> FileFacts:
    """The facts of the file stored as ``name``; opens it once (one GET of its head on a
    remote storage). A missing or unreadable file gets the type of its name and no size."""
    try:
        size = storage.size(name)
        with storage.open(name, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return FileFacts(type_from_name(name), None)
    return FileFacts(type_from_content(head, name), size)


def uploaded_facts(upload, name: str) -> FileFacts:
    """The facts of a file not yet stored (an ``UploadedFile`` or ``File``); reads its
    head and puts it back where it was, so the storage then saves it whole."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(position)
    return FileFacts(type_from_content(head, name), upload.size)


def type_label(content_type: str, name: str = "") -> str:
    """``PDF``, ``JPEG image``, ``Word document``…; for a type without a label, the file
    name's extension in capitals (``KEY``), else the MIME subtype (``X-FOO``)."""
    if content_type in LABELS:
        return LABELS[content_type]
    extension = posixpath.splitext(posixpath.basename(name))[1].lstrip(".")
    if extension:
        return extension.upper()
    if content_type and content_type != UNKNOWN:
        return content_type.rsplit("/", 1)[-1].upper()
    return ""
