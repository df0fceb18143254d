"""Media contacts: sentences, labelled blocks and one-detail-a-line blocks."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from releases.importers.text.blocks import _Block
from releases.importers.text.parsed import ParsedContact
from releases.importers.text.phones import _PHONE, _e164

_EMAIL = re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+")
_EMAIL_PLACEHOLDER = re.compile(r"\[\s*email\s*(?:&#160;|&nbsp;)?\s*protected\s*\]", re.I)
_OBFUSCATED_EMAIL = re.compile(
    r"(?P<user>[\w.+\-]+)\s*[\[({]\s*at\s*[\])}]\s*"
    r"(?P<domain>[\w\-]+(?:\s*[\[({]\s*dot\s*[\])}]\s*[\w\-]+)+)",
    re.IGNORECASE,
)
_OBFUSCATED_DOT = re.compile(r"\s*[\[({]\s*dot\s*[\])}]\s*", re.IGNORECASE)


# phone: connecting words and labels ("on", "at", "E:", "Tel.", …).
_CONTACT_GLUE = re.compile(
    r"(?:[\s,;:(\-–—]|\b(?:on|at|or|via|by|and|email|e-mail|mail|tel|telephone|phone|"
    r"mobile|mob|call|e|t|m|p)\b\.?)+$",
    re.IGNORECASE,
)
_CONTACTABLE = re.compile(
    r"^(?P<who>(?:[^.:;]|(?:(?<=Dr)|(?<=Mr)|(?<=Ms)|(?<=Mrs)|(?<=Prof))\.){2,150}?),?\s+"
    r"(?:is|are|can be)\s+(?:contactable|contacted|reached|available)"
    r"(?:\s+(?:at|on|via|by))?\s*:?\s*(?P<details>.+)$",
    re.IGNORECASE,
)
_ENQUIRIES = re.compile(
    r"^(?:for\s+)?(?:(?:media|press|further|more|all|interview)\s+)*"
    r"(?:enquiries|inquiries|information|requests|interviews|interview requests)\b[^:,]{0,60}?"
    r"(?:[,:]\s*|\s+)(?:please\s+)?(?:contact|call|e-?mail|reach|write to)\s*:?\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_CONTACT_HEADING = re.compile(
    r"^(?:(?:media|press|news)\s+)?(?:contacts?|enquiries|inquiries)(?:\s+for\s+[^:]{1,60})?"
    r"\s*(?::\s*(?P<rest>.*))?$"
    r"|^for (?:more|further) information(?:,? (?:please )?contact)?\s*:\s*(?P<rest2>.*)$",
    re.IGNORECASE,
)


def _has_contact_details(text: str) -> bool:
    return bool(
        _EMAIL.search(text)
        or _EMAIL_PLACEHOLDER.search(text)
        or _OBFUSCATED_EMAIL.search(text)
        or _PHONE.search(text)
    )


def _take_contacts(block: _Block, in_section: bool, region, warnings):
    """Split a block into body lines and contacts; say whether a contact section goes on.

    A contact section starts at a "Media contact:" heading and goes on, block after
    block, while the blocks are short lines with an e-mail address or phone number.
    """
    line = block.line
    joined = " ".join(block.lines)
    sentence = _contact_sentence(joined, line, region, warnings)
    if sentence:
        return [], [sentence], False
    heading = _CONTACT_HEADING.match(block.lines[0])
    if heading:
        inline = heading["rest"] or heading["rest2"] or ""
        lines = [inline, *block.lines[1:]] if inline else block.lines[1:]
        if not lines or _has_contact_details(" ".join(lines)):
            return [], _contact_lines(lines, line, region, warnings), True
    if in_section and _has_contact_details(joined) and all(len(x) < 100 for x in block.lines):
        return [], _contact_lines(block.lines, line, region, warnings), True
    kept, found = [], []
    for offset, text in enumerate(block.lines):
        contact = _contact_sentence(text, line + offset, region, warnings)
        if contact:
            found.append(contact)
        else:
            kept.append(text)
    return kept, found, False


def _contact_sentence(text: str, line: int, region, warnings) -> ParsedContact | None:
    match = _CONTACTABLE.match(text)
    if match and _has_contact_details(match["details"]):
        who, details = match["who"], match["details"]
    else:
        match = _ENQUIRIES.match(text)
        if not match or not _has_contact_details(match["rest"]):
            return None
        rest = match["rest"]
        who, details = rest[: _first_detail(rest)], rest[_first_detail(rest) :]
    who = _CONTACT_GLUE.sub("", who)
    name, role, organization = _name_role_organization(who)
    if not name:
        return None
    return _contact(name, role, organization, details, line, region, warnings)


def _contact_lines(lines: list[str], line: int, region, warnings) -> list[ParsedContact]:
    """Contacts written one detail a line: a name line, role/organization, e-mail, phone.

    A contact sentence among them is a contact of its own.
    """
    people: list[ParsedContact | tuple[list[str], list[str]]] = []  # or (names, details)
    for offset, text in enumerate(lines):
        current = people[-1] if people and isinstance(people[-1], tuple) else None
        sentence = _contact_sentence(text, line + offset, region, warnings)
        if sentence:
            people.append(sentence)
        elif _has_contact_details(text):
            if current is None:
                current = ([], [])
                people.append(current)
            current[1].append(text)
        elif current is None or current[1]:
            people.append(([text], []))
        else:
            current[0].append(text)
    contacts = []
    for person in people:
        if isinstance(person, ParsedContact):
            contacts.append(person)
            continue
        names, details = person
        if not details:
            continue
        if not names:
            # "Jane Roe, jane@example.org, +44 …" on one line: the name leads the details.
            names = [_CONTACT_GLUE.sub("", details[0][: _first_detail(details[0])])]
        name, role, organization = _name_role_organization(", ".join(filter(None, names)))
        if name:
            details_text = " ; ".join(details)
            contacts.append(
                _contact(name, role, organization, details_text, line, region, warnings)
            )
    return contacts


def _first_detail(text: str) -> int:
    """Where the first e-mail address or phone number in ``text`` starts."""
    return min(
        found.start()
        for pattern in (_EMAIL, _EMAIL_PLACEHOLDER, _OBFUSCATED_EMAIL, _PHONE)
        if (found := pattern.search(text))
    )


def _name_role_organization(who: str) -> tuple[str, str, str]:
    """ "Jane Roe, Head of Press at the Example Centre" → name, role, organization.

    The name is empty when the first part does not read as a name (a phrase such as
    "your local library" or "Jane Roe is contactable"), so no contact is made of it.
    """
    parts = [p.strip() for p in re.split(r",|\s[–—]\s|\s\|\s", who) if p.strip()]
    if parts:
        parts[0] = re.sub(r"^the\s+", "", parts[0], flags=re.IGNORECASE)
    if not parts or not parts[0][:1].isupper() or re.search(r"\s(?:is|are)\s", parts[0]):
        return "", "", ""
    name, role, organization = parts[0], ", ".join(parts[1:2]), ", ".join(parts[2:])
    if not organization and " at " in role:
        role, organization = role.split(" at ", 1)
    organization = re.sub(r"^the\s+", "", organization, flags=re.IGNORECASE)
    return name, role.strip(), organization.strip()


def _contact(name, role, organization, details, line, region, warnings) -> ParsedContact:
    contact = ParsedContact(name=name, role=role, organization=organization)
    details = _OBFUSCATED_EMAIL.sub(
        lambda m: f"{m['user']}@{_OBFUSCATED_DOT.sub('.', m['domain'])}", details
    )
    email = _EMAIL.search(details)
    if email:
        address = email.group().rstrip(".")
        try:
            validate_email(address)
            contact.email = address.lower()
        except ValidationError:
            warnings.append(
                f"line {line}: “{address}” is not an e-mail address; {name} kept without it"
            )
    elif _EMAIL_PLACEHOLDER.search(details):
        warnings.append(
            f"line {line}: the e-mail of {name} was hidden by “[email protected]”; left empty"
        )
    for found in _PHONE.finditer(_EMAIL.sub(" ", details)):
        phone, problem = _e164(found.group(), region)
        if phone:
            contact.phone = phone
            break
        warnings.append(f"line {line}: “{found.group().strip()}” {problem}; {name} kept without it")
    return contact
