"""Media contacts: sentences, labelled blocks and one-detail-a-line blocks."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from releases.importers.text.blocks import _Block
from releases.importers.text.organizations import _is_legal_form, _reads_like_organization
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

# What may stand between the name part of a contact sentence and its first e-mail or
# phone: connecting words and labels ("on", "at", "E:", "Tel.", …).
_CONTACT_GLUE = re.compile(
    r"(?:[\s,;:(\-–—|/]|\b(?:on|at|or|via|by|and|email|e-mail|mail|tel|telephone|phone|"
    r"mobile|mob|cell|office|direct|call|e|t|m|p|o|c)\b\.?)+$",
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
    r"^(?:(?:for\s+)?(?:(?:media|press|news)\s+)?(?:contacts?|enquiries|inquiries|relations"
    r"|office|officer|desk|spokes(?:person|man|woman))(?:\s+for\s+[^:]{1,60})?"
    r"(?:,?\s+(?:please\s+)?contact)?"
    # French, German, Spanish, Italian, Dutch: "Contact presse :" (a space before the
    # colon in French), "Pressekontakt:", "Contacto de prensa:", "Contatti stampa:".
    r"|contacts?\s+(?:presse|m[ée]dias?|journalistes)|relations?\s+(?:presse|m[ée]dias)"
    r"|service\s+de\s+presse|(?:presse|medien)(?:kontakte?|stelle|sprecher(?:in)?)"
    r"|ansprechpartner(?:in)?(?:\s+für\s+(?:die\s+)?(?:presse|medien))?"
    r"|contactos?\s+(?:de\s+|con\s+)?(?:prensa|medios)|gabinete\s+de\s+prensa"
    r"|contatt[oi]\s+(?:per\s+la\s+)?stampa|ufficio\s+stampa|perscontact(?:en)?|persvoorlichting)"
    r"\s*(?::\s*(?P<rest>.*))?$"
    r"|^for (?:more|further) information(?:,? (?:please )?contact)?\s*:\s*(?P<rest2>.*)$",
    re.IGNORECASE,
)
# "(For more information: Jane Roe – Tel.: +32 2 555 0101; John Doe – Tel.: …)" inside
# a paragraph, as the European Commission writes them.
_INLINE_CONTACTS = re.compile(
    r"\s*\((?:for (?:more|further) information|(?:media |press )?contacts?"
    r"|(?:media |press )?(?:enquiries|inquiries))\s*:\s*(?P<people>[^()]+)\)",
    re.IGNORECASE,
)
# A unit of an organization's communications named after it: "Harbour Board Press
# Office" is the Harbour Board's.
_PRESS_UNIT = re.compile(
    r"\s*(?:[,–—-]\s*)?\b(?:press|media|news|communications?|public affairs)"
    r"(?:\s+(?:office|team|desk|unit|department|relations|services))?$",
    re.IGNORECASE,
)
# Words a person's name may hold in lower case: "Ursula von der Leyen".
_NAME_PARTICLES = frozenset({
    "de", "del", "della", "der", "di", "da", "dos", "das", "du", "la", "le", "van", "von",
    "ten", "ter", "bin", "al", "y", "e",
})  # fmt: skip
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame", "rev", "hon"})


def _has_contact_details(text: str) -> bool:
    return bool(
        _EMAIL.search(text)
        or _EMAIL_PLACEHOLDER.search(text)
        or _OBFUSCATED_EMAIL.search(text)
        or _PHONE.search(text)
    )


def _take_contacts(block: _Block, in_section: bool, region, warnings):
    """Rule *contact blocks*: split a block into body lines and contacts; say whether a
    contact section goes on.

    A contact section starts at a heading ("Contact:", "Media contact:", "Press
    contacts:", "Media inquiries:", "For more information, contact:", "Press office:")
    and goes on, block after block, while the blocks are short lines with an e-mail
    address or phone number. Contact sentences ("… is contactable at …", "For media
    enquiries contact …") and inline "(For more information: …)" are taken anywhere.
    """
    line = block.line
    joined = " ".join(block.lines)
    heading = _CONTACT_HEADING.match(block.lines[0])
    # A heading on a line of its own labels the lines under it, one detail a line.
    sentence = (
        None
        if heading and len(block.lines) > 1
        else _contact_sentence(joined, line, region, warnings)
    )
    if sentence:
        return [], [sentence], False
    if heading:
        inline = heading["rest"] or heading["rest2"] or ""
        lines = [inline, *block.lines[1:]] if inline else block.lines[1:]
        if not lines or _has_contact_details(" ".join(lines)):
            desk = _desk_name(block.lines[0])
            return [], _contact_lines(lines, line, region, warnings, desk=desk), True
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
    """Rule *contact sentences*: "Jane Roe is contactable at: E: …; T: …", "For media
    enquiries contact John Smith, Head of Press, on …". "X is/are available …" must name a
    person ("A press release, Q&A and factsheet are available online" names no one)."""
    match = _CONTACTABLE.match(text)
    if (
        match
        and _has_contact_details(match["details"])
        and _reads_like_person(_name_role_organization(_CONTACT_GLUE.sub("", match["who"]))[0])
    ):
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


def _contact_lines(
    lines: list[str], line: int, region, warnings, *, desk: str = ""
) -> list[ParsedContact]:
    """Rule *contact lines*: contacts written one detail a line (a name line, role and
    organization lines, e-mail, phone) or one person a line ("Jane Roe, Press Secretary,
    202-555-0143", "Jane Roe | Press Secretary | 202-555-0143 | jane@agency.gov").

    A detail line led by a person's name starts a new contact; a contact sentence among
    them is a contact of its own. Of the lines between the name and the details, one
    that reads like an organization ("Harbour Board Press Office": the press unit is
    dropped) is the organization, the other the role. Details under a heading that
    name no one ("Media enquiries⏎Email newsdesk@…⏎Telephone …") are the desk's: a
    contact named ``desk`` (see ``_desk_name``).
    """
    people: list[ParsedContact | tuple[list[str], list[str]]] = []  # or (names, details)
    for offset, text in enumerate(lines):
        current = people[-1] if people and isinstance(people[-1], tuple) else None
        sentence = _contact_sentence(text, line + offset, region, warnings)
        if sentence:
            people.append(sentence)
        elif _has_contact_details(text):
            if current is not None and current[1] and _reads_like_person(_leading_name(text)):
                current = None  # the next person, one a line
            if current is None:
                current = ([], [])
                people.append(current)
            current[1].append(text)
        elif re.fullmatch(r"[\w ]{1,30}:", text):
            continue  # a group's label: "Media:", "Investors:"
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
            names = [_leading_name(details[0]) or desk]
        if len(names) > 1 and _organization_above(names):
            # "Kestrel Robotics GmbH⏎Jonas Feldmeier⏎Head of Communications": the
            # organization's line stands above the person's.
            name, role, organization = _name_role_organization(names[1])
            role, organization = _role_and_organization(names[2:], role, organization)
            organization = _organization_line(names[0])
        elif len(names) > 1:
            name, role, organization = _name_role_organization(names[0])
            role, organization = _role_and_organization(names[1:], role, organization)
            if len(names) > 2 and _reads_like_person(role) and "," not in names[1]:
                # Two name-like lines: the first may be an organization the release
                # names elsewhere ("Kestrel Robotics⏎Jonas Feldmeier⏎Head of …"), which
                # only the whole release tells (organizations._link_contacts).
                rest = [n for n in names[2:] if n != organization]
                role = ", ".join([role, *rest[:1]])
        else:
            name, role, organization = _name_role_organization(names[0])
        if name and (name == desk or _reads_like_person(name) or _reads_like_organization(name)):
            details_text = " ; ".join(details)
            contacts.append(
                _contact(name, role, organization, details_text, line, region, warnings)
            )
        else:
            # "General public inquiries: Europe Direct by phone …" names no one to call.
            warnings.append(
                f"line {line}: “{' '.join(details)[:80]}” names no person: not taken as a contact"
            )
    return contacts


# Headings that label a person rather than a desk: a desk under them is the press office.
_GENERIC_HEADING = re.compile(
    r"^(?:for\s+)?(?:(?:media|press|news)\s+)?(?:contacts?|spokes(?:person|man|woman))$"
    r"|^for (?:more|further) information$",
    re.IGNORECASE,
)


def _desk_name(heading: str) -> str:
    """Rule *desk contacts*: the name of a contact that names no person, from the
    heading above it: "Media inquiries: press@…" → "Media inquiries", "Media
    enquiries⏎Email …" → "Media enquiries"; "Contact:" or "For more information,
    contact:" → "Press office"."""
    label = heading.split(":", 1)[0].strip()
    label = re.sub(r",?\s+(?:please\s+)?contact$", "", label, flags=re.IGNORECASE)
    if _GENERIC_HEADING.match(label):
        return "Press office"
    label = re.sub(r"^for\s+", "", label, flags=re.IGNORECASE)
    return label[:1].upper() + label[1:]


def _organization_above(names: list[str]) -> bool:
    """Rule *contact organization above*: the first line names an organization (a
    legal form or an organization's word: "Kestrel Robotics GmbH", "Harbour Board Press
    Office"), the second a person."""
    first = _organization_line(names[0])
    return (
        bool(first)
        and _reads_like_organization(first)
        and not _reads_like_person(names[0])
        and _reads_like_person(_name_role_organization(names[1])[0])
    )


def _organization_line(text: str) -> str:
    """ "Harbour Board Press Office" → "Harbour Board"; "the X" → "X"."""
    unit = _PRESS_UNIT.search(text)
    if unit and unit.start() and _reads_like_organization(text[: unit.start()]):
        text = text[: unit.start()]
    return re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)


def _leading_name(text: str) -> str:
    """What stands before the first e-mail or phone of ``text``, without the glue."""
    return _CONTACT_GLUE.sub("", text[: _first_detail(text)])


def _role_and_organization(lines: list[str], role: str, organization: str) -> tuple[str, str]:
    for text in lines:
        unit = _PRESS_UNIT.search(text)
        if unit and not _reads_like_organization(text[: unit.start()]):
            unit = None  # "Head of Media Relations" is a role
        if (unit or _reads_like_organization(text)) and not organization:
            organization = text[: unit.start()] if unit and unit.start() else text
            organization = re.sub(r"^the\s+", "", organization.strip(), flags=re.IGNORECASE)
        elif not role:
            role = text
    return role, organization


def _reads_like_person(name: str) -> bool:
    """Rule *person names*: 1 to 6 capitalised words ("de", "van", "von der" may stand in
    lower case), no digits, no "&", not an organization's name."""
    words = [word.strip(".,") for word in name.split()]
    if not 1 <= len(words) <= 6 or re.search(r"[\d&@/]", name) or _reads_like_organization(name):
        return False
    named = [w for w in words if w.lower() not in _NAME_PARTICLES | _TITLES]
    return bool(named) and all(w[:1].isupper() for w in named)


def _is_contact_block(block: _Block) -> bool:
    """Rule *unlabelled contact block*: short lines, a person's name first, an e-mail or a
    phone among them, no sentence: a contact block even without a heading."""
    lines = block.lines
    if len(lines) > 8 or any(len(text) > 100 for text in lines):
        return False
    if not _has_contact_details(" ".join(lines)):
        return False
    if any(text.endswith(".") and len(text.split()) > 6 for text in lines):
        return False
    first = _leading_name(lines[0]) if _has_contact_details(lines[0]) else lines[0]
    return _reads_like_person(_name_role_organization(first)[0] or first)


def _take_inline_contacts(
    lines: list[str], line: int, region, warnings
) -> tuple[list[str], list[ParsedContact]]:
    """Rule *inline contacts*: "(For more information: Jane Roe – Tel.: +32 2 555 0101;
    John Doe – Tel.: +32 2 555 0102)" inside a paragraph: one contact per ";"-separated
    part; the parenthesis leaves the text, the sentence before it stays whole."""
    text = "\n".join(lines)
    contacts: list[ParsedContact] = []

    def take(match: re.Match) -> str:
        people = match["people"]
        if not _has_contact_details(people):
            return match.group()
        for part in re.split(r";|\n", people):
            if part.strip() and _has_contact_details(part):
                contacts.extend(_contact_lines([part.strip()], line, region, warnings))
        return ""

    text = _INLINE_CONTACTS.sub(take, text)
    if not contacts:
        return lines, []
    return [kept.strip() for kept in text.split("\n") if kept.strip()], contacts


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
    parts: list[str] = []
    for part in (p.strip() for p in re.split(r",|\s[–—]\s|\s\|\s", who)):
        if part and parts and _is_legal_form(part):
            parts[-1] = f"{parts[-1]}, {part}"  # "Brightwater Analytics, Inc." is one name
        elif part:
            parts.append(part)
    if len(parts) == 2 and _is_legal_form(parts[1].split()[-1]):
        # "Jane Roe, Brightwater Analytics, Inc.": a name with a legal form is no role.
        return parts[0], "", parts[1]
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
