"""The files an import brings: from a bundle, from beside the JSON, or already stored.

A file reference in an item is either a file object as ``releases.exports.files``
writes it (``{"file_name", "content_type", "size", "sha256", "href"}``) or, in older
exports and in ninjs read by ``releases.importers.ninjs``, a stored name
(``releases/<token>/night-bus.jpg``). ``FileResolver.resolve`` turns it into what the
model field is given, by these rules, in order:

1. The file in the bundle (a ZIP export) or in the folder of the JSON: at ``href``
   when it is a relative path, else at ``files/<sha256>/<file_name>``, else (a file
   fetched by hand next to the JSON) at ``<file_name>``. It must match ``sha256``
   (a bundle member that does not is an error: the bundle is damaged). It becomes a
   new upload, stored through the model field, so it is validated, its renditions
   made and its facts recorded; unless the release already holds a file with the
   same name and checksum (re-importing changes nothing).
2. Otherwise a stored name: ``href`` when it is a URL under ``MEDIA_URL`` (no network
   is ever used), or the bare name. It is refused (``ReleaseImportError`` naming the
   field) when absolute, when it has ``..``, ``.`` or empty segments, a backslash or a
   NUL, or when it is not in the field's upload folder (``releases/`` for featured
   images, ``attachments/`` for attachments): nothing outside the media the field
   owns can be named. It is refused when another row (any release, attachment, logo
   or photo, or the file a rendition is made from) holds that file: an import never
   makes another release's file its own; export with ``--bundle`` to bring a copy.
3. A name that is the release's own file is kept. A name no row holds is taken when
   the file is in storage and matches ``sha256`` (when given); a missing file (or one
   with other content) is left out with a warning (``Release.import_warnings``),
   never kept as a broken image.
"""

from __future__ import annotations

import contextlib
import hashlib
import posixpath
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.db import models

from releases.body_images import site_hosts
from releases.importers import ReleaseImportError

CHUNK_BYTES = 64 * 1024
# Bigger copies spill from memory to a temporary file.
IN_MEMORY_BYTES = 8 * 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
# ``releases.images`` stores renditions as ``<source>.<width>w.<ext>``.
RENDITION_NAME = re.compile(r"(?P<source>.+)\.[1-9][0-9]{0,4}w\.(?:webp|jpg|png)")


def own_site_path(url: Any) -> str | None:
    """The path of ``url`` when it is on this site: an ``http(s)`` URL on one of
    ``site_hosts()`` (``NEWSROOM_BASE_URL``'s host and the literal ``ALLOWED_HOSTS``,
    so what ``export_releases --base-url`` wrote for this site), or a site-relative
    path (``/media/…``); else None. Another host's ``/releases/<slug>/`` or
    ``/media/…`` is not this site's, whatever its path says."""
    if not isinstance(url, str) or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https"):
        if (parts.hostname or "").lower() not in site_hosts():
            return None
    elif parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return unquote(parts.path)


def is_safe_relative(path: str) -> bool:
    """A relative POSIX path with no ``..``, ``.`` or empty segment, no backslash, no NUL."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


class Source:
    """Where an import's files may come from: a ZIP bundle, a folder, or nowhere."""

    def open(self, path: str):
        """A binary file object of ``path``, or None when there is no such file."""
        return None  # noqa: RET501 (the contract of the subclasses)

    def close(self) -> None:
        pass


class FolderSource(Source):
    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def open(self, path: str):
        if not is_safe_relative(path):
            return None
        target = (self.folder / path).resolve()
        # A symbolic link leading out of the folder is not the export's file.
        if not target.is_relative_to(self.folder) or not target.is_file():
            return None
        return target.open("rb")


class BundleSource(Source):
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = set(archive.namelist())

    def open(self, path: str):
        if not is_safe_relative(path) or path not in self.names:
            return None
        return self.archive.open(path)

    def close(self) -> None:
        self.archive.close()


def open_bundle(path: Path) -> tuple[bytes, Source] | None:
    """``(JSON bytes, source of its files)`` when ``path`` is a ZIP bundle, else None.
    The JSON is the bundle's one top-level ``.json`` or ``.ndjson`` member."""
    if not zipfile.is_zipfile(path):
        return None
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ReleaseImportError(f"not a readable ZIP bundle: {error}", path=path) from None
    documents = [
        name
        for name in archive.namelist()
        if "/" not in name and name.endswith((".json", ".ndjson"))
    ]
    if len(documents) != 1:
        archive.close()
        raise ReleaseImportError(
            f"a bundle holds one .json or .ndjson file at its top level (found {len(documents)})",
            path=path,
        )
    with archive.open(documents[0]) as handle:
        data = handle.read()
    return data, BundleSource(archive)


def owned_elsewhere(name: str, *, exclude: tuple[models.Model, ...] = ()) -> bool:
    """Whether a row other than ``exclude`` holds the stored file ``name`` (or the file
    ``name`` is a rendition of), in any file field of any model."""
    names = [name]
    if match := RENDITION_NAME.fullmatch(name):
        names.append(match["source"])
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):
                continue
            rows = model._default_manager.filter(**{f"{field.name}__in": names})
            for row in exclude:
                if isinstance(row, model) and row.pk is not None:
                    rows = rows.exclude(pk=row.pk)
            if rows.exists():
                return True
    return False


class FileResolver:
    """Resolves one import's file references (see the module docstring)."""

    def __init__(self, source: Source | None = None):
        self.source = source or Source()
        self.stored: list[tuple[Any, str]] = []  # (storage, name) stored by this import

    def resolve(
        self,
        value: Any,
        *,
        field: str,
        folder: str,
        storage,
        current=None,
        owner: models.Model | None = None,
        warnings: list[str],
    ) -> File | str:
        """What to assign to the file field: a new ``File``, a stored name, or "" (no
        file; a warning says why). ``current`` is the owner's file now (a FieldFile),
        ``owner`` the row it belongs to (excluded from the owners of a name), ``storage``
        the field's storage."""
        if value in (None, ""):
            return ""
        reference = _reference(value, field)
        label = reference["file_name"] or reference["name"] or "the file"
        sha256 = reference["sha256"]

        if reference["href"] is not None or sha256:
            copy = self._from_source(reference, field)
            if copy is not None:
                if current and _same_file(current, reference["file_name"], sha256):
                    copy.close()
                    return current.name
                return copy

        name = reference["name"]
        if name is None:
            warnings.append(
                f"{field}: {label} is not in the bundle nor beside the file; it was left out"
            )
            return ""
        if not is_safe_relative(name) or not name.startswith(f"{folder}/"):
            raise ReleaseImportError(
                f"“{name}” is not a stored file of this field: it must be a name under "
                f"{folder}/ in the media storage, without “..”",
                field=field,
            )
        if current and current.name == name:
            return name
        if owned_elsewhere(name, exclude=(owner,) if owner is not None else ()):
            raise ReleaseImportError(
                f"“{name}” is another row's file; an import stores its own copy "
                "(export with --bundle to bring the file)",
                field=field,
            )
        found = _stored_sha256(storage, name)
        if found is None:
            warnings.append(f"{field}: {label} is missing from the media storage; it was left out")
            return ""
        if sha256 and found != sha256:
            warnings.append(
                f"{field}: the stored {label} does not match its checksum; it was left out"
            )
            return ""
        return name

    def from_source(
        self, *, href: str | None, sha256: str | None, file_name: str, field: str
    ) -> File | None:
        """A private copy of the file at ``href`` (a relative path) or, by checksum, at
        ``files/<sha256>/<file_name>`` or ``<file_name>`` in the bundle or the folder;
        None when there is none (rule 1 of the module docstring)."""
        reference = {"href": href, "sha256": sha256, "file_name": file_name}
        return self._from_source(reference, field)

    def _from_source(self, reference: dict, field: str) -> File | None:
        href, sha256, file_name = reference["href"], reference["sha256"], reference["file_name"]
        candidates = []
        is_url = href is not None and bool(urlsplit(href).scheme)
        if href is not None and not is_url:
            if not is_safe_relative(href):
                raise ReleaseImportError(
                    f"“{href}” is not a path inside the bundle (relative, without “..”)",
                    field=f"{field}.href",
                )
            candidates.append(href)
        if sha256 and file_name:
            candidates += [f"files/{sha256}/{file_name}", file_name]
        for index, path in enumerate(candidates):
            handle = self.source.open(path)
            if handle is None:
                continue
            with handle:
                copy, found = _copied(handle)
            if sha256 and found != sha256:
                copy.close()
                if index == 0 and not is_url:
                    raise ReleaseImportError(
                        f"“{path}” does not match its checksum: the bundle is damaged",
                        field=f"{field}.sha256",
                    )
                continue  # a file of that name beside the JSON, but another one
            return File(copy, name=file_name or posixpath.basename(path))
        return None

    def remember(self, fieldfile, renditions: list | None = None) -> None:
        """Note a file this import stored (and its renditions), to remove on failure."""
        if fieldfile:
            self.stored.append((fieldfile.storage, fieldfile.name))
            for rendition in renditions or []:
                self.stored.append((fieldfile.storage, rendition.get("name", "")))

    def discard_stored(self) -> None:
        """Delete what this import stored: its rows were rolled back."""
        for storage, name in self.stored:
            if name:
                with contextlib.suppress(OSError):
                    storage.delete(name)
        self.stored.clear()


def _reference(value: Any, field: str) -> dict:
    """``{"name", "href", "sha256", "file_name"}`` of a file reference; errors name
    ``field``."""
    if isinstance(value, str):
        return {"name": value, "href": None, "sha256": None, "file_name": posixpath.basename(value)}
    if not isinstance(value, dict):
        raise ReleaseImportError("expected a file object or a stored name", field=field)
    for key in ("file_name", "href", "sha256"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise ReleaseImportError("expected text", field=f"{field}.{key}")
    sha256 = value.get("sha256") or None
    if sha256 is not None and not SHA256.fullmatch(sha256):
        raise ReleaseImportError("expected 64 lowercase hex digits", field=f"{field}.sha256")
    file_name = value.get("file_name") or ""
    if file_name and (not is_safe_relative(file_name) or "/" in file_name):
        raise ReleaseImportError(
            f"“{file_name}” is not a file name (no folders)", field=f"{field}.file_name"
        )
    href = value.get("href") or None
    name = None
    if href is not None and urlsplit(href).scheme in ("http", "https"):
        path = own_site_path(href) or ""
        if path.startswith(settings.MEDIA_URL):
            name = path.removeprefix(settings.MEDIA_URL)
    return {"name": name, "href": href, "sha256": sha256, "file_name": file_name}


def _copied(handle) -> tuple[Any, str]:
    """A private copy of ``handle``'s bytes (spooled), rewound, and their sha256."""
    digest = hashlib.sha256()
    copy = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 (returned)
    while piece := handle.read(CHUNK_BYTES):
        digest.update(piece)
        copy.write(piece)
    copy.seek(0)
    return copy, digest.hexdigest()


def _stored_sha256(storage, name: str) -> str | None:
    try:
        with storage.open(name, "rb") as handle:
            digest = hashlib.sha256()
            while piece := handle.read(CHUNK_BYTES):
                digest.update(piece)
            return digest.hexdigest()
    except (OSError, SuspiciousFileOperation):
        return None


def _same_file(current, file_name: str, sha256: str | None) -> bool:
    if not sha256 or posixpath.basename(current.name) != file_name:
        return False
    return _stored_sha256(current.storage, current.name) == sha256


__all__ = ["BundleSource", "FileResolver", "FolderSource", "Source", "open_bundle"]
