"""Bytes to text: UTF-8 with or without a byte-order mark, UTF-16 with one, else
Windows-1252."""

from __future__ import annotations

import codecs
from pathlib import Path

from releases.importers import ReleaseImportError


def _decode(data: bytes, path: Path, warnings: list[str]) -> str:
    """Rule *encoding*: UTF-8 (a BOM is dropped), else Windows-1252 with a warning.

    Rule *UTF-16*: a file starting with a UTF-16 byte-order mark (what Notepad saves as
    "Unicode") is read as UTF-16, little- or big-endian as the mark says, with a
    warning; one without the mark (NUL bytes at every other place) is refused with a
    message asking to save it as UTF-8, never as "not a text file".

    Windows-1252 is what Outlook and Word on Windows save "plain text" as, and every
    byte but five (0x81, 0x8D, 0x8F, 0x90, 0x9D) decodes in it; a file with those is
    neither and is refused. Line endings (CRLF, CR) are read by ``blocks``.
    Raises ``ReleaseImportError`` naming the line of a NUL byte or an undecodable one.
    """
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        endian = "little" if data[:2] == codecs.BOM_UTF16_LE else "big"
        try:
            text = data[2:].decode("utf-16-le" if endian == "little" else "utf-16-be")
        except UnicodeDecodeError:
            raise ReleaseImportError(
                f"starts with a UTF-16 ({endian}-endian) byte-order mark but is not UTF-16: "
                "save it as UTF-8",
                path=path,
                line=1,
            ) from None
        warnings.append(
            f"line 1: the file is UTF-16 ({endian}-endian, Notepad's “Unicode”); read as such "
            "(save it as UTF-8 next time)"
        )
        return text
    if _looks_like_utf16(data):
        raise ReleaseImportError(
            "looks like UTF-16 without a byte-order mark (a NUL byte beside most letters): "
            "save it as UTF-8 and import it again",
            path=path,
            line=1,
        )
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


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: of the first bytes, most of the even ones or
    most of the odd ones are NUL (ASCII letters in UTF-16), the others are not."""
    head = data[:400]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    return max(nul_even, nul_odd) >= 0.6 and min(nul_even, nul_odd) <= 0.1
