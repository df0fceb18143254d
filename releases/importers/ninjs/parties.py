"""People and organisations of a ninjs item (3.x names): who wrote it, who issued it,
who to contact, and who is only mentioned.

- author: a person whose ``rel`` is an author's (``author``, ``creator``, ``writer``,
  ``byline``), else ``by`` alone (a name without a uri); a second author is listed
  in the warnings (a release has one);
- issuing organizations: the organisations with an issuer's ``rel`` (``issuer``,
  ``co-issuer``, ``publisher``, ``provider``, ``sender``, ``creator``, ``author``,
  ``mediaoffice``) or none, in order; ``rel`` ``contact`` brings a contact's
  organization without making it an issuer;
- media contacts: each ``contactInfo`` e-mail or phone of an organisation, and of a
  person with ``rel`` ``media-contact``;
- people and organisations with another ``rel`` (``about``, ``mentions``,
  ``interviewee``…) are mentioned in the story: never authors or issuers, listed
  in the warnings.

Each carries its ``uri`` so ``writing`` matches it by uri first, then by exact name;
this site's own author and organization pages are matched by their slug.
"""

from __future__ import annotations

from typing import Any

from releases.exports import ninjs as ninjs_names
from releases.importers import ReleaseImportError
from releases.importers.ninjs.values import objects, rel, route_slug
from releases.importers.structured import MISSING, _text

AUTHOR_RELS = frozenset({"author", "creator", "writer", "byline", "by"})
ISSUER_RELS = frozenset(
    {
        "",
        ninjs_names.REL_ISSUER,
        ninjs_names.REL_CO_ISSUER,
        "publisher",
        "provider",
        "sender",
        "creator",
        "author",
        "mediaoffice",
        "copyrightholder",
    }
)
URI_LENGTH = 500  # Author.ninjs_uri, Organization.ninjs_uri
PHONE_TYPES = frozenset({"phone", "telephone", "tel", "mobile", "cell"})


def people_and_organisations(item: dict, warn) -> dict:
    """``{"author": {...} | None, "organizations": [...], "contacts": [...]}`` as the
    canonical dict has them, each person or organisation with its ``uri``."""
    data: dict = {"author": None, "organizations": [], "contacts": []}
    by = _text(item, "by", "by")
    by = "" if by is MISSING else " ".join(by.split())
    loose_contacts, mentioned = [], []
    for i, person in enumerate(objects(item, "people")):
        name = _text(person, "name", f"people[{i}].name")
        name = "" if name is MISSING else " ".join(name.split())
        if not name:
            continue
        kind = rel(person)
        if kind in AUTHOR_RELS or (not kind and name == by):
            author = _party(person, name, "releases:author")
            if data["author"] is None:
                data["author"] = author
            elif data["author"]["name"] != name:
                warn(f"a release has one author: “{name}” is not taken")
        elif kind == ninjs_names.REL_MEDIA_CONTACT:
            loose_contacts.extend(_contacts(person.get("contactInfo"), None))
        else:
            mentioned.append(f"{name} ({person.get('rel') or 'no rel'})")
    if data["author"] is None and by:
        data["author"] = {"name": by}
    for i, organisation in enumerate(objects(item, "organisations")):
        name = _text(organisation, "name", f"organisations[{i}].name", required=True)
        name = " ".join(name.split())
        info = organisation.get("contactInfo") or []
        if not isinstance(info, list):
            raise ReleaseImportError("expected a list", field=f"organisations[{i}].contactInfo")
        kind = rel(organisation)
        if kind not in ISSUER_RELS and kind != ninjs_names.REL_CONTACT_ORGANISATION:
            mentioned.append(f"{name} ({organisation.get('rel')})")
            continue
        organization = _organisation(organisation, name, info)
        if kind != ninjs_names.REL_CONTACT_ORGANISATION:
            data["organizations"].append(organization)
        data["contacts"].extend(_contacts(info, organization))
    data["contacts"].extend(loose_contacts)
    if mentioned:
        warn("mentioned, not taken as author or issuer: " + "; ".join(mentioned))
    return data


def _party(entry: dict, name: str, view_name: str) -> dict:
    uri = entry.get("uri").strip() if isinstance(entry.get("uri"), str) else ""
    if len(uri) > URI_LENGTH:
        uri = ""  # too long to be kept as an identity: matched by name instead
    slug = route_slug(uri, view_name)
    # This site's own page: the slug says who it is, the uri is not an identity.
    return {"name": name, "slug": slug, "uri": "" if slug else uri}


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
    literal = organisation.get("literal")
    return {
        **_party(organisation, name, "releases:organization"),
        # Our export writes the short name as ``literal``; elsewhere a literal is an id
        # (often long): only a short one reads as an acronym.
        "short_name": literal if isinstance(literal, str) and len(literal) <= 30 else "",
        "website": website,
        "location": ", ".join(str(part) for part in parts),
    }


def _contacts(info: Any, organization: dict | None) -> list[dict]:
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
