"""JSON and NDJSON exports of the canonical release dict (``serialize.py``).

JSON is an array written one release at a time: the bytes are those of
``json.dumps(all_releases, indent=2, ensure_ascii=False)`` plus a final newline, but
only one release is in memory at a time. NDJSON is one compact release per line. The
ninjs export is the same array of ``release_to_ninjs`` items.

Files (featured images, attachments) are written as ``releases.exports.files``
describes: absolute URLs with checksums, or, given ``files=BundleFiles(…)``, paths
inside a bundle (``releases.exports.bundle``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from releases.exports.files import LinkedFiles
from releases.exports.ninjs import release_to_ninjs
from releases.exports.serialize import release_to_dict
from releases.models import Release


def json_array(items: Iterable[dict]) -> Iterator[str]:
    """``items`` as an indented JSON array, one item per chunk."""
    empty = True
    for item in items:
        # A JSON text has no raw newline inside strings, so re-indenting each line
        # nests the item exactly as json.dumps of the whole list would.
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        yield ("[\n  " if empty else ",\n  ") + text
        empty = False
    yield "[]\n" if empty else "\n]\n"


def write_json(
    releases: Iterable[Release], *, base_url: str, files: LinkedFiles | None = None
) -> Iterator[str]:
    files = files or LinkedFiles(base_url)
    return json_array(release_to_dict(release, files) for release in releases)


def write_ndjson(
    releases: Iterable[Release], *, base_url: str, files: LinkedFiles | None = None
) -> Iterator[str]:
    files = files or LinkedFiles(base_url)
    for release in releases:
        data = release_to_dict(release, files)
        yield json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        yield "\n"


def write_ninjs(
    releases: Iterable[Release], *, base_url: str, files: LinkedFiles | None = None
) -> Iterator[str]:
    files = files or LinkedFiles(base_url)
    return json_array(release_to_ninjs(release, base_url, files) for release in releases)
