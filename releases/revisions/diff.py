"""Two snapshots of a release as readable rows, field by field; every value escaped.

Text is compared word by word (``<del>``/``<ins>``); organizations, contacts, tags,
attachments and corrections as lists, with what left and what came marked. Fields no
one edits (``editable=False``: image renditions, import warnings, ninjs identity) are
left out; renditions made again for an unchanged image are one line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from releases.models import Author, Contact, Organization, Release, Status
from releases.revisions.snapshots import SNAPSHOT_FIELDS, Snapshot
from releases.times import local_time

_WORDS = re.compile(r"(\s+)")
# A rendition-records field → the image field it describes (``releases.images.fields``):
# renditions made again for an unchanged image are summarised, not listed.
RENDITIONS_OF = {
    field.renditions_field: field.name
    for field in Release._meta.concrete_fields
    if getattr(field, "renditions_field", None)
}
NEW_RENDITIONS = "New image renditions (the image itself is unchanged)"


def _label(field_name: str) -> str:
    return str(Release._meta.get_field(field_name).verbose_name).capitalize()


@dataclass(frozen=True)
class DiffRow:
    label: str
    html: SafeString


def word_diff(old: str, new: str) -> SafeString:
    """``old`` → ``new`` with removed words in ``<del>`` and added ones in ``<ins>``."""
    a, b = _WORDS.split(old), _WORDS.split(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html_join("", "{}", ((part,) for part in parts))


def list_diff(old: list[str], new: list[str]) -> SafeString:
    """The new list in order, removed items struck through after it."""
    items = [
        format_html("<li>{}</li>", item)
        if item in old
        else format_html("<li><ins>{}</ins></li>", item)
        for item in new
    ]
    items += [format_html("<li><del>{}</del></li>", item) for item in old if item not in new]
    if old != new and sorted(old) == sorted(new):
        items.append(format_html("<li><em>{}</em></li>", "(order changed)"))
    return format_html(
        '<ol class="revision-list">{}</ol>', format_html_join("", "{}", ((i,) for i in items))
    )


def _field_text(field, value, names: dict) -> str:
    if value in (None, ""):
        return ""
    if field.name == "status":
        return Status(value).label
    if field.name == "author":
        return names["author"].get(value, f"(deleted author #{value})")
    if hasattr(value, "tzinfo"):
        return local_time(value)
    return str(value)


def diff_snapshots(old: Snapshot, new: Snapshot) -> list[DiffRow]:
    """What changed from ``old`` to ``new``; empty when nothing did. Up to three queries
    (authors, organizations and contacts named by either side)."""
    authors = {v for s in (old, new) if (v := s.fields.get("author_id"))}
    names = {"author": dict(Author.objects.filter(pk__in=authors).values_list("pk", "name"))}
    organizations = Organization.objects.in_bulk({*old.organizations, *new.organizations})
    contacts = Contact.objects.select_related("organization").in_bulk(
        {*old.contacts, *new.contacts}
    )
    rows = []
    changed = {
        field.name
        for field in SNAPSHOT_FIELDS
        if old.fields.get(field.attname) != new.fields.get(field.attname)
    }
    for field in SNAPSHOT_FIELDS:
        if field.name not in changed:
            continue
        if not field.editable:
            # Kept by a revision (a restore brings them back with their image), but no
            # one edits them: their raw values (kilobytes of rendition records, an
            # importer's notes) would bury the changes a person made.
            if (image := RENDITIONS_OF.get(field.name)) and image not in changed:
                rows.append(DiffRow(_label(image), format_html("{}", NEW_RENDITIONS)))
            continue
        before, after = old.fields.get(field.attname), new.fields.get(field.attname)
        rows.append(
            DiffRow(
                _label(field.name),
                word_diff(_field_text(field, before, names), _field_text(field, after, names)),
            )
        )

    def named(ids, objects, what):
        return [str(objects[i]) if i in objects else f"(deleted {what} #{i})" for i in ids]

    lists = [
        (
            "Issuing organizations",
            named(old.organizations, organizations, "organization"),
            named(new.organizations, organizations, "organization"),
        ),
        (
            "Media contacts",
            named(old.contacts, contacts, "contact"),
            named(new.contacts, contacts, "contact"),
        ),
        ("Tags", list(old.tags), list(new.tags)),
        (
            "Attachments",
            [f"{t} ({f})" for t, f in old.attachments],
            [f"{t} ({f})" for t, f in new.attachments],
        ),
        (
            "Corrections",
            [f"{local_time(at)}: {note}" for at, note in old.corrections],
            [f"{local_time(at)}: {note}" for at, note in new.corrections],
        ),
    ]
    rows += [DiffRow(label, list_diff(a, b)) for label, a, b in lists if a != b]
    return rows
