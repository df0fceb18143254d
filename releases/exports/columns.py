"""The columns of the tabular exports (CSV and XLSX): one row per release.

The names and their order are part of the export contract (docs/export-formats.md);
add new columns at the end. Lists (organizations, contacts, tags, corrections) are
joined with ``"; "``. Values are Python values: the CSV writer prints times in ISO 8601
UTC, the XLSX writer stores them as spreadsheet dates in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from releases.exports.serialize import (
    absolute_url,
    contacts_of,
    corrections_of,
    iso,
    organizations_of,
    phone_e164,
    tags_of,
)
from releases.models import Contact, Release

LIST_SEPARATOR = "; "

Value = str | int | dt.datetime | None


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Release, str], Value]  # (release, base_url)


def _field(name: str) -> Callable[[Release, str], Value]:
    return lambda release, base_url: getattr(release, name)


def _contact(contact: Contact) -> str:
    """``Jane Roe (Press officer, WHO) <jane@who.int> +41227912222``."""
    about = ", ".join(
        part
        for part in (
            contact.role,
            contact.organization.name if contact.organization else "",
        )
        if part
    )
    text = f"{contact.name} ({about})" if about else contact.name
    if contact.email:
        text += f" <{contact.email}>"
    if phone := phone_e164(contact):
        text += f" {phone}"
    return text


def _joined(values) -> str:
    return LIST_SEPARATOR.join(values)


COLUMNS: tuple[Column, ...] = (
    Column("id", lambda r, base: r.pk),
    Column("slug", _field("slug")),
    Column("url", lambda r, base: absolute_url(base, r.get_absolute_url())),
    Column("headline", _field("headline")),
    Column("subheadline", _field("subheadline")),
    Column("dateline", _field("dateline")),
    Column("summary", _field("summary")),
    Column("body", _field("body")),
    Column("status", _field("status")),
    Column("state", lambda r, base: r.state_label),
    Column("published_at", _field("published_at")),
    Column("embargoed_until", _field("embargoed_until")),
    Column("withdrawn_at", _field("withdrawn_at")),
    Column("withdrawal_reason", _field("withdrawal_reason")),
    Column("language", _field("language")),
    Column("source_url", _field("source_url")),
    Column("featured_image", lambda r, base: r.featured_image.name or ""),
    Column("featured_image_alt", _field("featured_image_alt")),
    Column("featured_image_caption", _field("featured_image_caption")),
    Column("featured_image_credit", _field("featured_image_credit")),
    Column("author", lambda r, base: r.author.name if r.author else ""),
    Column("organizations", lambda r, base: _joined(o.name for o in organizations_of(r))),
    Column("contacts", lambda r, base: _joined(_contact(c) for c in contacts_of(r))),
    Column("tags", lambda r, base: _joined(t.name for t in tags_of(r))),
    Column(
        "corrections",
        lambda r, base: _joined(f"{iso(c.noted_at)}: {c.note}" for c in corrections_of(r)),
    ),
    Column("created_at", _field("created_at")),
    Column("updated_at", _field("updated_at")),
)

HEADER: tuple[str, ...] = tuple(column.name for column in COLUMNS)
# The columns whose values are times (or None); every other value is text or a number.
TIME_COLUMNS = frozenset(
    {"published_at", "embargoed_until", "withdrawn_at", "created_at", "updated_at"}
)
TIME_INDEXES = tuple(i for i, name in enumerate(HEADER) if name in TIME_COLUMNS)


def row(release: Release, base_url: str) -> list[Value]:
    return [column.value(release, base_url) for column in COLUMNS]


# What a spreadsheet may run as a formula at the start of a cell: OWASP's "CSV
# Injection" list (= + - @ tab carriage return) and NUL (OWASP ASVS 5.0, 1.2.10). Beyond
# the list: the same signs after leading whitespace (" =1+1"), and their full-width
# forms (＝ ＋ － ＠), which East Asian input in Excel turns into formulas.
_FORMULA_SIGNS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
_FORMULA_CONTROLS = ("\t", "\r", "\0")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could read the cell ``text`` as a formula (see above)."""
    return text.startswith(_FORMULA_CONTROLS) or text.lstrip().startswith(_FORMULA_SIGNS)


def neutralized(text: str) -> str:
    """``text`` with OWASP's leading ``'`` when it could run as a formula, else as is.

    Spreadsheets read the quote as "this cell is text"; other readers see it.
    """
    return f"'{text}" if runs_as_formula(text) else text
