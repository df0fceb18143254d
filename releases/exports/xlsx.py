"""XLSX export: one sheet, "Releases", the columns of ``columns.py``.

Written with openpyxl's write-only workbook, which streams rows to a temporary file,
so memory stays flat; the finished file is then read back in chunks. Times are
spreadsheet dates in UTC (the header says so). Text is stored as text, never as a
formula; text a spreadsheet would read as a formula (``columns.runs_as_formula``) is
also quote-prefixed, Excel's own mark of a cell typed with a leading ``'``: the value
stays exact, and editing the cell does not turn it into a formula. Characters XML
cannot carry are dropped, and a cell longer than a spreadsheet allows (32,767
characters) is cut with a "…".
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from releases.exports.columns import HEADER, TIME_COLUMNS, row, runs_as_formula
from releases.models import Release

SHEET_TITLE = "Releases"
MAX_CELL_CHARS = 32_767
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
READ_SIZE = 64 * 1024


def _text(sheet, value: str):
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_CHARS:
        value = value[: MAX_CELL_CHARS - 1] + "…"
    if not runs_as_formula(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl writes a string starting with "=" as a formula
    cell.quotePrefix = True
    return cell


def _cell(sheet, value):
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value.astimezone(dt.UTC).replace(tzinfo=None))
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        return _text(sheet, value)
    return value


def write_xlsx(releases: Iterable[Release], *, base_url: str) -> Iterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, value=f"{name} (UTC)" if name in TIME_COLUMNS else name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for release in releases:
        sheet.append([_cell(sheet, value) for value in row(release, base_url)])
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(READ_SIZE):
            yield chunk
