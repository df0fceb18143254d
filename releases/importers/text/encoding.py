"""Bytes to text: UTF-8 with or without a byte-order mark, else Windows-1252."""

from __future__ import annotations

from pathlib import Path

from releases.importers import ReleaseImportError


def _decode(data: bytes, path: Path, warnings: list[str]) -> str:
    """Rule *encoding*: UTF-8 (a BOM is dropped), else Windows-1252 with a warning.

    Windows-1252 is what Outlook and Word on Windows save "plain text" as, and every
    byte but five (0x81, 0x8D, 0x8F, 0x90, 0x9D) decodes in it; a file with those is
    neither and is refused. Line endings (CRLF, CR) are read by ``blocks``.
    Raises ``ReleaseImportError`` naming the line of a NUL byte or an undecodable one.
    """
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReleaseImportError("not a text file (it contains NUL bytes)", path=path, line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise ReleaseImportError(
            f"neither UTF-8 nor Windows-1252: byte 0x{data[utf8_error.start]:02x} cannot be "
            "decoded",
            path=path,
            line=line,
        ) from None
    line = data.count(b"\n", 0, utf8_error.start) + 1
    warnings.append(
        f"line {line}: the file is not UTF-8; read as Windows-1252 (check quotes, dashes "
        "and accented letters)"
    )
    return text
