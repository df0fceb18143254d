"""The stored files of an export: each described with its checksum, and where it is.

A file of a release (its featured image, an attachment's file) is written in the JSON
and ninjs exports as one object::

    {"file_name": "night-bus.jpg", "content_type": "image/jpeg", "size": 48213,
     "sha256": "9f86d08…", "href": "files/9f86d08…/night-bus.jpg"}

- ``file_name``: the last segment of the stored name (the name it was uploaded as);
- ``content_type``: judged from the first bytes (``releases.file_facts``);
- ``size`` in bytes and ``sha256`` (64 lowercase hex digits) of the stored bytes;
- ``href``: in a bundle (``BundleFiles``) the member's path inside the ZIP,
  ``files/<sha256>/<file_name>``, which depends on the content only, so an export
  imported into another database exports again to the same bytes; otherwise
  (``LinkedFiles``) the file's absolute URL on the site.

A file missing from storage keeps its ``file_name`` and ``content_type`` (from the
name) with ``size``, ``sha256`` and, in a bundle, ``href`` null: the importer records
it as a warning.

Costs: each distinct stored file is read once per export (hashed in 64 KB pieces);
``BundleFiles`` reads it a second time when it is copied into the ZIP.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile

from releases.file_facts import HEAD_BYTES, type_from_content, type_from_name

CHUNK_BYTES = 64 * 1024
BUNDLE_FOLDER = "files"


@dataclass(frozen=True)
class StoredFile:
    """What an export knows of one stored file; ``size`` and ``sha256`` are None when
    it could not be read."""

    storage: object
    name: str
    content_type: str
    size: int | None
    sha256: str | None

    @property
    def file_name(self) -> str:
        return posixpath.basename(self.name)


def read_stored(storage, name: str) -> StoredFile:
    """Hash ``name`` in ``storage`` (one read, in pieces); a missing or unreadable file
    gets its name's type and no size or checksum."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with storage.open(name, "rb") as handle:
            while piece := handle.read(CHUNK_BYTES):
                if len(head) < HEAD_BYTES:
                    head += piece[: HEAD_BYTES - len(head)]
                digest.update(piece)
                size += len(piece)
    except OSError:
        return StoredFile(storage, name, type_from_name(name), None, None)
    return StoredFile(storage, name, type_from_content(head, name), size, digest.hexdigest())


class LinkedFiles:
    """Files as absolute URLs on ``base_url``'s site (plain JSON, NDJSON, ninjs)."""

    def __init__(self, base_url: str = ""):
        self.base_url = base_url
        self._known: dict[str, StoredFile] = {}

    def stored(self, fieldfile: FieldFile) -> StoredFile:
        found = self._known.get(fieldfile.name)
        if found is None:
            found = read_stored(fieldfile.storage, fieldfile.name)
            # Bounded: one entry per distinct file, a few hundred bytes each.
            self._known[fieldfile.name] = found
        return found

    def href(self, stored: StoredFile, fieldfile: FieldFile) -> str | None:
        # Imported here: serialize imports this module for its default.
        from releases.exports.serialize import absolute_url

        url = fieldfile.url
        return absolute_url(self.base_url, url) if self.base_url else url

    def entry(self, fieldfile: FieldFile | None) -> dict | None:
        """The file object of the module docstring, None without a file."""
        if not fieldfile:
            return None
        stored = self.stored(fieldfile)
        return {
            "file_name": stored.file_name,
            "content_type": stored.content_type,
            "size": stored.size,
            "sha256": stored.sha256,
            "href": self.href(stored, fieldfile),
        }


class BundleFiles(LinkedFiles):
    """Files as members of a bundle, collected while the export is written: once the
    JSON is written, ``members`` lists each distinct file once, in first-seen order."""

    def __init__(self, base_url: str = ""):
        super().__init__(base_url)
        self.members: dict[str, StoredFile] = {}

    def href(self, stored: StoredFile, fieldfile: FieldFile) -> str | None:
        if stored.sha256 is None:
            return None
        path = bundle_path(stored.sha256, stored.file_name)
        self.members.setdefault(path, stored)
        return path


def bundle_path(sha256: str, file_name: str) -> str:
    """``files/<sha256>/<file_name>``: where a file is in a bundle."""
    return f"{BUNDLE_FOLDER}/{sha256}/{file_name}"
