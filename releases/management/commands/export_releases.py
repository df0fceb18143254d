"""``manage.py export_releases --format F [filters] [--status S] [--output PATH]``.

The filters are the public list's (``releases.filters.ReleaseFilter``): ``--tag``
(repeatable: releases with all of them), ``--organization``, ``--author`` (slugs),
``--year``, ``--month``, ``--from``, ``--to`` (YYYY-MM-DD, inclusive), ``--q``. An
invalid value stops the command with a message naming the option.

``--status public`` (the default) exports what the public site shows
(``Release.objects.published()``); ``draft``, ``review``, ``published`` (including
scheduled and embargoed), ``withdrawn`` and ``all`` are for staff. Releases come newest
first, undated drafts before them.

Writes to stdout unless ``--output PATH`` is given (the file appears complete or not
at all: it is written next to PATH and renamed at the end). CSV cells a spreadsheet
would run as formulas start with ``'`` unless ``--raw-cells`` is given (CSV only: XLSX
stores them as text, quote-prefixed, with their value unchanged). XLSX is binary: it
needs ``--output`` unless stdout is a file or a pipe. A progress bar is drawn on stderr
when stderr is a terminal.

``--bundle PATH`` (JSON, NDJSON, ninjs) writes a ZIP of the export and every file it
names (``releases.exports.bundle``) instead, streamed, completed or not at all like
``--output``; ``import_releases PATH`` reads it back with its files.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.http import QueryDict

from releases.exports.bundle import BUNDLE_FORMATS, BundleFileChanged, bundle_chunks
from releases.exports.stream import DEFAULT_CHUNK_SIZE, FORMATS, export_chunks
from releases.filters import ReleaseFilter
from releases.models import Release, Status

STATUSES = ("public", *Status.values, "all")
DEFAULT_BASE_URL = "http://localhost:8000"

# Newest first, undated drafts first of all, as in the admin. A search's ranking is
# dropped: an export reads in time order, as the feeds do. Ties are broken by creation
# time before id, which every export carries (ninjs has no id), so an export imported
# into an empty database lists its releases in the same order. (PostgreSQL reads this
# through the publication-time index with an incremental sort of each tie.)
EXPORT_ORDER = (F("published_at").desc(nulls_first=True), "-created_at", "-id")

# Filter name (query-string key) -> (option, dest).
FILTER_OPTIONS = {
    "tag": ("--tag", "tag"),
    "organization": ("--organization", "organization"),
    "author": ("--author", "author"),
    "year": ("--year", "year"),
    "month": ("--month", "month"),
    "from": ("--from", "date_from"),
    "to": ("--to", "date_to"),
    "q": ("--q", "q"),
}


def releases_with_status(status: str):
    if status == "public":
        return Release.objects.published()
    if status == "all":
        return Release.objects.all()
    return Release.objects.filter(status=status)


def filter_data(options: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, (_option, dest) in FILTER_OPTIONS.items():
        value = options.get(dest)
        if key == "tag":
            data.setlist(key, list(value or []))
        elif value not in (None, ""):
            data[key] = str(value)
    return data


def export_queryset(options: dict):
    """The releases the options select, in export order. Raises ``CommandError``."""
    # Staff export drafts too: any organization, author or tag may be filtered on.
    filterset = ReleaseFilter(
        filter_data(options), queryset=releases_with_status(options["status"]), public=False
    )
    if not filterset.is_valid():
        problems = [
            f"{FILTER_OPTIONS.get(key, (f'--{key}',))[0]}: {' '.join(errors)}"
            for key, errors in filterset.form.errors.items()
        ]
        raise CommandError("Invalid filter. " + " ".join(problems))
    return filterset.qs.order_by(*EXPORT_ORDER)


class Progress:
    """``Exporting 1,234 of 100,000 releases (1 %)`` on one line of a terminal."""

    def __init__(self, stream, total: int):
        self.stream, self.total, self.done, self.shown = stream, total, 0, -1

    def step(self, release) -> None:
        self.done += 1
        percent = self.done * 100 // self.total if self.total else 100
        if percent != self.shown or self.done == self.total:
            self.shown = percent
            self.stream.write(
                f"\rExporting {self.done:,} of {self.total:,} releases ({percent} %)", ending=""
            )
            self.stream.flush()

    def finish(self) -> None:
        self.stream.write("")


class Command(BaseCommand):
    help = "Export releases as CSV, JSON, NDJSON, XLSX, Atom or IPTC ninjs 3.1."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS, help="Output format.")
        parser.add_argument(
            "--status",
            choices=STATUSES,
            default="public",
            help="public (default: what the site shows), draft, review, published "
            "(including scheduled and embargoed), withdrawn, or all.",
        )
        parser.add_argument(
            "--tag", action="append", default=[], metavar="SLUG", help="Repeat: all of them."
        )
        parser.add_argument("--organization", metavar="SLUG")
        parser.add_argument("--author", metavar="SLUG")
        parser.add_argument("--year", metavar="YYYY")
        parser.add_argument("--month", metavar="MM", help="With --year.")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
        parser.add_argument("--q", metavar="QUERY", help="Full-text search.")
        parser.add_argument("--output", "-o", metavar="PATH", help="Default: stdout.")
        parser.add_argument(
            "--bundle",
            metavar="PATH",
            help="JSON, NDJSON or ninjs: write a ZIP of the export and the files it names "
            "(files/<sha256>/<name>), for import_releases.",
        )
        parser.add_argument(
            "--raw-cells",
            action="store_true",
            help="CSV only: write every cell exactly as stored. By default a cell that "
            "spreadsheets would run as a formula (starting with =, +, -, @, tab…) starts "
            "with a ' (OWASP).",
        )
        parser.add_argument(
            "--base-url",
            default=settings.NEWSROOM_BASE_URL or DEFAULT_BASE_URL,
            help="Makes the links of CSV, Atom and ninjs absolute "
            f"(default: NEWSROOM_BASE_URL or {DEFAULT_BASE_URL}).",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"Releases read per batch of queries (default {DEFAULT_CHUNK_SIZE}).",
        )

    def handle(self, *args, **options):
        base_url = options["base_url"]
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url: {base_url!r} is not an http(s) URL.")
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size: must be at least 1.")
        export_format = FORMATS[options["format"]]
        if options["raw_cells"] and not export_format.raw_cells:
            raise CommandError(
                f"--raw-cells is for CSV only, not {export_format.label} (XLSX keeps text "
                "as text without a visible quote)."
            )
        if options["bundle"]:
            self.write_bundle(options, base_url)
            return
        output = options["output"]
        binary_stdout = None
        if export_format.binary and not output:
            binary_stdout = getattr(self.stdout, "buffer", None)
            if binary_stdout is None or self.stdout.isatty():
                raise CommandError(
                    f"{export_format.label} is binary: write it to a file with --output PATH."
                )

        queryset = export_queryset(options)
        progress = Progress(self.stderr, queryset.count()) if self.stderr.isatty() else None
        chunks = export_chunks(
            queryset,
            export_format.name,
            base_url=base_url,
            chunk_size=options["chunk_size"],
            each=progress.step if progress else None,
            raw_cells=options["raw_cells"],
            feed_query=filter_data(options),
        )
        try:
            if output:
                write_file(Path(output), chunks, binary=export_format.binary)
            elif binary_stdout is not None:
                self.stdout.flush()
                for chunk in chunks:
                    binary_stdout.write(chunk)
                binary_stdout.flush()
            else:
                for chunk in chunks:
                    self.stdout.write(chunk, ending="")
                self.stdout.flush()
        except BrokenPipeError:
            # `export_releases … | head`: the reader has all it wanted. Python would
            # still flush stdout on exit and fail again, so point it at /dev/null.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        finally:
            if progress:
                progress.finish()

    def write_bundle(self, options: dict, base_url: str) -> None:
        if options["format"] not in BUNDLE_FORMATS:
            raise CommandError(
                f"--bundle: a bundle holds JSON, NDJSON or ninjs, not {options['format']}."
            )
        if options["output"]:
            raise CommandError("--bundle is the output: leave --output out.")
        queryset = export_queryset(options)
        chunks = bundle_chunks(
            queryset, options["format"], base_url=base_url, chunk_size=options["chunk_size"]
        )
        try:
            write_file(Path(options["bundle"]), chunks, binary=True)
        except BundleFileChanged as error:
            raise CommandError(f"--bundle: {error}; export again.") from None


def write_file(path: Path, chunks, *, binary: bool) -> None:
    """Write next to ``path``, then rename: a failed export leaves no half file."""
    directory = path.parent if str(path.parent) else Path()
    if not directory.is_dir():
        raise CommandError(f"--output: the folder {directory} does not exist.")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".part")
    try:
        if binary:
            with os.fdopen(handle, "wb") as file:
                for chunk in chunks:
                    file.write(chunk)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                for chunk in chunks:
                    file.write(chunk)
        # mkstemp makes the file private (0600); give it the usual mode of a new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
