"""CSV export: UTF-8, a header row, one row per release (columns in ``columns.py``).

Times are ISO 8601 UTC; empty values are empty cells. No byte-order mark, so the csv
module and other programs read the header as it is. A text cell a spreadsheet would
run as a formula (``=…``, ``+…``, ``-…``, ``@…``: ``columns.runs_as_formula``) starts
with OWASP's ``'``, unless ``raw_cells`` asks for the values exactly as stored.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from releases.exports.columns import HEADER, TIME_INDEXES, neutralized, row
from releases.exports.serialize import iso
from releases.models import Release


class _Line:
    """A file whose ``write`` hands the line back, so csv.writer returns each row."""

    def write(self, value: str) -> str:
        return value


def write_csv(
    releases: Iterable[Release], *, base_url: str, raw_cells: bool = False
) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for release in releases:
        values = row(release, base_url)
        for i in TIME_INDEXES:
            values[i] = iso(values[i]) or ""
        if not raw_cells:
            values = [neutralized(v) if isinstance(v, str) else v for v in values]
        yield writer.writerow(values)
