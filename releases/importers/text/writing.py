"""Writing the draft: the release, its organizations, contacts and author."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

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

    ``source`` is kept as the release's ``source_url``; by default the ``file://`` URI
    of the file. A release imported before is refreshed in place while it is an
    untouched draft (no one saved it since), and left alone otherwise (see
    ``write_release`` for how it is found). Raises ``ReleaseImportError``; writes in
    one transaction.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReleaseImportError(f"cannot read the file: {error.strerror}", path=path) from None
    decoding: list[str] = []
    text = _decode(data, path, decoding)
    parsed = parse_text_release(
        text, source=str(path), region=getattr(settings, "PHONENUMBER_DEFAULT_REGION", None)
    )
    parsed.warnings[:0] = decoding
    with transaction.atomic():
        return write_release(parsed, source_url=source or path.resolve().as_uri(), path=str(path))


_UPDATES = "updates the draft imported from"


def write_release(parsed: ParsedRelease, *, source_url: str, path: str = "") -> ImportResult:
    """Write ``parsed`` as a draft, or refresh the release imported before.

    Rule *sent again*: the release imported before is the one from ``source_url``;
    else the one imported from the same text (``parsed.checksum``: "kite.txt" sent
    again as "kite-final.txt"), which keeps its first source; else an untouched
    imported draft with the same headline and date (a corrected file under a new
    name), which takes the new text and source, with a warning. A release an editor
    has saved since is left as it is.
    """
    result = ImportResult(path=path or source_url)
    release = Release.objects.filter(source_url=source_url).order_by("pk").first()
    notes: list[str] = []  # for this import's report only: they do not change the draft
    if release is not None:
        # Said once, kept while the draft comes from this file.
        parsed.warnings.extend(w for w in release.import_warnings if w.startswith(_UPDATES))
    if release is None and parsed.checksum:
        release = Release.objects.filter(import_checksum=parsed.checksum).order_by("pk").first()
        if release is not None:
            notes.append(f"the same text as {release.source_url}, imported before: no new draft")
            source_url = release.source_url
    if release is None and (same := _same_headline_and_date(parsed)) is not None:
        release = same
        parsed.warnings.append(
            f"{_UPDATES} {release.source_url} (same headline and date): check the changes"
        )
    if release is not None and (release.status != Status.DRAFT or release.updated_by_id):
        # An editor has taken it over: the file no longer has the last word.
        state = "edited since" if release.status == Status.DRAFT else release.state_label
        parsed.warnings.append(f"already imported as “{release.headline}” ({state}): left as it is")
        result.unchanged.append(release)
        return _with_warnings(result, parsed, notes)

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


def _same_headline_and_date(parsed: ParsedRelease) -> Release | None:
    """Rule *sent again*: the untouched draft a text import made (it has a checksum, no
    one saved it since) with this headline and release date; a release without a date
    is never matched on its headline alone ("Statement" is many releases)."""
    if parsed.dated is None or not parsed.checksum:
        return None
    return (
        Release.objects.filter(
            status=Status.DRAFT,
            updated_by__isnull=True,
            headline__iexact=parsed.headline,
            published_at=_release_time(parsed),
        )
        .exclude(import_checksum="")
        .order_by("pk")
        .first()
    )


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
        warnings.append(f"{contact.name}: kept the known phone {contact.phone}")
    if changed:
        contact.save(update_fields=changed)
    return contact


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
