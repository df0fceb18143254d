"""A bundle: a JSON (or NDJSON, or ninjs) export and the files it names, in one ZIP.

Layout::

    releases.json                       the export (releases.ndjson, releases.ninjs.json)
    files/<sha256>/<file name>          each stored file the export names, once

In JSON and NDJSON a file's ``href`` is its path in the bundle; ninjs keeps absolute
URLs (its schema wants them) and the importer finds each file by its checksum
(``releases.importers.files``). The ZIP is streamed (``stream-zip``): the export is
written first while the files it names are collected, then each file is copied from
storage in 64 KB pieces, so memory stays flat whatever the number of releases and the
weight of the files. A file that changed between the two reads is an error, never a
bundle whose checksums lie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from collections.abc import Callable, Iterator

from django.db.models import Max, QuerySet
from stream_zip import ZIP_64, stream_zip

from releases.exports.files import CHUNK_BYTES, BundleFiles
from releases.exports.reading import DEFAULT_CHUNK_SIZE
from releases.exports.stream import FORMATS, export_chunks
from releases.models import Release

BUNDLE_FORMATS = ("json", "ndjson", "ninjs")
FILE_MODE = stat.S_IFREG | 0o644


class BundleFileChanged(Exception):
    """A stored file changed while the bundle was written."""


def bundle_chunks(
    queryset: QuerySet[Release],
    format_name: str,
    *,
    base_url: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    each: Callable[[Release], None] | None = None,
    now: dt.datetime | None = None,
) -> Iterator[bytes]:
    """The bundle of ``queryset`` exported as ``format_name`` (``BUNDLE_FORMATS``), as
    bytes pieces of a ZIP."""
    if format_name not in BUNDLE_FORMATS:
        raise ValueError(f"a bundle holds JSON, NDJSON or ninjs, not {format_name}")
    files = BundleFiles(base_url)
    modified_at = (now or _stamp(queryset)).replace(microsecond=0)
    document = f"releases.{FORMATS[format_name].extension}"

    def export() -> Iterator[bytes]:
        chunks = export_chunks(
            queryset,
            format_name,
            base_url=base_url,
            chunk_size=chunk_size,
            each=each,
            files=files,
        )
        for chunk in chunks:
            yield chunk.encode("utf-8")

    def members():
        yield document, modified_at, FILE_MODE, ZIP_64, export()
        # Complete only now that the export above has been written out.
        for path, stored in files.members.items():
            yield path, modified_at, FILE_MODE, ZIP_64, _copied(stored)

    return stream_zip(members(), chunk_size=CHUNK_BYTES)


def _stamp(queryset: QuerySet[Release]) -> dt.datetime:
    """The time every member is stamped with: the day (00:00 UTC) of the latest
    publication, correction or withdrawal among the exported releases, all of which an
    import brings back (ninjs keeps a correction's day, not its time), so the same
    releases make the same ZIP bytes; 1980-01-01, the ZIP format's first day, when none
    has one (reproducible archives: reproducible-builds.org, SOURCE_DATE_EPOCH)."""
    found = queryset.order_by().aggregate(
        published=Max("published_at"),
        withdrawn=Max("withdrawn_at"),
        corrected=Max("corrections__noted_at"),
    )
    times = [value for value in found.values() if value is not None]
    latest = max(times, default=dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).astimezone(dt.UTC)
    return latest.replace(hour=0, minute=0, second=0)


def _copied(stored) -> Iterator[bytes]:
    digest = hashlib.sha256()
    with stored.storage.open(stored.name, "rb") as handle:
        while piece := handle.read(CHUNK_BYTES):
            digest.update(piece)
            yield piece
    if digest.hexdigest() != stored.sha256:
        raise BundleFileChanged(f"{stored.name} changed while the bundle was written")
