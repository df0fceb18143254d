"""Bytes to text: UTF-8 with or without a byte-order mark."""

from __future__ import annotations

from pathlib import Path

from releases.importers import ReleaseImportError


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReleaseImportError("not a text file (it contains NUL bytes)", path=path, line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReleaseImportError(
            f"not UTF-8: byte 0x{data[error.start]:02x} cannot be decoded", path=path, line=line
        ) from None
