"""The export formats and the one way every export reads releases.

``export_chunks(queryset, "csv", base_url=…)`` reads the queryset in chunks with
``reading.read_for_export`` (each release with its parts, from per-export caches),
hands the releases one by one to the format's writer, and yields what it writes in
pieces of about 64 KB. Memory stays flat whatever the number of releases; queries
grow per chunk, never per release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from releases.exports.atom import write_atom
from releases.exports.csv import write_csv
from releases.exports.files import LinkedFiles
from releases.exports.json import write_json, write_ndjson, write_ninjs
from releases.exports.reading import DEFAULT_CHUNK_SIZE, read_for_export
from releases.exports.xlsx import write_xlsx
from releases.models import Release

PIECE_SIZE = 64 * 1024

Writer = Callable[..., Iterator[str] | Iterator[bytes]]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    extension: str
    content_type: str
    write: Writer  # write(releases, *, base_url[, raw_cells]) -> chunks
    binary: bool = False
    # Whether cells can be written raw (``raw_cells``): formulas are neutralized otherwise.
    raw_cells: bool = False
    # Whether the file links the public feed of the export's filters (``feed_query``).
    links_feed: bool = False
    # Whether the file describes stored files (``files``: releases.exports.files).
    carries_files: bool = False


FORMATS: dict[str, ExportFormat] = {
    format.name: format
    for format in (
        ExportFormat("csv", "CSV", "csv", "text/csv; charset=utf-8", write_csv, raw_cells=True),
        ExportFormat("json", "JSON", "json", "application/json", write_json, carries_files=True),
        ExportFormat(
            "ndjson",
            "NDJSON",
            "ndjson",
            "application/x-ndjson",
            write_ndjson,
            carries_files=True,
        ),
        ExportFormat(
            "xlsx",
            "Excel (XLSX)",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            write_xlsx,
            binary=True,
        ),
        ExportFormat(
            "atom",
            "Atom",
            "atom",
            "application/atom+xml; charset=utf-8",
            write_atom,
            links_feed=True,
        ),
        ExportFormat(
            "ninjs",
            "IPTC ninjs 3.1",
            "ninjs.json",
            "application/json",
            write_ninjs,
            carries_files=True,
        ),
    )
}


def export_chunks(
    queryset: QuerySet[Release],
    format_name: str,
    *,
    base_url: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    each: Callable[[Release], None] | None = None,
    raw_cells: bool = False,
    feed_query: Mapping | None = None,
    files: LinkedFiles | None = None,
) -> Iterator[str] | Iterator[bytes]:
    """The export of ``queryset`` in ``format_name``, as str (bytes for XLSX) pieces.

    ``each`` is called with every release as it is written (a progress bar).
    ``raw_cells`` writes CSV cells exactly as stored, even those a spreadsheet would run
    as formulas; ``ValueError`` for a format without cells to neutralize.
    ``feed_query`` holds the export's list filters, for formats that link the public
    feed of the same selection (Atom's ``rel="self"``). ``files`` describes stored
    files in the formats that carry them (a bundle's ``BundleFiles``); by default
    as absolute URLs with checksums.
    """
    export_format = FORMATS[format_name]
    if raw_cells and not export_format.raw_cells:
        raise ValueError(f"raw cells are for CSV only, not {export_format.label}")
    releases = read_for_export(queryset, chunk_size=chunk_size)
    if each is not None:
        releases = _tap(releases, each)
    options = {"raw_cells": True} if raw_cells else {}
    if export_format.links_feed:
        options["feed_query"] = feed_query
    if export_format.carries_files and files is not None:
        options["files"] = files
    chunks = export_format.write(releases, base_url=base_url, **options)
    return chunks if export_format.binary else _pieces(chunks)


def _tap(releases: Iterable[Release], each: Callable[[Release], None]) -> Iterator[Release]:
    for release in releases:
        each(release)
        yield release


def _pieces(chunks: Iterable[str], size: int = PIECE_SIZE) -> Iterator[str]:
    """Small writes joined into pieces of about ``size`` characters."""
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def export_filename(format_name: str, now: dt.datetime | None = None) -> str:
    """``releases-20240501-0930.csv`` (UTC), the name a download is saved under."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return f"releases-{now:%Y%m%d-%H%M}.{FORMATS[format_name].extension}"
