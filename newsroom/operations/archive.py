"""The backup archive: one uncompressed tar (the database dump is compressed already, and
images do not shrink) holding

- ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``;
- ``media/<name>`` for every file of the default storage (``MEDIA_ROOT`` or the bucket);
- ``manifest.json``, written last: when and from what the backup was made (product
  version and commit, Django, database vendor and server version, applied migrations),
  the rows of every table, and the SHA-256 and size of every other member.

``verified()`` reads the whole archive back against its manifest before a restore
touches anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from pathlib import Path

from newsroom.operations.databases import BackupError

MANIFEST = "manifest.json"
MEDIA = "media/"
FORMAT = "newsroom-backup/1"
CHUNK = 1024 * 1024


class Hashing(io.RawIOBase):
    """Reads through ``stream`` and keeps the SHA-256 of what was read."""

    def __init__(self, stream):
        self.stream, self.sha256, self.size = stream, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Writes ``path`` as ``.<name>.part`` beside it and renames it once the manifest is
    in, so a failed backup leaves no archive that looks complete. Readable by its owner
    only: it holds every account's password hash and the contacts' private notes."""

    def __init__(self, path: Path):
        self.path = path
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
        os.close(handle)
        self.temporary = Path(temporary)
        self.tar = tarfile.open(self.temporary, "w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        self.files: dict[str, dict] = {}

    def add(self, name: str, stream, size: int, mtime: float = 0) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(mtime or time.time()), 0o600
        hashing = Hashing(stream)
        self.tar.addfile(info, hashing)
        if hashing.size != size:
            raise BackupError(f"{name} changed size while it was copied; back up again.")
        self.files[name] = {"sha256": hashing.sha256.hexdigest(), "size": size}

    def finish(self, manifest: dict) -> Path:
        data = json.dumps({**manifest, "files": self.files}, indent=2, sort_keys=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()
        try:
            # A link, not a rename: it fails if the name was taken meanwhile (two backups in
            # the same second), where a rename would silently replace the other archive.
            os.link(self.temporary, self.path)
        except FileExistsError:
            self.temporary.unlink(missing_ok=True)
            raise BackupError(
                f"{self.path} was written by another backup meanwhile; back up again."
            ) from None
        self.temporary.unlink()
        return self.path

    def abandon(self) -> None:
        self.tar.close()
        self.temporary.unlink(missing_ok=True)


def read_manifest(tar: tarfile.TarFile, label: str) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.load(tar.extractfile(member))
    except (KeyError, ValueError, AttributeError, tarfile.TarError) as error:
        raise BackupError(
            f"{label} has no readable {MANIFEST} ({error}): nothing was changed."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{label} is not a Newsroom backup of format {FORMAT}: nothing was changed."
        )
    return manifest


def verified(path: Path) -> dict:
    """The manifest of the archive at ``path`` once every member matches its size and
    SHA-256 and no member is missing or added; BackupError otherwise. Reads it all."""
    label = f"The archive {path}"
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{label} cannot be read ({error}): nothing was changed.") from None
    with tar:
        manifest = read_manifest(tar, label)
        expected = manifest.get("files") or {}
        seen = set()
        try:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                wanted = expected.get(member.name)
                if not member.isfile() or wanted is None:
                    raise BackupError(
                        f"{label} holds {member.name}, which its manifest does not list"
                    )
                sha256 = hashlib.sha256()
                stream = tar.extractfile(member)
                while chunk := stream.read(CHUNK):
                    sha256.update(chunk)
                if member.size != wanted["size"] or sha256.hexdigest() != wanted["sha256"]:
                    raise BackupError(
                        f"{label} is damaged: {member.name} does not match its checksum"
                    )
                seen.add(member.name)
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"{label} is damaged ({error}): nothing was changed.") from None
        except BackupError as error:
            raise BackupError(f"{error}: nothing was changed.") from None
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(
                f"{label} is incomplete: {', '.join(missing[:5])}"
                f"{' …' if len(missing) > 5 else ''} missing: nothing was changed."
            )
    return manifest
