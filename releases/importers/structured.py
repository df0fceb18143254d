"""Import what the JSON and NDJSON exports wrote: ``import_json_file(path)``; the ninjs
importer (``releases.importers.ninjs``) reads its files with ``read_items`` and writes with
``_Importer`` too.

A file holds a JSON array of items, one item, or one item per line (NDJSON); errors
name the line where the item starts (or where the JSON breaks) and the field.

JSON items are canonical release dicts (``releases.exports.serialize``); a key left
out leaves that part of an existing release as it is (a new one gets the default).
An export imported into an empty database exports again to the same bytes: ids are
kept when they are free, times and order are kept. Files (the featured image, the
attachments) come from the bundle or the folder of the JSON, or name stored files,
by the rules of ``releases.importers.files``; what cannot be taken is a warning on
the release (``import_warnings``).

Matching, so a second import changes nothing: releases on their slug (an item
without one on the slug its headline gives), organizations on their name, authors on
their slug then their name, contacts on name + e-mail, tags on their name.
Organizations, authors and contacts that exist already are linked as they are, never
overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connections, router, transaction
from django.utils import timezone

from releases.exports.files import LinkedFiles
from releases.exports.serialize import attachment_to_dict, release_to_dict
from releases.importers import ImportResult, ReleaseImportError
from releases.importers.files import FileResolver, FolderSource, open_bundle
from releases.importers.slugs import url_slug
from releases.models import (
    Attachment,
    Author,
    Contact,
    Correction,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    Status,
)
from releases.signals import send_release_action
from releases.storable import unstorable_field

# A database cannot store these characters (see releases.storable).
UNSTORABLE_MESSAGE = "contains a character that cannot be stored (NUL or a lone surrogate)"

# -- reading the file ------------------------------------------------------------------

# Python's JSON reader (and every walk over what it read) recurses once per level.
NESTED_TOO_DEEP = "not valid JSON (nested too deep)"


def read_items(path: Path, data: bytes | None = None) -> Iterator[tuple[int, Any]]:
    """``(line, item)`` for each item of a JSON array, a single item, or NDJSON; of
    ``data`` when given (the JSON of a bundle), else of the file at ``path``."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        raise ReleaseImportError(f"cannot read the file: {error.strerror}", path=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReleaseImportError("not UTF-8 text", path=path, line=line) from None
    decoder = json.JSONDecoder()
    lines = _LineCounter(text)

    def skip_space(pos: int) -> int:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        return pos

    def value_at(pos: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            raise ReleaseImportError(
                f"not valid JSON: {error.msg} (column {error.colno})", path=path, line=error.lineno
            ) from None
        except RecursionError:
            raise ReleaseImportError(
                NESTED_TOO_DEEP, path=path, line=lines.at(min(pos, len(text)))
            ) from None

    pos = skip_space(0)
    if pos == len(text):
        raise ReleaseImportError("the file is empty", path=path, line=1)
    if text[pos] != "[":
        # One item, or one per line (NDJSON): values one after another.
        while pos < len(text):
            item, end = value_at(pos)
            yield lines.at(pos), item
            pos = skip_space(end)
        return
    pos = skip_space(pos + 1)
    if pos < len(text) and text[pos] == "]":
        pos += 1
    else:
        while True:
            item, end = value_at(pos)
            yield lines.at(pos), item
            pos = skip_space(end)
            if pos < len(text) and text[pos] == ",":
                pos = skip_space(pos + 1)
                continue
            if pos < len(text) and text[pos] == "]":
                pos += 1
                break
            raise ReleaseImportError(
                "not valid JSON: expected “,” or “]” after an item",
                path=path,
                line=lines.at(min(pos, len(text))),
            )
    if skip_space(pos) != len(text):
        raise ReleaseImportError(
            "not valid JSON: text after the array", path=path, line=lines.at(skip_space(pos))
        )


class _LineCounter:
    """Line numbers of increasing positions, counted once (not from the start each time)."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


# -- values ----------------------------------------------------------------------------


class _Missing:
    """A key the item does not have (unlike ``""`` or ``None``, which it gave).

    False, like an empty value: ``if slug:`` must never take the marker for a slug
    (every author or organization without one was once given the slug "MISSING", and
    every later one merged into the first).
    """

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


def _text(data: dict, key: str, field: str, *, required: bool = False) -> Any:
    value = data.get(key, MISSING)
    if value is None:
        value = ""
    if value is MISSING:
        if required:
            raise ReleaseImportError("this field is required", field=field)
        return MISSING
    if not isinstance(value, str):
        raise ReleaseImportError(f"expected text, not {_kind(value)}", field=field)
    if required and not value.strip():
        raise ReleaseImportError("this field cannot be empty", field=field)
    return value


def _time(data: dict, key: str, field: str) -> Any:
    value = data.get(key, MISSING)
    if value is MISSING or value is None:
        return value
    return parse_time(value, field)


def parse_time(value: Any, field: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ReleaseImportError(f"expected an ISO 8601 time, not {_kind(value)}", field=field)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ReleaseImportError(f"“{value}” is not an ISO 8601 time", field=field) from None
    if parsed.tzinfo is None:
        raise ReleaseImportError(f"“{value}” has no time zone (add Z for UTC)", field=field)
    return parsed


def _list(data: dict, key: str, field: str) -> Any:
    value = data.get(key, MISSING)
    if value is MISSING:
        return MISSING
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReleaseImportError(f"expected a list, not {_kind(value)}", field=field)
    return value


def _object(value: Any, field: str) -> dict:
    if not isinstance(value, dict):
        raise ReleaseImportError(f"expected an object, not {_kind(value)}", field=field)
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )


def _validation_error(error: ValidationError, prefix: str = "", names=None) -> ReleaseImportError:
    names = names or {}
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        messages = [message for e in errors for message in e.messages]
        if field == "__all__":
            field = ""
        field = names.get(field, field)
        return ReleaseImportError(
            " ".join(messages), field=f"{prefix}.{field}" if prefix and field else prefix or field
        )
    return ReleaseImportError(" ".join(error.messages), field=prefix or None)


# -- writing a release -----------------------------------------------------------------

# The release fields a canonical dict sets directly, text or time.
TEXT_FIELDS = (
    "headline",
    "subheadline",
    "dateline",
    "summary",
    "body",
    "withdrawal_reason",
    "language",
    "source_url",
    "featured_image_alt",
    "featured_image_caption",
    "featured_image_credit",
)
TIME_FIELDS = ("published_at", "embargoed_until", "withdrawn_at")


# Marks a correction read from ninjs, which gives its day only (“Updated 10 June 2025: …”).
DAY_ONLY = "_day_only"


def _content(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "updated_at"}


class _Importer:
    """One file's import: its result, and the organizations it created by name only.

    ``field_names`` translates model field names into the file's (ninjs) for errors.
    """

    def __init__(
        self,
        path: Path,
        field_names: dict[str, str] | None = None,
        files: FileResolver | None = None,
    ):
        self.result = ImportResult(path=str(path))
        self.field_names = field_names or {}
        self.files = files or FileResolver()
        self.name_only: set[int] = set()  # organizations known so far by a contact's name
        self.kept_ids = False

    def release(self, data: dict) -> None:
        headline = _text(data, "headline", self.field("headline"), required=True)
        slug = _text(data, "slug", self.field("slug"))
        if slug is MISSING or not slug:
            slug = url_slug(headline)
        release = Release.objects.filter(slug=slug).first() if slug else None
        before = release_to_dict(release) if release else None
        previous_update = release.updated_at if release else None
        if release is None:
            release = Release(slug=slug)
            wanted_id = data.get("id")
            if isinstance(wanted_id, int) and not Release.objects.filter(pk=wanted_id).exists():
                release.pk = wanted_id
                self.kept_ids = True

        for name in TEXT_FIELDS:
            value = _text(data, name, self.field(name))
            if value is not MISSING:
                setattr(release, name, value)
        for name in TIME_FIELDS:
            value = _time(data, name, self.field(name))
            if value is not MISSING:
                setattr(release, name, value)
        status = data.get("status", MISSING)
        if status is not MISSING:
            if status not in Status.values:
                raise ReleaseImportError(
                    f"unknown status “{status}” ({', '.join(Status.values)})",
                    field=self.field("status"),
                )
            release.status = status
        warnings: list[str] = []
        new_image = False
        if "featured_image" in data:
            image = self.files.resolve(
                data["featured_image"],
                field=self.field("featured_image"),
                folder="releases",
                storage=release.featured_image.storage,
                current=release.featured_image,
                owner=release,
                warnings=warnings,
            )
            new_image = not isinstance(image, str)
            release.featured_image = image
        if "author" in data:
            release.author = self.author(data["author"])
        created_at = _time(data, "created_at", self.field("created_at"))
        updated_at = _time(data, "updated_at", self.field("updated_at"))

        try:
            release.full_clean()
        except ValidationError as error:
            raise _validation_error(error, names=self.field_names) from None
        release.save()
        if new_image:
            self.files.remember(release.featured_image, release.featured_image_renditions)

        organizations = _list(data, "organizations", self.field("organizations"))
        if organizations is not MISSING:
            self.link(
                release,
                ReleaseOrganization,
                "organization",
                [
                    self.organization(item, f"{self.field('organizations')}[{i}]")
                    for i, item in enumerate(organizations)
                ],
            )
        contacts = _list(data, "contacts", self.field("contacts"))
        if contacts is not MISSING:
            self.link(
                release,
                ReleaseContact,
                "contact",
                [
                    self.contact(item, f"{self.field('contacts')}[{i}]")
                    for i, item in enumerate(contacts)
                ],
            )
        tags = _list(data, "tags", self.field("tags"))
        if tags is not MISSING:
            names = []
            for i, name in enumerate(tags):
                if not isinstance(name, str) or not name.strip():
                    raise ReleaseImportError("a tag is a name", field=f"{self.field('tags')}[{i}]")
                names.append(name.strip())
            release.tags.set(names)
        corrections = _list(data, "corrections", self.field("corrections"))
        if corrections is not MISSING:
            self.corrections(release, corrections)
        attachments = _list(data, "attachments", self.field("attachments"))
        if attachments is not MISSING:
            self.attachments(release, attachments, warnings)

        # Last: saving and linking above set updated_at to now.
        times = {"created_at": created_at, "updated_at": updated_at}
        times = {name: value for name, value in times.items() if value not in (MISSING, None)}
        if warnings:
            # An update, not a save: the warnings are not a change of the release.
            times["import_warnings"] = [*release.import_warnings, *warnings]
            self.result.warnings.extend(f"{release.slug}: {warning}" for warning in warnings)
        if times:
            Release.objects.filter(pk=release.pk).update(**times)

        if before is None:
            self.result.created.append(release)
            send_release_action(release=release, user=None, action="import", note=self.result.path)
            return
        after = release_to_dict(Release.objects.get(pk=release.pk))
        if updated_at in (MISSING, None) and _content(after) == _content(before):
            # Saving an unchanged release moved its update time (feeds, ETags, the
            # ninjs version would all announce a change): put it back.
            Release.objects.filter(pk=release.pk).update(updated_at=previous_update)
            after["updated_at"] = before["updated_at"]
        if after == before:
            self.result.unchanged.append(release)
        else:
            self.result.updated.append(release)
            send_release_action(release=release, user=None, action="import", note=self.result.path)

    def field(self, name: str) -> str:
        return self.field_names.get(name, name)

    # -- the people -----------------------------------------------------------------

    def author(self, data: Any) -> Author | None:
        field = self.field("author")
        if data is None:
            return None
        data = _object(data, field)
        name = _text(data, "name", f"{field}.name", required=True)
        slug = _text(data, "slug", f"{field}.slug")
        author = None
        if slug:
            author = Author.objects.filter(slug=slug).first()
        if author is None:
            author = Author.objects.filter(name=name).order_by("pk").first()
        if author is not None:
            return author
        bio = _text(data, "bio", f"{field}.bio")
        author = Author(
            name=name,
            slug=slug if slug and not Author.objects.filter(slug=slug).exists() else "",
            bio="" if bio is MISSING else bio,
        )
        return self.saved(author, field, exclude=["slug"])

    def organization(self, data: Any, field: str) -> Organization:
        data = _object(data, field)
        name = _text(data, "name", f"{field}.name", required=True)
        values = {
            key: value
            for key in ("short_name", "boilerplate", "website", "location")
            if (value := _text(data, key, f"{field}.{key}")) is not MISSING
        }
        slug = _text(data, "slug", f"{field}.slug")
        organization = Organization.objects.filter(name=name).first()
        if organization is not None and organization.pk not in self.name_only:
            return organization
        if organization is None:
            organization = Organization(name=name)
        else:
            # Created moments ago from a contact's organization name: fill it in.
            self.name_only.discard(organization.pk)
        for key, value in values.items():
            setattr(organization, key, value)
        if slug and not Organization.objects.exclude(pk=organization.pk).filter(slug=slug).exists():
            organization.slug = slug
        return self.saved(organization, field, exclude=["slug"])

    def organization_named(self, name: str, field: str) -> Organization:
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            organization = self.saved(Organization(name=name), field, exclude=["slug"])
            self.name_only.add(organization.pk)
        return organization

    def contact(self, data: Any, field: str) -> Contact:
        data = _object(data, field)
        name = _text(data, "name", f"{field}.name", required=True)
        email = _text(data, "email", f"{field}.email")
        email = "" if email is MISSING else email.strip()
        contact = Contact.objects.filter(name=name, email=email).first()
        if contact is not None:
            return contact
        role = _text(data, "role", f"{field}.role")
        phone = _text(data, "phone", f"{field}.phone")
        contact = Contact(
            name=name,
            email=email,
            role="" if role is MISSING else role,
            phone="" if phone is MISSING else phone,
            organization=self.contact_organization(data.get("organization"), field),
        )
        return self.saved(contact, field)

    def contact_organization(self, value: Any, field: str) -> Organization | None:
        """A contact's organization: its name (JSON) or all it is known by (ninjs)."""
        field = f"{field}.organization"
        if isinstance(value, dict):
            return self.organization(value, field)
        if value in (None, "", MISSING):
            return None
        if not isinstance(value, str):
            raise ReleaseImportError(f"expected a name, not {_kind(value)}", field=field)
        return self.organization_named(value, field)

    def saved(self, instance, field: str, exclude=None):
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            raise _validation_error(error, prefix=field) from None
        instance.save()
        return instance

    # -- the links ------------------------------------------------------------------

    def link(self, release: Release, link_model, name: str, targets: list) -> None:
        """Link ``targets`` in this order (position 0, 1, …), unless they are already."""
        wanted = list(dict.fromkeys(target.pk for target in targets))
        links = link_model.objects.filter(release=release).order_by("position", "id")
        if list(links.values_list(f"{name}_id", flat=True)) == wanted:
            return
        # One by one (not bulk): the search index follows saves and deletes of links.
        links.delete()
        for position, pk in enumerate(wanted):
            link_model.objects.create(release=release, position=position, **{f"{name}_id": pk})

    def corrections(self, release: Release, items: list) -> None:
        field = self.field("corrections")
        wanted = []
        for i, item in enumerate(items):
            item = _object(item, f"{field}[{i}]")
            noted_at = _time(item, "noted_at", f"{field}[{i}].noted_at")
            note = _text(item, "note", f"{field}[{i}].note", required=True)
            if noted_at in (MISSING, None):
                raise ReleaseImportError("this field is required", field=f"{field}[{i}].noted_at")
            wanted.append((noted_at, note))
        existing = list(
            release.corrections.order_by("noted_at", "id").values_list("noted_at", "note")
        )
        if items and all(isinstance(item, dict) and item.get(DAY_ONLY) for item in items):
            # ninjs carries a correction's day, not its time: the same days and notes
            # are the same corrections, and keep their exact times.
            def days(pairs):
                return [(timezone.localdate(at), note) for at, note in pairs]

            if days(existing) == days(wanted):
                return
        if existing != wanted:
            release.corrections.all().delete()
            Correction.objects.bulk_create(
                Correction(release=release, noted_at=noted_at, note=note)
                for noted_at, note in wanted
            )

    def attachments(self, release: Release, items: list, warnings: list[str]) -> None:
        """The media kit as ``items`` lists it, unless it is so already. Files come
        through ``FileResolver``; an attachment whose file cannot be had is left out
        (with the warning the resolver gives)."""
        field = self.field("attachments")
        wanted = []
        for i, item in enumerate(items):
            prefix = f"{field}[{i}]"
            item = _object(item, prefix)
            title = _text(item, "title", f"{prefix}.title", required=True)
            description = _text(item, "description", f"{prefix}.description")
            position = item.get("position", i)
            if isinstance(position, bool) or not isinstance(position, int):
                raise ReleaseImportError("expected a whole number", field=f"{prefix}.position")
            if not 0 <= position <= 32767:
                raise ReleaseImportError("expected 0 to 32767", field=f"{prefix}.position")
            if item.get("file") in (None, ""):
                raise ReleaseImportError("this field is required", field=f"{prefix}.file")
            description = "" if description is MISSING else description
            wanted.append((prefix, title, description, position, item["file"]))
        existing = list(release.attachments.order_by("position", "id"))
        described = [attachment_to_dict(a, LinkedFiles()) for a in existing]
        if len(described) == len(wanted) and all(
            _same_attachment(have, want) for have, want in zip(described, wanted, strict=True)
        ):
            return
        fresh = []
        for prefix, title, description, position, file_value in wanted:
            own = next((a for a in existing if _names_file(file_value, a)), None)
            value = self.files.resolve(
                file_value,
                field=f"{prefix}.file",
                folder="attachments",
                storage=Attachment._meta.get_field("file").storage,
                current=own.file if own else None,
                owner=own,
                warnings=warnings,
            )
            if value == "":
                continue
            attachment = Attachment(
                release=release, title=title, description=description, position=position
            )
            attachment.file = value
            fresh.append((prefix, attachment, not isinstance(value, str)))
        # The old rows go first; a file they held and the new rows name stays stored.
        release.attachments.all().delete()
        for prefix, attachment, new_file in fresh:
            self.saved(attachment, prefix)
            if new_file:
                self.files.remember(attachment.file, attachment.renditions)

    def finish(self) -> None:
        if self.kept_ids:
            # Rows inserted with their own ids leave PostgreSQL's sequence behind;
            # set it past them, as loaddata does.
            connection = connections[router.db_for_write(Release)]
            statements = connection.ops.sequence_reset_sql(no_style(), [Release])
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def _same_attachment(have: dict, want: tuple) -> bool:
    _prefix, title, description, position, file_value = want
    if (have["title"], have["description"], have["position"]) != (title, description, position):
        return False
    stored = have["file"] or {}
    if isinstance(file_value, dict):
        return bool(file_value.get("sha256")) and (
            (file_value.get("sha256"), file_value.get("file_name"))
            == (stored.get("sha256"), stored.get("file_name"))
        )
    return False


def _names_file(value: Any, attachment: Attachment) -> bool:
    """Whether the file reference ``value`` is ``attachment``'s own file (by stored
    name, or by name and checksum)."""
    if isinstance(value, str):
        return value == attachment.file.name
    if isinstance(value, dict) and value.get("sha256"):
        stored = LinkedFiles().entry(attachment.file) or {}
        return (value.get("sha256"), value.get("file_name")) == (
            stored.get("sha256"),
            stored.get("file_name"),
        )
    return False


def import_file(
    path: str | Path,
    make_importer: Callable[[Path, FileResolver, bool], _Importer],
    take: Callable[[_Importer, dict], Any],
    what: str = "a release",
) -> ImportResult:
    """Import the items of ``path`` (a JSON file, or a ZIP bundle of one with its
    files): ``make_importer(path, files, bundled)`` makes the importer, ``take(importer,
    item)`` writes each item (``what`` names one in errors). All or nothing: raises
    ``ReleaseImportError`` located at the item's file and line, and the files an import
    that fails stored are deleted again. The JSON and the ninjs importers run here."""
    path = Path(path)
    bundle = open_bundle(path) if path.is_file() else None
    data, source = bundle if bundle else (None, FolderSource(path.parent))
    importer = make_importer(path, FileResolver(source), bundle is not None)
    try:
        with transaction.atomic():
            for line, item in read_items(path, data):
                try:
                    if not isinstance(item, dict):
                        raise ReleaseImportError(f"expected an object ({what}), not {_kind(item)}")
                    # Checked on the item as read, so the error names the file's own field.
                    if (field := unstorable_field(item)) is not None:
                        raise ReleaseImportError(UNSTORABLE_MESSAGE, field=field)
                    take(importer, item)
                except RecursionError:
                    raise ReleaseImportError(NESTED_TOO_DEEP, path=path, line=line) from None
                except ReleaseImportError as error:
                    raise error.located(path=path, line=line) from None
            importer.finish()
    except BaseException:
        importer.files.discard_stored()
        raise
    finally:
        source.close()
    return importer.result


def import_json_file(path: str | Path) -> ImportResult:
    """Import a JSON or NDJSON export. Raises ``ReleaseImportError``; all or nothing.

    Only this site's export: a ninjs item is refused (``refuse_ninjs``), so one item
    never becomes two releases, one by slug here and one by ``uri`` under ninjs."""
    return import_file(
        path,
        lambda path, files, _bundled: _Importer(path, None, files),
        lambda importer, item: importer.release(refuse_ninjs(item)),
    )


# Keys of a ninjs item (1.x to 3.x) that this site's JSON export never writes.
_NINJS_ONLY_KEYS = frozenset({
    "headlines", "versioncreated", "versionCreated", "firstcreated", "firstCreated",
    "body_html", "body_text", "bodies", "pubstatus", "pubStatus", "descriptions",
    "description_text", "description_html", "contentcreated", "contentCreated",
})  # fmt: skip


def refuse_ninjs(item: dict) -> dict:
    """Rule *not our JSON*: ``item``, unless it reads as a ninjs item: its ``uri`` (its
    identity in ninjs; the export writes ``url`` and ``slug``) with a ``headline``,
    ``headlines`` or a ninjs date, or ninjs-only keys (``versionCreated``, ``bodies``…)
    and no ``slug``. The export carries no format marker, so the keys decide."""
    keys = item.keys()
    ninjs = ("uri" in keys and bool(keys & {"headline", "title", *_NINJS_ONLY_KEYS})) or (
        bool(keys & _NINJS_ONLY_KEYS) and "slug" not in keys
    )
    if ninjs:
        raise ReleaseImportError(
            "this looks like ninjs, not this site's JSON export: use --format ninjs",
            field="uri" if "uri" in keys else None,
        )
    return item
