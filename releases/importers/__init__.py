"""Importers: files of releases in, releases (and their people) out.

``manage.py import_releases PATH… --format {json,ninjs,text}`` calls, per path and
inside its own ``transaction.atomic()``:

- ``releases.importers.structured.import_json_file(path) -> ImportResult``
- ``releases.importers.ninjs.import_ninjs_file(path) -> ImportResult``
- ``releases.importers.text.import_text_file(path) -> ImportResult``

The contract every importer keeps:

- a file it cannot read raises ``ReleaseImportError`` naming the path and, where it
  can, the line and the field; the command rolls the whole file back, reports the
  error and goes on with the next file;
- importing the same file twice does not duplicate anything: releases are matched on
  their slug, organizations on their name, authors on their slug (or name), contacts
  on name + e-mail, tags on their name;
- it returns an ``ImportResult`` saying what it created, updated or left unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from releases.models import Release


class ReleaseImportError(Exception):
    """A file that cannot be imported, and where: ``path``, ``line``, ``field``.

    ``str()`` reads ``releases.json, line 12, field "headline": A release needs a
    headline.``; ``line`` and ``field`` are left out when unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = [self.path] if self.path else []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f'field "{self.field}"')
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def located(self, *, path=None, line=None, field=None) -> ReleaseImportError:
        """The same error with what the caller knows filled in (never overwritten)."""
        return ReleaseImportError(
            self.message,
            path=self.path or path,
            line=self.line if self.line is not None else line,
            field=self.field or field,
        )


@dataclass
class ImportResult:
    """What one file did: the releases it created, changed, or found as they were, and
    what an editor should check (``warnings``: a dropped artefact, a guessed name…)."""

    path: str
    created: list[Release] = field(default_factory=list)
    updated: list[Release] = field(default_factory=list)
    unchanged: list[Release] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def releases(self) -> list[Release]:
        return [*self.created, *self.updated, *self.unchanged]

    def __str__(self) -> str:
        return (
            f"{self.path}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


__all__ = ["ImportResult", "ReleaseImportError"]
