"""Import IPTC ninjs items: ``import_ninjs_file(path)``.

ninjs items are read as ``release_to_ninjs`` writes them (see ``releases.exports.
ninjs`` for what ninjs cannot carry), and as other providers commonly do: the ``main``
headline (else the first), the ``summary`` description, the ``main`` body (plain text
is turned into paragraphs). ``pubStatus`` ``usable`` imports as published at
``firstCreated`` (else ``versionCreated``); ``withheld`` as a draft; ``canceled`` as
withdrawn at ``versionCreated``. The file is read, and written to the database, by
``releases.importers.structured`` (one transaction per file, errors with line and
field).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.html import format_html_join

from releases.exports import ninjs as ninjs_names
from releases.importers import ImportResult, ReleaseImportError
from releases.importers.structured import (
    DAY_ONLY,
    MISSING,
    _import,
    _list,
    _object,
    _text,
    _time,
)
from releases.models import Status


def import_ninjs_file(path: str | Path) -> ImportResult:
    """Import ninjs items (an array, one item, or one per line). Raises
    ``ReleaseImportError``; all or nothing."""
    return _import(path, ninjs_to_data, NINJS_FIELDS)


# -- ninjs -----------------------------------------------------------------------------

# Where the parts of a release are in a ninjs item, for error messages.
NINJS_FIELDS = {
    "headline": "headlines",
    "subheadline": "headlines",
    "slug": "slugline",
    "summary": "descriptions",
    "body": "bodies",
    "dateline": "located",
    "status": "pubStatus",
    "published_at": "firstCreated",
    "created_at": "firstCreated",
    "updated_at": "versionCreated",
    "withdrawn_at": "versionCreated",
    "embargoed_until": "embargoedUntil",
    "withdrawal_reason": "edNote",
    "source_url": "infoSources",
    "featured_image": "associations",
    "featured_image_alt": "associations",
    "featured_image_caption": "associations",
    "featured_image_credit": "associations",
    "author": "people",
    "organizations": "organisations",
    "contacts": "organisations",
    "tags": "subjects",
}
PUB_STATUSES = (ninjs_names.USABLE, ninjs_names.WITHHELD, ninjs_names.CANCELED)
PHONE_TYPES = frozenset({"phone", "telephone", "tel", "mobile", "cell"})

_CORRECTION_TEXT = re.compile(r"Updated (\d{1,2} [A-Za-z]+ \d{4}): (.*)", re.DOTALL)


def _ninjs_corrections(item: dict) -> list[dict]:
    """The ``descriptions`` of role ``correction``, as the exporter writes them, noted at
    noon of their day in ``TIME_ZONE``; other texts of that role are not ours and are
    left out."""
    found = []
    for description in item.get("descriptions") or []:
        if not isinstance(description, dict):
            continue
        if description.get("role") != ninjs_names.CORRECTION_ROLE:
            continue
        match = _CORRECTION_TEXT.fullmatch(str(description.get("value", "")))
        if not match:
            continue
        try:
            day = dt.datetime.strptime(match[1], "%d %B %Y").date()  # noqa: DTZ007 (a day)
        except ValueError:
            continue
        noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        found.append({"noted_at": _iso(noon), "note": match[2], DAY_ONLY: True})
    return found


def ninjs_to_data(item: dict) -> dict:
    """A ninjs item as a canonical release dict (the parts ninjs carries)."""
    if item.get("type", "text") != "text":
        raise ReleaseImportError(
            f"only text items are releases, not “{item['type']}”", field="type"
        )
    pub_status = item.get("pubStatus", ninjs_names.USABLE)
    if pub_status not in PUB_STATUSES:
        raise ReleaseImportError(
            f"unknown pubStatus “{pub_status}” ({', '.join(PUB_STATUSES)})", field="pubStatus"
        )
    first_created = _time(item, "firstCreated", "firstCreated")
    version_created = _time(item, "versionCreated", "versionCreated")
    first_created = None if first_created is MISSING else first_created
    version_created = None if version_created is MISSING else version_created
    embargoed_until = _time(item, "embargoedUntil", "embargoedUntil")

    headlines = _roles(item, "headlines")
    main = headlines.get("main") or next(iter(headlines.values()), None)
    if not main or not main.strip():
        raise ReleaseImportError("a release needs a headline (role “main”)", field="headlines")
    data: dict = {
        "headline": main,
        "subheadline": headlines.get("sub", ""),
        "summary": _roles(item, "descriptions").get("summary", ""),
        "body": _body(item),
        "dateline": _text(item, "located", "located") or "",
        "embargoed_until": None if embargoed_until is MISSING else embargoed_until,
    }
    slug = _text(item, "slugline", "slugline")
    if slug is MISSING or not slug:
        slug = _route_slug(item.get("uri"), "releases:detail")
    if slug:
        data["slug"] = slug
    if (language := _text(item, "language", "language")) not in (MISSING, ""):
        data["language"] = language

    now = dt.datetime.now(dt.UTC)
    data["withdrawn_at"] = None
    data["withdrawal_reason"] = ""
    if pub_status == ninjs_names.WITHHELD:
        data["status"] = Status.DRAFT
        data["published_at"] = None
    else:
        data["status"] = Status.PUBLISHED
        data["published_at"] = _iso(first_created or version_created or now)
        if pub_status == ninjs_names.CANCELED:
            data["status"] = Status.WITHDRAWN
            data["withdrawn_at"] = _iso(version_created or now)
            data["withdrawal_reason"] = _text(item, "edNote", "edNote") or ""
    if first_created:
        data["created_at"] = _iso(first_created)
    if version_created:
        data["updated_at"] = _iso(version_created)
    for key in ("published_at", "withdrawn_at", "embargoed_until"):
        if isinstance(data[key], dt.datetime):
            data[key] = _iso(data[key])

    data.update(_people_and_organisations(item))
    if corrections := _ninjs_corrections(item):
        data["corrections"] = corrections
    data["tags"] = [
        subject["name"]
        for subject in _objects(item, "subjects")
        if isinstance(subject.get("name"), str) and subject["name"].strip()
    ]
    data["source_url"] = next(
        (
            source.get("uri", "")
            for source in _objects(item, "infoSources")
            if source.get("role") == ninjs_names.SOURCE_ROLE
        ),
        "",
    )
    data.update(_featured_image(item))
    return data


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


def _objects(item: dict, key: str) -> list[dict]:
    value = _list(item, key, key)
    if value is MISSING:
        return []
    for i, entry in enumerate(value):
        _object(entry, f"{key}[{i}]")
    return value


def _roles(item: dict, key: str) -> dict[str, str]:
    """``{role: value}`` of headlines / descriptions / bodies (first of each role)."""
    found: dict[str, str] = {}
    for i, entry in enumerate(_objects(item, key)):
        value = _text(entry, "value", f"{key}[{i}].value", required=False)
        if isinstance(value, str):
            found.setdefault(entry.get("role") or "", value)
    return found


def _body(item: dict) -> str:
    bodies = _objects(item, "bodies")
    if not bodies:
        return ""
    body = next((b for b in bodies if b.get("role") == "main"), bodies[0])
    value = _text(body, "value", "bodies.value") or ""
    if body.get("contentType", "text/html").startswith("text/plain"):
        paragraphs = [p.strip() for p in value.split("\n\n") if p.strip()]
        return format_html_join("\n", "<p>{}</p>", ((p,) for p in paragraphs))
    return value


def _route_slug(uri: Any, view_name: str) -> str:
    """The slug in ``uri`` when it is this site's URL for ``view_name``."""
    if not isinstance(uri, str):
        return ""
    try:
        match = resolve(urlsplit(uri).path)
    except Resolver404:
        return ""
    return match.kwargs.get("slug", "") if match.view_name == view_name else ""


def _people_and_organisations(item: dict) -> dict:
    data: dict = {"author": None, "organizations": [], "contacts": []}
    by = _text(item, "by", "by")
    if by not in (MISSING, ""):
        data["author"] = {"name": by}
    loose_contacts = []
    for i, person in enumerate(_objects(item, "people")):
        name = _text(person, "name", f"people[{i}].name")
        if not name:
            continue
        if person.get("rel") == ninjs_names.REL_AUTHOR:
            data["author"] = {
                "name": name,
                "slug": _route_slug(person.get("uri"), "releases:author"),
            }
        elif person.get("rel") == ninjs_names.REL_MEDIA_CONTACT:
            loose_contacts.extend(_contacts(person.get("contactInfo"), None, f"people[{i}]"))
    for i, organisation in enumerate(_objects(item, "organisations")):
        name = _text(organisation, "name", f"organisations[{i}].name", required=True)
        info = organisation.get("contactInfo") or []
        if not isinstance(info, list):
            raise ReleaseImportError("expected a list", field=f"organisations[{i}].contactInfo")
        organization = _organisation(organisation, name, info)
        if organisation.get("rel") != ninjs_names.REL_CONTACT_ORGANISATION:
            data["organizations"].append(organization)
        data["contacts"].extend(_contacts(info, organization, f"organisations[{i}]"))
    data["contacts"].extend(loose_contacts)
    return data


def _organisation(organisation: dict, name: str, info: list) -> dict:
    website = next(
        (e.get("value", "") for e in info if isinstance(e, dict) and e.get("type") == "web"), ""
    )
    address = next(
        (e["address"] for e in info if isinstance(e, dict) and isinstance(e.get("address"), dict)),
        {},
    )
    parts = address.get("lines") or [
        address.get(key) for key in ("locality", "area", "country") if address.get(key)
    ]
    return {
        "name": name,
        "short_name": organisation.get("literal") or "",
        "slug": _route_slug(organisation.get("uri"), "releases:organization"),
        "website": website,
        "location": ", ".join(str(part) for part in parts),
    }


def _contacts(info: Any, organization: dict | None, field: str) -> list[dict]:
    """Media contacts from ``contactInfo``: consecutive entries of the same name and
    role, one per way to reach them, are one contact."""
    contacts: list[dict] = []
    current: dict | None = None
    for entry in info if isinstance(info, list) else []:
        if not isinstance(entry, dict) or not entry.get("name"):
            continue
        kind = str(entry.get("type", "")).lower()
        value = str(entry.get("value", "")).strip()
        if kind == "email":
            key, value = "email", value.removeprefix("mailto:")
        elif kind in PHONE_TYPES:
            key, value = "phone", value.removeprefix("tel:")
        else:
            continue
        same_person = (
            current is not None
            and (current["name"], current["role"]) == (entry["name"], entry.get("role", ""))
            and not current[key]
        )
        if not same_person:
            current = {
                "name": entry["name"],
                "role": entry.get("role", ""),
                "organization": organization,
                "email": "",
                "phone": "",
            }
            contacts.append(current)
        current[key] = value
    return contacts


def _featured_image(item: dict) -> dict:
    empty = {
        "featured_image": "",
        "featured_image_alt": "",
        "featured_image_caption": "",
        "featured_image_credit": "",
    }
    for association in _objects(item, "associations"):
        if association.get("name") != ninjs_names.FEATURED_IMAGE:
            continue
        path = unquote(urlsplit(str(association.get("uri", ""))).path)
        if not path.startswith(settings.MEDIA_URL):
            return empty  # somewhere else: nothing this site can show
        descriptions = _roles(association, "descriptions")
        return {
            "featured_image": path.removeprefix(settings.MEDIA_URL),
            "featured_image_alt": descriptions.get("alt", ""),
            "featured_image_caption": descriptions.get("caption", ""),
            "featured_image_credit": association.get("by", ""),
        }
    return empty
