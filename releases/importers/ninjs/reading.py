"""A ninjs item (any version) as a canonical release dict: ``read_item(item, base_dir)``.

The item is first read as 3.x (``spelling.as_3x``). What each part becomes:

- the release: a ``text`` item (the default type), or the text part of a
  ``composite`` (its own headline and body, else its first ``text`` association; a
  composite with a headline and no body takes the body of its first text part, and
  its descriptions when the composite has none; no text anywhere is a warning);
  other types are refused, naming the type;
- headline: the ``main`` headline, else the first that is not a subheadline, else
  ``title``; none of them is an error naming the item. Subheadline: role ``sub``
  (or ``subheadline``, ``subtitle``, ``deck``);
- slug: from ``slugline``, else from the headline, in any script (``slugs``:
  "Förderung" → ``forderung``, "Москва" → ``moskva``, with a warning when spelled
  from another script); ``uri`` (1.x ``guid``) is the item's identity (``releases.importers.
  ninjs.writing``);
- summary: the first description of role ``summary``, ``lead``, ``abstract``,
  ``teaser``, ``text``, none, ``caption`` (HTML descriptions as plain text);
- body: the ``main`` body (else the first), HTML and XHTML as they are, NITF as HTML
  (``nitf``), plain text as paragraphs; always sanitized on save;
- dateline: ``located``, else the first place that is not only mentioned;
- dates and status: ``pubStatus`` ``usable`` (or none) publishes at
  ``firstCreated``, else ``versionCreated``, else ``contentCreated``; ``withheld``
  is a draft; ``canceled`` is withdrawn at ``versionCreated``. An item with no date
  at all is a draft with a warning: never "published now". A date without a time
  zone is read in ``TIME_ZONE`` (a warning says so);
- people and organisations: ``parties``; pictures and files: ``media``;
- subjects: the tags (their names), and kept as written for the export;
- everything else a release has no place for (genres, urgency, usage terms, rights,
  trust indicators, alt ids…) is listed in the warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html_join, strip_tags
from django.utils.text import Truncator

from releases.body_images import site_relative_media
from releases.exports import ninjs as ninjs_names
from releases.importers import ReleaseImportError
from releases.importers.ninjs.nitf import nitf_to_html
from releases.importers.ninjs.parties import people_and_organisations
from releases.importers.ninjs.spelling import as_3x
from releases.importers.ninjs.values import objects, rel, route_slug, short
from releases.importers.slugs import is_transliterated, url_slug
from releases.importers.structured import DAY_ONLY, MISSING, _kind, _text
from releases.models import Release, Status

PUB_STATUSES = (ninjs_names.USABLE, ninjs_names.WITHHELD, ninjs_names.CANCELED)
RELEASE_TYPES = ("text", "composite")
URI_LENGTH = Release._meta.get_field("ninjs_uri").max_length
SUB_ROLES = ("sub", "subheadline", "subtitle", "deck", "dek", "strap")
SUMMARY_ROLES = ("summary", "lead", "abstract", "teaser", "text", "", "description", "caption")
# Properties a release has no place for: named in the warnings, with their value.
NOT_TAKEN = (
    "genres",
    "urgency",
    "usageTerms",
    "rightsInfo",
    "copyrightHolder",
    "copyrightNotice",
    "trustIndicators",
    "altIds",
    "expires",
    "events",
    "objects",
    "eventDetails",
    "plannedCoverage",
    "digitalSourceType",
    "profile",
    "advices",
    # Superdesk's own: its desk priority, services (feeds) and custom fields.
    "priority",
    "service",
    "extra",
    "keywords",
    "signal",
)
# A well-formed BCP 47 tag (RFC 5646 §2.1): language[-extlang][-script][-region]
# [-variant]*[-extension]*[-privateuse], or private use alone.
BCP47 = re.compile(
    r"[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*"
    r"(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+",
    re.I,
)
LANGUAGE_LENGTH = Release._meta.get_field("language").max_length
_CORRECTION_TEXT = re.compile(r"Updated (\d{1,2} [A-Za-z]+ \d{4}): (.*)", re.DOTALL)


@dataclass
class ItemReading:
    """What one item gives besides the canonical dict."""

    uri: str = ""
    subjects: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    associations: list[dict] = field(default_factory=list)


def item_label(item: dict) -> str:
    uri = item.get("uri") or item.get("guid")
    if isinstance(uri, int) and not isinstance(uri, bool):
        uri = str(uri)  # a number as uri: read as its digits (``_uri``)
    return f"item “{uri}”" if isinstance(uri, str) and uri else "the item"


def read_item(raw: dict) -> tuple[dict, ItemReading]:
    """``(canonical release dict, ItemReading)``; raises ``ReleaseImportError`` naming
    the item and the 3.x field."""
    item = as_3x(raw)
    label = item_label(item)
    kind = item.get("type", "text")
    if kind not in RELEASE_TYPES:
        raise ReleaseImportError(
            f"{label} is of type “{kind}”: only text and composite items are releases",
            field="type",
        )
    reading = ItemReading()
    reading.uri = _uri(item, label, reading.warnings.append)
    if len(reading.uri) > URI_LENGTH:
        raise ReleaseImportError(
            f"{label}: a uri longer than {URI_LENGTH} characters cannot be kept", field="uri"
        )
    if kind == "composite":
        item = _text_part(item, reading)
    pub_status = item.get("pubStatus") or ninjs_names.USABLE
    if pub_status not in PUB_STATUSES:
        raise ReleaseImportError(
            f"unknown pubStatus “{pub_status}” ({', '.join(PUB_STATUSES)})", field="pubStatus"
        )
    warn = reading.warnings.append

    headline, subheadline = _headlines(item, label, warn)
    data: dict = {
        "headline": headline,
        "subheadline": subheadline,
        "summary": _summary(item, warn),
        # Read back from our own export, own files are site-relative again.
        "body": site_relative_media(_body(item, warn)),
        "dateline": _dateline(item, warn),
    }
    slugline = _text(item, "slugline", "slugline")
    slugline = "" if slugline is MISSING else slugline
    slug = url_slug(slugline)
    if slugline and not slug:
        warn(f"the slugline “{slugline}” gives no URL slug: the headline's is used")
    spelled = slugline if slug else ""
    if not slug and not (slug := route_slug(reading.uri, "releases:detail")):
        slug, spelled = url_slug(headline), headline
    data["slug"] = slug
    if slug and is_transliterated(spelled):
        # Release URLs take ASCII slugs only: "Москва" is spelled "moskva".
        warn(f"the slug “{data['slug']}” spells “{short(spelled)}” in Latin letters")
    data.update(_language(item, warn))
    data.update(_dates_and_status(item, pub_status, warn))
    data.update(people_and_organisations(item, reading.warnings.append))
    if corrections := _corrections(item, warn):
        data["corrections"] = corrections
    data.update(_subjects(item, reading))
    data["source_url"] = next(
        (
            source.get("uri", "")
            for source in objects(item, "infoSources")
            if source.get("role") == ninjs_names.SOURCE_ROLE
        ),
        "",
    )
    reading.associations = objects(item, "associations")
    for name in NOT_TAKEN:
        if item.get(name) not in (None, "", [], {}):
            warn(f"not taken: {name} {short(item[name])}")
    return data, reading


# -- the parts ----------------------------------------------------------------------


def _uri(item: dict, label: str, warn) -> str:
    """The item's uri: a string; a whole number (some producers' ids) is read as its
    digits, with a warning; anything else is refused, naming the field."""
    uri = item.get("uri")
    if uri is None or isinstance(uri, str):
        return (uri or "").strip()
    if isinstance(uri, int) and not isinstance(uri, bool):
        warn(f"the uri {uri} is a number, not a string: read as “{uri}”")
        return str(uri)
    raise ReleaseImportError(f"{label}: the uri must be a string, not {_kind(uri)}", field="uri")


def _language(item: dict, warn) -> dict:
    """``{"language": tag}`` for a well-formed BCP 47 tag that fits the field; else the
    site's language (``LANGUAGE_CODE``) with a warning; ``{}`` when the item has
    none (a new release gets the site's, an updated one keeps its own)."""
    language = _text(item, "language", "language")
    if language in (MISSING, ""):
        return {}
    language = language.strip()
    if BCP47.fullmatch(language) and len(language) <= LANGUAGE_LENGTH:
        return {"language": language}
    why = "is not a BCP 47 language tag" if not BCP47.fullmatch(language) else "is too long"
    warn(f"the language “{short(language)}” {why}: the site's “{settings.LANGUAGE_CODE}” is used")
    return {"language": settings.LANGUAGE_CODE}


def _text_part(item: dict, reading: ItemReading) -> dict:
    """A composite's release: the composite itself when it has a headline or title,
    else its first text association (the composite's other associations kept). A
    composite with its own headline and no body takes the body (and, when it has
    none, the descriptions) of its first text association with one; with no text
    anywhere, its body is empty and a warning says so."""
    warn = reading.warnings.append
    associations = objects(item, "associations")
    if item.get("headlines") or item.get("title"):
        if _has_text(item, "bodies"):
            return item
        for i, association in enumerate(associations):
            if _is_text_part(association) and _has_text(association, "bodies"):
                merged = dict(item)
                merged["bodies"] = association["bodies"]
                if not _has_text(item, "descriptions") and association.get("descriptions"):
                    merged["descriptions"] = association["descriptions"]
                merged["associations"] = associations[:i] + associations[i + 1 :]
                warn(
                    "the body is the composite's text part "
                    f"“{association.get('name', i)}” (the headline is the composite's)"
                )
                return merged
        warn("the composite has no text (no body, no text part): the body is empty")
        return item
    for i, association in enumerate(associations):
        if _is_text_part(association) and (
            association.get("headlines") or association.get("title")
        ):
            part = dict(association)
            part["associations"] = associations[:i] + associations[i + 1 :]
            for key in ("uri", "pubStatus", "versionCreated", "firstCreated", "language"):
                if key in item:
                    part.setdefault(key, item[key])
            part["uri"] = item.get("uri") or association.get("uri")
            warn(f"the release is the composite's text part “{association.get('name', i)}”")
            return part
    raise ReleaseImportError(
        f"{item_label(item)} is a composite without a headline, title or text part",
        field="associations",
    )


def _is_text_part(association: dict) -> bool:
    """A ``text`` association that is not a file of the media kit."""
    return association.get("type", "text") == "text" and rel(association) != ninjs_names.ATTACHMENT


def _has_text(entry: dict, key: str) -> bool:
    """Whether ``entry[key]`` (bodies, descriptions) holds some non-blank value."""
    values = entry.get(key)
    return isinstance(values, list) and any(
        isinstance(v, dict) and isinstance(v.get("value"), str) and v["value"].strip()
        for v in values
    )


def _headlines(item: dict, label: str, warn) -> tuple[str, str]:
    headlines = [
        (entry.get("role") or "", value)
        for i, entry in enumerate(objects(item, "headlines"))
        if isinstance(value := _text(entry, "value", f"headlines[{i}].value"), str)
        and value.strip()
    ]
    main = next((v for role, v in headlines if role == "main"), None)
    main = main or next((v for role, v in headlines if role not in SUB_ROLES), None)
    sub = next((v for role, v in headlines if role in SUB_ROLES), "")
    if not main:
        title = _text(item, "title", "title")
        if title in (MISSING, "") or not title.strip():
            raise ReleaseImportError(
                f"{label} has no headline or title: a release needs one", field="headlines"
            )
        main = title
        warn("the headline is the item's title (it has no headline)")
    main = " ".join(main.split())
    whole = main
    limit = Release._meta.get_field("headline").max_length
    if len(main) > limit:
        warn(f"the headline was cut to {limit} characters; it began “{main[:80]}…”")
        main = Truncator(main).chars(limit)
    used = {whole, sub}
    for role, value in headlines:
        if value not in used and " ".join(value.split()) != whole:
            warn(f"headline of role “{role or 'none'}” not taken: “{short(value)}”")
    sub_limit = Release._meta.get_field("subheadline").max_length
    if len(sub) > sub_limit:
        warn(f"the subheadline was cut to {sub_limit} characters")
        sub = Truncator(sub).chars(sub_limit)
    return main, sub


def _description_value(entry: dict) -> str:
    value = str(entry.get("value", ""))
    content_type = str(entry.get("contentType", "text/plain"))
    if "html" in content_type or "xml" in content_type:
        value = unescape(strip_tags(value))
    return value.strip()


def _summary(item: dict, warn) -> str:
    descriptions = [
        entry
        for entry in objects(item, "descriptions")
        if entry.get("role") != ninjs_names.CORRECTION_ROLE and _description_value(entry)
    ]
    chosen = None
    for role in SUMMARY_ROLES:
        chosen = next((d for d in descriptions if (d.get("role") or "") == role), None)
        if chosen:
            break
    for entry in descriptions:
        if entry is not chosen:
            role = entry.get("role") or "none"
            warn(f"description of role “{role}” not taken: “{short(_description_value(entry))}”")
    if chosen is None:
        return ""
    if (chosen.get("role") or "") == "caption":
        warn("the summary is the item's caption (it has no summary)")
    return _description_value(chosen)


def _body(item: dict, warn) -> str:
    bodies = [b for b in objects(item, "bodies") if isinstance(b.get("value"), str)]
    if not bodies:
        return ""
    main = [b for b in bodies if (b.get("role") or "main") in ("main", "body", "text")] or bodies

    def rank(body: dict) -> int:
        content_type = str(body.get("contentType", "text/html")).lower()
        for position, kind in enumerate(("html", "nitf", "xml", "plain")):
            if kind in content_type:
                return position
        return 4

    body = min(main, key=rank)
    for other in bodies:
        if other is not body and other not in main:
            warn(f"body of role “{other.get('role') or 'none'}” not taken")
    value = body["value"]
    content_type = str(body.get("contentType", "text/html")).lower()
    if "nitf" in content_type or ("xml" in content_type and "xhtml" not in content_type):
        return nitf_to_html(value, warn)
    if content_type.startswith("text/plain"):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
        return format_html_join("\n", "<p>{}</p>", ((p,) for p in paragraphs))
    return value


# Places only mentioned in the story are not where it was written.
MENTION_RELS = ("about", "mentions", "mentioned", "subject")


def _dateline(item: dict, warn) -> str:
    located = _text(item, "located", "located")
    dateline = "" if located is MISSING else located.strip()
    if not dateline:
        for place in objects(item, "places"):
            name = place.get("name") or place.get("literal")
            if isinstance(name, str) and name.strip() and rel(place) not in MENTION_RELS:
                dateline = name.strip()
                warn(f"the dateline “{dateline}” is the item's place")
                break
    limit = Release._meta.get_field("dateline").max_length
    if len(dateline) > limit:
        warn(f"the dateline was cut to {limit} characters")
        dateline = Truncator(dateline).chars(limit)
    return dateline


def parse_when(value: Any, field: str, warn) -> dt.datetime:
    """An ISO 8601 time; a day alone is its midnight, and a time without a zone is read
    in ``TIME_ZONE``, each with a warning."""
    if not isinstance(value, str):
        raise ReleaseImportError(f"expected an ISO 8601 time, not {_kind(value)}", field=field)
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ReleaseImportError(f"“{value}” is not an ISO 8601 time", field=field) from None
    if parsed.tzinfo is None:
        warn(f"{field} “{value}” has no time zone: read in {timezone.get_current_timezone_name()}")
        parsed = timezone.make_aware(parsed)
    return parsed


def _dates_and_status(item: dict, pub_status: str, warn) -> dict:
    times = {}
    for name in ("firstCreated", "versionCreated", "contentCreated", "embargoedUntil"):
        value = item.get(name)
        if value not in (None, ""):
            times[name] = parse_when(value, name, warn)
    first, version = times.get("firstCreated"), times.get("versionCreated")
    when = first or version or times.get("contentCreated")
    data: dict = {
        "embargoed_until": _iso(times.get("embargoedUntil")),
        "withdrawn_at": None,
        "withdrawal_reason": "",
        "status": Status.PUBLISHED,
        "published_at": _iso(when),
    }
    if pub_status == ninjs_names.WITHHELD:
        data.update(status=Status.DRAFT, published_at=None)
    elif when is None:
        data.update(status=Status.DRAFT, published_at=None)
        warn(
            "the item has no date (firstCreated, versionCreated or contentCreated): "
            "imported as a draft; set the publication time before publishing"
        )
    elif pub_status == ninjs_names.CANCELED:
        data["status"] = Status.WITHDRAWN
        data["withdrawn_at"] = _iso(version or when)
        data["withdrawal_reason"] = _text(item, "edNote", "edNote") or ""
    elif item.get("edNote"):
        warn(f"not taken: edNote “{short(item['edNote'])}”")
    if first:
        data["created_at"] = _iso(first)
    if version:
        data["updated_at"] = _iso(version)
    return data


def _subjects(item: dict, reading: ItemReading) -> dict:
    """Tags from the subjects' names; the subjects kept as 3.x writes them, except
    this site's own tag links (the export makes those again)."""
    names, kept = [], []
    for subject in objects(item, "subjects"):
        name = subject.get("name")
        if isinstance(name, str) and name.strip():
            names.append(name.strip()[:100])
        if route_slug(subject.get("uri"), "releases:tag"):
            continue
        entry = _subject(subject, reading.warnings.append)
        if set(entry) - {"name"}:
            kept.append(entry)
    reading.subjects = kept
    return {"tags": list(dict.fromkeys(names))}


# What ninjs 3.1 allows in a subject: texts, an absolute URI and 0-100 scores.
SUBJECT_TEXTS = ("name", "rel", "literal", "creator")
SUBJECT_SCORES = ("relevance", "confidence")
ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def _subject(subject: dict, warn) -> dict:
    """A subject as the 3.1 schema allows it, so the export stays valid."""
    entry = {key: subject[key] for key in SUBJECT_TEXTS if isinstance(subject.get(key), str)}
    uri = subject.get("uri")
    if isinstance(uri, str) and ABSOLUTE_URI.fullmatch(uri):
        entry["uri"] = uri
    elif uri:
        entry.setdefault("literal", str(uri))
        warn(f"the subject uri “{short(uri)}” is not an absolute URI: kept as its literal")
    for key in SUBJECT_SCORES:
        value = subject.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
            entry[key] = value
    # Keys in the 3.1 order, whatever the item's.
    order = ("name", "rel", "uri", "literal", "creator", "relevance", "confidence")
    return {key: entry[key] for key in order if key in entry}


def _corrections(item: dict, warn) -> list[dict]:
    """The ``descriptions`` of role ``correction``: as the exporter writes them
    ("Updated 10 June 2025: <note>"), noted at noon of their day in ``TIME_ZONE`` (or
    at ``versionCreated`` when that is earlier: the item's last change);
    any other text of that role (an agency's "Corrects spelling of name in 3rd
    para.") is a correction noted at the item's ``versionCreated``, with a warning."""
    found = []
    version = item.get("versionCreated") or item.get("firstCreated")
    latest = _time_or_none(version)
    for description in objects(item, "descriptions"):
        if description.get("role") != ninjs_names.CORRECTION_ROLE:
            continue
        text = _description_value(description)
        if not text:
            continue
        match = _CORRECTION_TEXT.fullmatch(text)
        day = None
        if match:
            try:
                day = dt.datetime.strptime(match[1], "%d %B %Y").date()  # noqa: DTZ007 (a day)
            except ValueError:
                day = None
        if day is not None:
            noted_at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
            # No correction is later than the item's last change: one noted before noon
            # on the day of versionCreated is that change (else a round trip's version
            # would move on to noon).
            if latest is not None and noted_at > latest:
                noted_at = latest
            found.append({"noted_at": _iso(noted_at), "note": match[2], DAY_ONLY: True})
        elif version:
            noted_at = parse_when(version, "versionCreated", lambda _message: None)
            found.append({"noted_at": _iso(noted_at), "note": text})
            warn(f"the correction “{short(text)}” has no date: noted at the item's versionCreated")
        else:
            warn(f"the correction “{short(text)}” has no date and the item none: not taken")
    return found


# -- helpers ------------------------------------------------------------------------


def _time_or_none(value: Any) -> dt.datetime | None:
    """``value`` as a time, or None when it is missing or not one (the item's own
    field reports that, once, where it is read)."""
    try:
        return parse_when(value, "versionCreated", lambda _message: None) if value else None
    except ReleaseImportError:
        return None


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
