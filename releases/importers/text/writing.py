"""Writing the draft: the release, its organizations, contacts and author."""

from __future__ import annotations

import os
import re
from datetime import datetime, time
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from releases.importers import ImportResult, ReleaseImportError
from releases.importers.text.body import _body_html
from releases.importers.text.encoding import _decode
from releases.importers.text.parsed import ParsedContact, ParsedOrganization, ParsedRelease
from releases.importers.text.parser import parse_text_release
from releases.indexing import update_search_vectors
from releases.models import (
    Author,
    Contact,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    Status,
)
from releases.sanitize import sanitize_html
from releases.signals import send_release_action


def import_text_file(path: str | Path, *, source: str | None = None) -> ImportResult:
    """Import the release in the text file at ``path`` as a draft.

    ``source``, the public http(s) address of the release, is kept as its
    ``source_url`` (anything else is refused); the file's own ``file://`` URI is kept
    in the private ``import_source``, never in ``source_url``: a server's local path
    is nobody's business. A release imported before is refreshed in place while it is
    an untouched draft (no one saved it since), and left alone otherwise (see
    ``write_release`` for how it is found). A file over
    ``NEWSROOM_MAX_TEXT_IMPORT_BYTES`` is refused before it is read. Raises
    ``ReleaseImportError``; writes in one transaction.
    """
    path = Path(path)
    if source and urlsplit(source).scheme.lower() not in ("http", "https"):
        raise ReleaseImportError(
            f"the source {source!r} is not an http(s) address", path=path, field="source_url"
        )
    data = _read_limited(path, settings.NEWSROOM_MAX_TEXT_IMPORT_BYTES)
    decoding: list[str] = []
    text = _decode(data, path, decoding)
    parsed = parse_text_release(
        text, source=str(path), region=getattr(settings, "PHONENUMBER_DEFAULT_REGION", None)
    )
    parsed.warnings[:0] = decoding
    with transaction.atomic():
        return write_release(
            parsed,
            source_url=source or "",
            import_source=path.resolve().as_uri(),
            path=str(path),
        )


def _read_limited(path: Path, limit: int) -> bytes:
    """Rule *size*: the file's bytes, refused when there are more than ``limit`` (a
    release is a few KB: a 50 MB file is not one, and parsing it takes a minute).
    The size is checked before reading, and the read stops at ``limit + 1`` bytes
    whatever the file claims (a pipe, a file still growing)."""
    too_big = (
        f"larger than the {limit:,}-byte limit for a text release (NEWSROOM_MAX_TEXT_IMPORT_BYTES)"
    )
    try:
        with path.open("rb") as file:
            if path.is_file() and os.fstat(file.fileno()).st_size > limit:
                raise ReleaseImportError(too_big, path=path)
            data = file.read(limit + 1)
    except OSError as error:
        raise ReleaseImportError(f"cannot read the file: {error.strerror}", path=path) from None
    if len(data) > limit:
        raise ReleaseImportError(too_big, path=path)
    return data


_UPDATES = "updates the draft imported from"


def write_release(
    parsed: ParsedRelease, *, import_source: str, source_url: str = "", path: str = ""
) -> ImportResult:
    """Write ``parsed`` as a draft, or refresh the release imported before.

    ``import_source`` (the file's URI) is private; ``source_url`` is the public http(s)
    address given with the import, if any (kept from before when none is given).
    Rule *sent again*: the release imported before is the one from ``import_source``;
    else the one imported from the same text (``parsed.checksum``: "kite.txt" sent
    again as "kite-final.txt"), which keeps its first source; else an untouched
    imported draft with the same headline and date whose file has the same name once
    re-send marks are removed (``same_file_name``: "kite.txt" corrected as
    "kite-final.txt"), which takes the new text and source, with a warning. A release
    an editor has saved since is left as it is.
    """
    result = ImportResult(path=path or import_source)
    release = Release.objects.filter(import_source=import_source).order_by("pk").first()
    notes: list[str] = []  # for this import's report only: they do not change the draft
    if release is not None:
        # Said once, kept while the draft comes from this file.
        parsed.warnings.extend(w for w in release.import_warnings if w.startswith(_UPDATES))
    if release is None and parsed.checksum:
        release = Release.objects.filter(import_checksum=parsed.checksum).order_by("pk").first()
        if release is not None:
            notes.append(
                f"the same text as {_shown(release.import_source)}, imported before: no new draft"
            )
            import_source = release.import_source
    if release is None and (same := _same_headline_and_date(parsed, import_source)) is not None:
        release = same
        parsed.warnings.append(
            f"{_UPDATES} {_shown(release.import_source)} (same headline and date, "
            "same file name but for a re-send mark): check the changes"
        )
    if release is not None and (release.status != Status.DRAFT or release.updated_by_id):
        # An editor has taken it over: the file no longer has the last word.
        state = "edited since" if release.status == Status.DRAFT else release.state_label
        parsed.warnings.append(f"already imported as “{release.headline}” ({state}): left as it is")
        result.unchanged.append(release)
        return _with_warnings(result, parsed, notes)
    if not source_url and release is not None:
        source_url = release.source_url

    matched = [_organization(o, parsed.warnings) for o in parsed.organizations]
    by_name = {p.name.lower(): o for p, o in zip(parsed.organizations, matched, strict=True)}
    organizations = _unique(matched)
    contacts = _unique(_contact_record(c, by_name, parsed.warnings) for c in parsed.contacts)
    author = _author(parsed, by_name) if parsed.author_name else None

    values = {
        "headline": parsed.headline,
        "subheadline": parsed.subheadline,
        "dateline": parsed.dateline,
        "summary": parsed.summary,
        # Sanitized as save() would, so an unchanged file compares equal.
        "body": sanitize_html(_body_html(parsed.paragraphs, markdown=parsed.markdown)),
        "author": author,
        "source_url": source_url,
        "import_source": import_source,
        "embargoed_until": parsed.embargoed_until,
        # Rule *language*: read from the text, else the site's.
        "language": parsed.language or settings.LANGUAGE_CODE,
        # The date the release carries (dateline or date line), so it files under its
        # own day once published; a draft is never public whatever this says.
        "published_at": _release_time(parsed),
        # Shown on the change form ("Imported: check these guesses").
        "import_warnings": list(parsed.warnings),
        "import_checksum": parsed.checksum,
    }
    created = release is None
    release = release or Release(status=Status.DRAFT)
    before = {name: getattr(release, name) for name in values}
    for name, value in values.items():
        setattr(release, name, value)
    changed = created or before != values
    if changed:
        release.save()
    changed |= _set_links(release, ReleaseOrganization, "organization", organizations)
    changed |= _set_links(release, ReleaseContact, "contact", contacts)
    if changed:
        # The link rows are bulk-created: no signal re-indexes the organization names.
        update_search_vectors([release.pk])
    (result.created if created else result.updated if changed else result.unchanged).append(release)
    if changed:
        send_release_action(release=release, user=None, action="import", note=result.path)
    return _with_warnings(result, parsed, notes)


def _same_headline_and_date(parsed: ParsedRelease, import_source: str) -> Release | None:
    """Rule *sent again*: the untouched draft a text import made (it has a checksum, no
    one saved it since) with this headline and release date, from a file of the same
    name but for re-send marks (``same_file_name``); a release without a date is never
    matched on its headline alone ("Statement" is many releases), nor one from a file
    of another name (two releases of one office on one day often share a headline)."""
    if parsed.dated is None or not parsed.checksum:
        return None
    candidates = (
        Release.objects.filter(
            status=Status.DRAFT,
            updated_by__isnull=True,
            headline__iexact=parsed.headline,
            published_at=_release_time(parsed),
        )
        .exclude(import_checksum="")
        .order_by("pk")
        .only("pk", "import_source")
    )
    for candidate in candidates[:20]:
        if same_file_name(candidate.import_source, import_source):
            return Release.objects.get(pk=candidate.pk)
    return None


# What people add to a file's name when they send it again: "kite-final.txt",
# "Kite_v2.txt", "kite (1).txt", "kite - Copy.txt", "kite corrected.txt".
_RESEND_MARKS = re.compile(
    r"final|corrected|correction|updated?|revised|v\d+|rev\d*|copy|draft", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"[\s_\-.]+")
_COPY_NUMBER = re.compile(r"\(\d+\)")


def _name_stem(uri: str) -> str:
    """Rule *same file name*: a file's name without its extension, its re-send marks
    (final, corrected, correction, update(d), revised, v2, rev2, copy, draft, "(1)"),
    separators (``_``, ``-``, ``.``, spaces) and case: "Kite_Final (1).txt" → "kite"."""
    name = PurePosixPath(unquote(urlsplit(uri).path) if "://" in uri else uri).name
    name = _COPY_NUMBER.sub(" ", name.rsplit(".", 1)[0] if "." in name else name)
    words = _NAME_SEPARATORS.split(name)
    return "".join(w for w in words if w and not _RESEND_MARKS.fullmatch(w)).lower()


def same_file_name(first: str, second: str) -> bool:
    """Whether two files (paths or URIs) have the same name once re-send marks are
    removed: "kite.txt" and "kite-final.txt" do, "date-as-first-line.txt" and
    "single-newline-paragraphs.txt" do not."""
    stem = _name_stem(first)
    return bool(stem) and stem == _name_stem(second)


def _shown(uri: str) -> str:
    """A ``file://`` URI as the local path an editor recognises."""
    return unquote(urlsplit(uri).path) if uri.startswith("file:") else uri


def _release_time(parsed: ParsedRelease) -> datetime | None:
    """Rule *release date*: midnight of ``parsed.dated`` in the site's time zone."""
    if parsed.dated is None:
        return None
    return datetime.combine(parsed.dated, time(0, 0), tzinfo=timezone.get_default_timezone())


def _with_warnings(result: ImportResult, parsed: ParsedRelease, notes=()) -> ImportResult:
    # What the editor should check: the command prints them under the file's name.
    result.warnings = [*parsed.warnings, *notes]
    return result


def _unique(records):
    seen, unique = set(), []
    for record in records:
        if record is not None and record.pk not in seen:
            seen.add(record.pk)
            unique.append(record)
    return unique


def _organization(parsed: ParsedOrganization, warnings: list[str]) -> Organization:
    organization = Organization.objects.filter(name__iexact=parsed.name).first()
    if organization is None and parsed.short_name:
        same_acronym = list(Organization.objects.filter(short_name__iexact=parsed.short_name)[:2])
        if len(same_acronym) == 1:
            organization = same_acronym[0]
            warnings.append(
                f"“{parsed.name} ({parsed.short_name})” matched to the existing "
                f"organization “{organization.name}” by its short name"
            )
    if organization is None:
        return Organization.objects.create(
            name=parsed.name,
            short_name=parsed.short_name[: Organization._meta.get_field("short_name").max_length],
            boilerplate=parsed.boilerplate,
        )
    # Shared records are an editor's: fill what is blank, never overwrite.
    changed = []
    if parsed.boilerplate and not organization.boilerplate:
        organization.boilerplate = parsed.boilerplate
        changed.append("boilerplate")
    if parsed.short_name and not organization.short_name:
        organization.short_name = parsed.short_name
        changed.append("short_name")
    if changed:
        organization.save(update_fields=[*changed, "updated_at"])
    return organization


def _contact_record(parsed: ParsedContact, organizations: dict, warnings) -> Contact:
    name = parsed.name[: Contact._meta.get_field("name").max_length]
    named = Contact.objects.filter(name__iexact=name)
    if parsed.email:
        contact = named.filter(email__iexact=parsed.email).first()
    else:
        # No e-mail: the phone tells two namesakes apart; (name, "") is unique.
        contact = (parsed.phone and named.filter(phone=parsed.phone).first()) or named.filter(
            email=""
        ).first()
    organization = organizations.get(parsed.organization.lower())
    if organization is None and parsed.organization:
        organization = Organization.objects.filter(
            Q(name__iexact=parsed.organization) | Q(short_name__iexact=parsed.organization)
        ).first()
    if contact is None:
        return Contact.objects.create(
            name=name,
            email=parsed.email,
            phone=parsed.phone,
            role=parsed.role[:200],
            organization=organization,
            notes=parsed.notes,
        )
    changed = []
    if parsed.notes and parsed.notes not in contact.notes:
        contact.notes = "\n".join(filter(None, [contact.notes, parsed.notes]))
        changed.append("notes")
    for attribute, value in (
        ("phone", parsed.phone),
        ("role", parsed.role[:200]),
        ("organization", organization),
    ):
        if value and not getattr(contact, attribute):
            setattr(contact, attribute, value)
            changed.append(attribute)
    if parsed.phone and contact.phone and contact.phone != parsed.phone:
        # Rule *known contact, new number*: the contact's phone is an editor's; the
        # file's number is kept beside it, in the private notes, never lost.
        known, new = _international(contact.phone), _international(parsed.phone)
        if new in contact.notes or parsed.phone in contact.notes:
            where = "already in"
        else:
            contact.notes = "\n".join(filter(None, [contact.notes, f"Phone: {new}"]))
            if "notes" not in changed:
                changed.append("notes")
            where = "added to"
        warnings.append(
            f"{contact.name}: kept the known phone {known}; the file's number {new} "
            f"is {where} the contact's private notes"
        )
    if changed:
        contact.save(update_fields=changed)
    return contact


def _international(phone) -> str:
    """A stored phone or an E.164 text ("+16145550130;ext=4417") in international
    format with its extension: "+1 614-555-0130 ext. 4417"."""
    if isinstance(phone, str):
        try:
            phone = phonenumbers.parse(phone.replace(";ext=", " ext. "), None)
        except phonenumbers.NumberParseException:
            return phone
    return phonenumbers.format_number(phone, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _author(parsed: ParsedRelease, organizations: dict[str, Organization]) -> Author:
    """The author named by the bio or byline; rule *byline*: the byline's organization
    ("By Megan Foster, Tidewater Health") is the new author's organization when it is
    one of the release's, else it is named in a warning."""
    author = Author.objects.filter(name__iexact=parsed.author_name).order_by("pk").first()
    organization = organizations.get(parsed.author_organization.lower())
    if parsed.author_organization and organization is None:
        parsed.warnings.append(
            f"the byline names “{parsed.author_organization}” for {parsed.author_name}: "
            "set the author's organization by hand"
        )
    if author is None:
        return Author.objects.create(
            name=parsed.author_name, bio=parsed.author_bio, organization=organization
        )
    if not author.bio:
        author.bio = parsed.author_bio
        author.save(update_fields=["bio"])
    return author


def _set_links(release: Release, model, field_name: str, records: list) -> bool:
    """Link ``records`` to ``release`` in this order; False when they already were."""
    links = model.objects.filter(release=release)
    current = list(links.order_by("position", "pk").values_list(f"{field_name}_id", flat=True))
    if current == [record.pk for record in records]:
        return False
    links.delete()
    model.objects.bulk_create(
        model(release=release, position=position, **{field_name: record})
        for position, record in enumerate(records)
    )
    return True
