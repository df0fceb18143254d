"""Every ninjs version read as 3.x: ``as_3x(item) -> dict``.

ninjs renamed its properties twice (source: the IPTC schemas of each version, in
``tests/standards/ninjs-conformance/specification``):

- 1.x: one ``headline`` (more as ``headline_<role>``), ``body_<type>`` and
  ``description_<role>_<type>`` properties, ``byline``, singular lists (``person``,
  ``organisation``, ``place``, ``subject``, ``genre``, ``infosource``), subjects
  as ``scheme`` + ``code``, ``associations`` and ``renditions`` as objects keyed by
  name, lower-case names (``versioncreated``, ``pubstatus``, ``embargoed``);
  some producers write the item's id as ``guid``;
- 2.x: the lists of 3.x (``headlines``, ``bodies``, ``descriptions``, ``people``…)
  with lower-case names (``versioncreated``, ``contenttype``, ``ednote``);
- 3.x: camelCase (``versionCreated``, ``contentType``, ``embargoedUntil``).

The result uses 3.x names only; values are not checked here (the reader does that,
naming the 3.x field). A property both spellings give is taken from the 3.x one.
"""

from __future__ import annotations

import re
from typing import Any

# 2.x (and 1.x) lower-case names → 3.x names.
LOWER_TO_3X = {
    "versioncreated": "versionCreated",
    "firstcreated": "firstCreated",
    "contentcreated": "contentCreated",
    "pubstatus": "pubStatus",
    "embargoed": "embargoedUntil",
    "embargoeduntil": "embargoedUntil",
    "ednote": "edNote",
    "infosources": "infoSources",
    "infosource": "infoSources",
    "altids": "altIds",
    "trustindicators": "trustIndicators",
    "trustindicator": "trustIndicators",
    "usageterms": "usageTerms",
    "representationtype": "representationType",
    "rightsinfo": "rightsInfo",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "digitalsourcetype": "digitalSourceType",
    "contenttype": "contentType",
    "mimetype": "contentType",
    "sizeinbytes": "sizeInBytes",
    "charcount": "charCount",
    "wordcount": "wordCount",
    "contactinfo": "contactInfo",
    "byline": "by",
    "person": "people",
    "organisation": "organisations",
    "organization": "organisations",
    "organizations": "organisations",
    "place": "places",
    "subject": "subjects",
    "genre": "genres",
    "event": "events",
    "object": "objects",
    "$standard": "standard",
}

# The media type a 1.x ``body_<x>`` / ``description_<x>`` suffix names.
SUFFIX_TYPES = {
    "text": "text/plain",
    "html": "text/html",
    "xhtml": "application/xhtml+xml",
    "xml": "application/nitf+xml",
    "nitf": "application/nitf+xml",
}
# Any suffix: 1.x schemas anchor only its start, so "headline_test-#$^-é" is valid 1.3.
_SUFFIXED = re.compile(r"(headline|body|description)_(.+)", re.DOTALL)


def as_3x(item: dict) -> dict:
    """``item`` with every property under its 3.x name (a new dict; nested items of
    ``associations`` too)."""
    result: dict[str, Any] = {}
    headlines, bodies, descriptions = [], [], []
    for key, value in item.items():
        if key == "guid":
            result.setdefault("uri", value)
            continue
        if key == "headline" and isinstance(value, str):
            headlines.insert(0, {"role": "main", "value": value})
            continue
        if match := _SUFFIXED.fullmatch(key):
            kind, suffix = match[1], match[2]
            if isinstance(value, str):
                entry = _suffixed_entry(kind, suffix, value)
                {"headline": headlines, "body": bodies, "description": descriptions}[kind].append(
                    entry
                )
                continue
        name = LOWER_TO_3X.get(key, LOWER_TO_3X.get(key.lower(), key))
        if name in item and name != key:
            continue  # the 3.x spelling is there too: it wins
        result[name] = _value(name, value)
    for name, found in (
        ("headlines", headlines),
        ("bodies", bodies),
        ("descriptions", descriptions),
    ):
        if found and name not in result:
            result[name] = found
    return result


def _suffixed_entry(kind: str, suffix: str, value: str) -> dict:
    """``body_html`` → ``{"role": "main", "contentType": "text/html"}``;
    ``description_caption_xhtml`` → role ``caption``; ``description_text`` → role
    ``summary`` (1.x's one description is the item's summary)."""
    parts = suffix.split("_")
    content_type = SUFFIX_TYPES.get(parts[-1].lower())
    role_parts = parts[:-1] if content_type else parts
    role = "_".join(role_parts)
    if kind == "headline":
        # headline_<role>: the suffix is the role (1.3 and later)
        return {"role": role or "main", "value": value}
    entry: dict = {"role": role or ("main" if kind == "body" else "summary"), "value": value}
    entry["contentType"] = content_type or "text/plain"
    return entry


def _value(name: str, value: Any) -> Any:
    if name == "associations":
        if isinstance(value, dict):
            # 1.x: {"photo": {...}} → [{"name": "photo", ...}]
            value = [
                {"name": key, **entry} if isinstance(entry, dict) else entry
                for key, entry in value.items()
            ]
        if isinstance(value, list):
            return [as_3x(entry) if isinstance(entry, dict) else entry for entry in value]
        return value
    if name == "renditions" and isinstance(value, dict):
        value = [
            {"name": key, **entry} if isinstance(entry, dict) else entry
            for key, entry in value.items()
        ]
    if isinstance(value, list):
        return [_renamed(entry) if isinstance(entry, dict) else entry for entry in value]
    if isinstance(value, dict) and name in ("standard",):
        return value
    return value


def _renamed(entry: dict) -> dict:
    """A list entry (body, subject, person, rendition, contact) with 3.x names; a 1.x
    subject's ``scheme`` + ``code`` become its ``uri`` (kept as ``literal`` too when
    the scheme is not a URI)."""
    renamed = {LOWER_TO_3X.get(key.lower(), key): value for key, value in entry.items()}
    if "contactInfo" in renamed and isinstance(renamed["contactInfo"], list):
        renamed["contactInfo"] = [
            _renamed(info) if isinstance(info, dict) else info for info in renamed["contactInfo"]
        ]
    code, scheme = renamed.pop("code", None), renamed.pop("scheme", None)
    if isinstance(code, str) and code:
        if isinstance(scheme, str) and re.match(r"[a-z][a-z0-9+.-]*:", scheme, re.I):
            renamed.setdefault("uri", scheme + code)
        else:
            renamed.setdefault("literal", code)
    return renamed
