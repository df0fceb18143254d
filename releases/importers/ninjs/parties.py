"""People and organisations of a ninjs item (3.x names): who wrote it, who issued it,
who to contact, and who is only mentioned.

- author: a person whose ``rel`` is an author's (``author``, ``creator``, ``writer``,
  ``byline``), else ``by`` alone (a name without a uri), read as agencies write it
  (``read_byline``: "By JANE PLAINS, Associated Press" is Jane Plains of the
  Associated Press, with a warning); a second author is listed in the warnings (a
  release has one);
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

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from releases.exports import ninjs as ninjs_names
from releases.importers import ReleaseImportError
from releases.importers.ninjs.values import objects, rel, route_slug, short
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
NAME_LENGTH = 200  # Organization.name, .location, Contact.name, .role
EMAIL_LENGTH = 254  # Contact.email
WEBSITE_LENGTH = 200  # Organization.website
# Where a party came from in the item, for an error the database still raises.
FIELD = "_field"


def people_and_organisations(item: dict, warn) -> dict:
    """``{"author": {...} | None, "organizations": [...], "contacts": [...]}`` as the
    canonical dict has them, each person or organisation with its ``uri``."""
    data: dict = {"author": None, "organizations": [], "contacts": []}
    by = _text(item, "by", "by")
    by = "" if by is MISSING else " ".join(by.split())
    byline = read_byline(by)
    loose_contacts, mentioned = [], []
    for i, person in enumerate(objects(item, "people")):
        name = _text(person, "name", f"people[{i}].name")
        name = "" if name is MISSING else _cut(" ".join(name.split()), f"people[{i}].name", warn)
        if not name:
            continue
        kind = rel(person)
        if kind in AUTHOR_RELS or (not kind and name in (by, byline.name)):
            author = {**_party(person, name, "releases:author"), FIELD: f"people[{i}]"}
            if data["author"] is None:
                data["author"] = author
            elif data["author"]["name"] != name:
                warn(f"a release has one author: “{name}” is not taken")
        elif kind == ninjs_names.REL_MEDIA_CONTACT:
            loose_contacts.extend(
                _contacts(person.get("contactInfo"), None, f"people[{i}].contactInfo", warn)
            )
        else:
            mentioned.append(f"{name} ({person.get('rel') or 'no rel'})")
    if data["author"] is None and byline.name:
        data["author"] = {"name": _cut(byline.name, "by", warn), FIELD: "by"}
        if byline.agency:
            data["author"]["agency"] = _cut(byline.agency, "by", warn)
        if byline.read_as:
            warn(byline.read_as)
    for i, organisation in enumerate(objects(item, "organisations")):
        field = f"organisations[{i}]"
        name = _text(organisation, "name", f"{field}.name", required=True)
        name = _cut(" ".join(name.split()), f"{field}.name", warn)
        info = organisation.get("contactInfo") or []
        if not isinstance(info, list):
            raise ReleaseImportError("expected a list", field=f"organisations[{i}].contactInfo")
        kind = rel(organisation)
        if kind not in ISSUER_RELS and kind != ninjs_names.REL_CONTACT_ORGANISATION:
            mentioned.append(f"{name} ({organisation.get('rel')})")
            continue
        organization = {**_organisation(organisation, name, info, field, warn), FIELD: field}
        if kind != ninjs_names.REL_CONTACT_ORGANISATION:
            data["organizations"].append(organization)
        data["contacts"].extend(_contacts(info, organization, f"{field}.contactInfo", warn))
    data["contacts"].extend(loose_contacts)
    if mentioned:
        warn("mentioned, not taken as author or issuer: " + "; ".join(mentioned))
    return data


# "By", "BY:", German "Von", French "Par", Spanish/Portuguese "Por" before the names.
_BY = re.compile(r"(?:by|von|par|por)\b\s*:?\s*", re.I)
# Between two names: English, German, French, Spanish/Portuguese "and", or "&".
_AND = re.compile(r"\s+(?:and|und|et|y|e)\s+|\s*&\s*", re.I)


class Byline:
    """A ``by`` as agencies write it: ``name`` (the author), ``agency`` (after a comma
    or slash, "" if none), ``others`` (more names) and ``read_as`` (the warning, ""
    when the byline is a plain name)."""

    def __init__(self, name: str, agency: str = "", others=(), read_as: str = ""):
        self.name, self.agency, self.others, self.read_as = name, agency, list(others), read_as


def read_byline(by: str) -> Byline:
    """``"By JANE PLAINS, Associated Press"`` → Jane Plains of the Associated Press:
    the By/Von/Par/Por before the names is dropped, what follows the first comma or
    slash is the agency, of two names joined by and/und/et/y/& the first is the author
    (the others named in the warning), and an all-caps name of two words or more is
    title-cased (a lone "AP" stays)."""
    text = by.strip()
    if not text:
        return Byline("")
    names = _BY.sub("", text, count=1) if _BY.match(text) else text
    names, _, agency = re.sub(r"\s*/\s*", ",", names, count=1).partition(",")
    agency = agency.strip(" ,/")
    first, *others = [n.strip() for n in _AND.split(names) if n.strip()] or [""]
    if first.isupper() and len(first.split()) > 1:
        first = first.title()
    others = [o.title() if o.isupper() and len(o.split()) > 1 else o for o in others]
    if (first, agency, others) == (text, "", []):
        return Byline(first)
    read_as = f"the byline “{short(by)}” is read as author “{first}”"
    if agency:
        read_as += f" of “{agency}” (the author's organization when new)"
    if others:
        names = "”, “".join(others)
        read_as += f"; “{names}” not taken (a release has one author)"
    return Byline(first, agency, others, read_as)


def _party(entry: dict, name: str, view_name: str) -> dict:
    uri = entry.get("uri").strip() if isinstance(entry.get("uri"), str) else ""
    if len(uri) > URI_LENGTH:
        uri = ""  # too long to be kept as an identity: matched by name instead
    slug = route_slug(uri, view_name)
    # This site's own page: the slug says who it is, the uri is not an identity.
    return {"name": name, "slug": slug, "uri": "" if slug else uri}


def _cut(value: str, field: str, warn, limit: int = NAME_LENGTH) -> str:
    """``value`` cut to ``limit`` characters, with a warning naming ``field``."""
    if len(value) <= limit:
        return value
    warn(f"{field} was cut to {limit} characters; it began “{short(value)}”")
    return value[:limit].rstrip()


def _valid(value: str, validator, limit: int) -> bool:
    if len(value) > limit:
        return False
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _organisation(organisation: dict, name: str, info: list, field: str, warn) -> dict:
    website = next(
        (
            str(e.get("value") or "").strip()
            for e in info
            if isinstance(e, dict) and e.get("type") == "web"
        ),
        "",
    )
    if website and not _valid(website, URLValidator(), WEBSITE_LENGTH):
        warn(f"{field}: the website “{short(website)}” is not a valid URL: left out")
        website = ""
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
        "location": _cut(", ".join(str(part) for part in parts), f"{field} address", warn),
    }


def _contacts(info: Any, organization: dict | None, field: str, warn) -> list[dict]:
    """Media contacts from ``contactInfo``: consecutive entries of the same name and
    role, one per way to reach them, are one contact. A value that cannot be kept (an
    invalid e-mail address or phone number, a name or role that is not text) is left
    out and an over-long one cut, each with a warning naming its entry: one bad value
    never refuses the file."""
    contacts: list[dict] = []
    current: dict | None = None
    for j, entry in enumerate(info if isinstance(info, list) else []):
        if not isinstance(entry, dict) or entry.get("name") in (None, "", [], {}):
            continue
        where = f"{field}[{j}]"
        kind = str(entry.get("type", "")).lower()
        value = str(entry.get("value", "")).strip()
        if kind == "email":
            key, value = "email", value.removeprefix("mailto:")
        elif kind in PHONE_TYPES:
            key, value = "phone", value.removeprefix("tel:")
        else:
            continue
        name, role = entry["name"], entry.get("role") or ""
        if not isinstance(name, str | int | float) or isinstance(name, bool):
            warn(f"{where}.name: expected text, not {short(name)}: the entry is left out")
            continue
        if not isinstance(name, str):
            warn(f"{where}.name: the number {name} is read as text")
            name = str(name)
        if not isinstance(role, str):
            warn(f"{where}.role: expected text, not {short(role)}: left out")
            role = ""
        name = _cut(" ".join(name.split()), f"{where}.name", warn)
        role = _cut(" ".join(role.split()), f"{where}.role", warn)
        if key == "email" and not _valid(value, EmailValidator(), EMAIL_LENGTH):
            warn(f"{where}: “{short(value)}” is not a valid e-mail address: left out")
            value = ""
        elif key == "phone" and not _phone_ok(value):
            warn(f"{where}: “{short(value)}” is not a phone number this site can keep: left out")
            value = ""
        same_person = (
            current is not None
            and (current["name"], current["role"]) == (name, role)
            and (not current[key] or not value)
        )
        if not same_person:
            current = {
                "name": name,
                "role": role,
                "organization": organization,
                "email": "",
                "phone": "",
                FIELD: where,
            }
            contacts.append(current)
        if value:
            current[key] = value
    return contacts


def _phone_ok(value: str) -> bool:
    """Whether the contact's phone field takes ``value`` (valid, extension not too long)."""
    from releases.models import Contact
    from releases.models.people import phone_extension_error

    try:
        number = Contact._meta.get_field("phone").clean(value, None)
    except ValidationError:
        return False
    return not phone_extension_error(number)
