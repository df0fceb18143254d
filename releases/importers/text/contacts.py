"""Media contacts: sentences, labelled blocks and one-detail-a-line blocks."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from releases.importers.text.blocks import TABLE_CELL, _Block
from releases.importers.text.organizations import (
    _JOB_TITLE,
    _department,
    _is_legal_form,
    _reads_like_organization,
)
from releases.importers.text.parsed import ParsedContact
from releases.importers.text.phones import _PHONE, _e164, _numbers

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
    r"mobile|mob|cell|office|direct|call|e|t|m|p|o|c|mobil|handy|telefon|t[ée]l[ée]phone|t[ée]l"
    r"|portable|tel[ée]fono|m[óo]vil|cellulare)\b\.?)+$",
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
# Rule *decorated headings*: what may stand around a heading's words: emoji ("📞 Media
# contact:"), Markdown ("**Media contact:**", "## Contact"), a quote's ">".
_DECORATION = r"(?:[^\w\s(\[\"'“‘]|_|\s)*"
_CONTACT_HEADING = re.compile(
    rf"^{_DECORATION}"
    r"(?:(?:(?:for\s+)?(?:(?:media|press|news)\s+)?(?:contacts?|enquiries|inquiries|relations"
    r"|office|officer|desk|spokes(?:person|man|woman))(?:\s+for\s+[^:]{1,60})?"
    r"(?:,?\s+(?:please\s+)?contact)?"
    # French, German, Spanish, Italian, Dutch: "Contact presse :" (a space before the
    # colon in French), "Pressekontakt:", "Contacto de prensa:", "Contatti stampa:".
    r"|contacts?\s+(?:presse|m[ée]dias?|journalistes)|relations?\s+(?:presse|m[ée]dias)"
    r"|service\s+de\s+presse|(?:presse|medien)(?:kontakte?|stelle|sprecher(?:in)?)"
    r"|ansprechpartner(?:in)?(?:\s+für\s+(?:die\s+)?(?:presse|medien))?"
    r"|contactos?\s+(?:de\s+|con\s+)?(?:prensa|medios)|gabinete\s+de\s+prensa"
    r"|contatt[oi]\s+(?:per\s+la\s+)?stampa|ufficio\s+stampa|perscontact(?:en)?|persvoorlichting)"
    # Rule *bilingual headings*: "Media contact / Relations avec les médias:".
    r"(?:\s*/\s*[^\W\d][^:/@\d]{0,50}?)?"
    r"(?:\s*(?:\*\*|__))?\s*(?::\s*(?:(?:\*\*|__)\s*)?(?P<rest>.*))?)$"
    rf"|^{_DECORATION}for (?:more|further) information(?:,? (?:please )?contact)?\s*:\s*"
    r"(?P<rest2>.*)$",
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
# "Media:", "Investors:", "Baltic Ferries AB:" over the contacts they label, or leading
# one: "Baltic Ferries AB: Karin Sjöberg, +46 …".
_GROUP_LABEL = re.compile(r"^(?P<label>[A-ZÀ-Þ][^:;@\d]{0,60}?)\s*:\s*(?P<rest>.*)$")
# Labels of a detail, never of a group: "Office: 269-555-0107", "E:".
_DETAIL_LABEL = re.compile(
    r"^(?:tel|telephone|phone|mobile|mob|cell|cellphone|office|direct|direct line|fax|e-?mail"
    r"|mail|e|t|m|p|o|c|f|w|web|website|twitter|x|linkedin|switchboard|main|landline"
    r"|whatsapp|out of hours|after hours|24h|24/7|desk|ext|extension|tél|téléphone|portable"
    r"|telefon|handy|mobil|teléfono|móvil|cellulare|telefono)\.?$",
    re.IGNORECASE,
)
# A contact sentence naming a desk, not a person: "For media enquiries contact the press
# office on 01632 960 123 or email press@…".
_DESK = re.compile(
    r"^(?:the\s+|our\s+)?(?:[\w'’ -]{0,40}?['’]s\s+)?(?P<desk>(?:(?:press|media|news|"
    r"communications?|public\s+affairs|public\s+relations)\s+)+(?:office|team|desk|unit|"
    r"line|relations|department)(?:\s+(?:office|team|desk|unit))?|newsdesk|news\s+desk"
    r"|press\s+officer?s?)$",
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
    if _is_signature(block):
        return [], _contact_lines(block.lines, line, region, warnings), False
    kept, found = [], []
    labelled: list[str] = []  # a "CONTACT: …" line among others, and its detail lines
    for offset, text in enumerate(block.lines):
        if labelled and _has_contact_details(text) and len(text) < 100:
            labelled.append(text)
            continue
        if labelled:
            found.extend(_labelled_contact(labelled, line + offset, region, warnings))
            labelled = []
        inline = _CONTACT_HEADING.match(text) if offset else None
        rest = inline and (inline["rest"] or inline["rest2"])
        if (
            rest
            and _has_contact_details(rest)
            and not _DETAIL_LABEL.match(_undecorated(text.split(":", 1)[0]))
        ):
            # Rule *contact line in a block*: "WHEN: …⏎WHERE: …⏎CONTACT: Ben Ortiz,
            # 503-555-0101": the contact leaves the advisory's labelled lines.
            labelled = [text]
            continue
        contact = _contact_sentence(text, line + offset, region, warnings)
        if contact:
            found.append(contact)
        else:
            kept.append(text)
    if labelled:
        found.extend(_labelled_contact(labelled, line + len(block.lines), region, warnings))
    return kept, found, False


def _labelled_contact(lines: list[str], line: int, region, warnings) -> list[ParsedContact]:
    """The contacts of a heading line with its details ("CONTACT: Ben Ortiz, 503-…")
    and the detail lines under it; ``line`` is the line after them."""
    heading = _CONTACT_HEADING.match(lines[0])
    at = line - len(lines)
    details = [heading["rest"] or heading["rest2"], *lines[1:]]
    return _contact_lines(details, at, region, warnings, desk=_desk_name(lines[0]))


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
    agency = re.match(r"(?P<label>[A-Z][^:;@\d]{1,60}?)\s*:\s*(?P<who>\S.*)$", who, re.DOTALL)
    if agency and _reads_like_organization(agency["label"]):
        # Rule *contact's agency*: "For press enquiries please contact Bluefin PR:⏎Tom
        # Baker, Account Director": the agency is the contact's organization.
        contact = _contact_sentence_of(agency["who"], details, line, region, warnings)
        return contact and _labelled(contact, agency["label"])
    return _contact_sentence_of(who, details, line, region, warnings)


def _contact_sentence_of(who: str, details: str, line: int, region, warnings):
    desk = _DESK.match(re.sub(r"(?:[\s,;:(]+(?:on|at|via|by|or)\b)*[\s,;:(]*$", "", who))
    who = _CONTACT_GLUE.sub("", who)
    if desk:
        # Rule *desk contacts*: "… contact the press office on …" names the issuer's desk.
        name = " ".join(desk["desk"].split())
        return _contact(
            name[:1].upper() + name[1:].lower(), "", "", details, line, region, warnings
        )
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
    if any(TABLE_CELL in text for text in lines):
        return _column_contacts(lines, line, region, warnings, desk=desk)
    lines = [kept for kept in map(_undecorated, lines) if kept]
    # (names, details, label) a person, or a contact read from a sentence
    people: list[ParsedContact | tuple[list[str], list[str], str]] = []
    group = ""  # the label over the contacts that follow: "Media:", "Investors:"
    for offset, text in enumerate(lines):
        current = people[-1] if people and isinstance(people[-1], tuple) else None
        label = ""
        labelled = _GROUP_LABEL.match(text)
        if labelled and not labelled["rest"] and _DETAIL_LABEL.match(labelled["label"]):
            continue  # "Email:" over its address: the address says it all
        if labelled and not _DETAIL_LABEL.match(labelled["label"]):
            rest = labelled["rest"]
            if not rest:
                group = labelled["label"]  # a group's label on a line of its own
                continue
            if (
                _has_contact_details(rest)
                and not re.search(r"inquir|enquir|information|contact", labelled["label"], re.I)
                and re.match(r"[^,–—|]{2,60}?(?:\s*[,–—|]|\s+(?=[+(\d]))", rest)
                and _reads_like_person(_name_role_organization(_leading_name(rest))[0])
            ):
                # Rule *labelled contact lines*: "Baltic Ferries AB: Karin Sjöberg, +46 …",
                # "Media: Jane Roe, …": the label is the organization, else the role.
                text, label, current = rest, labelled["label"], None
        sentence = _contact_sentence(text, line + offset, region, warnings)
        if sentence:
            people.append(_labelled(sentence, label or group))
        elif _has_contact_details(text):
            leading = _leading_name(text)
            if (
                current is not None
                and current[1]
                and _reads_like_person(leading)
                and not _DETAIL_LABEL.match(leading.strip(" :"))
            ):
                current = None  # the next person, one a line
            if current is None:
                current = ([], [], label or group)
                people.append(current)
            current[1].append(text)
        elif current is None or current[1]:
            people.append(([text], [], group))
        else:
            current[0].append(text)
    contacts = []
    for person in people:
        if isinstance(person, ParsedContact):
            contacts.append(person)
            continue
        names, details, label = person
        if not details:
            continue
        named_desk = ""
        if not names:
            # "Jane Roe, jane@example.org, +44 …" on one line: the name leads the details.
            named_desk = _desk_leading(details[0])
            names = [named_desk or _leading_name(details[0]) or desk]
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
        if desk and not name and (written := _lower_case_name(names[0])):
            # Rule *lower-case contact*: "contact: paula mendes, 951-…" under a heading.
            name, role, organization = _name_role_organization(written)
            warnings.append(
                f"line {line}: “{names[0].split(',')[0].strip()}” written in lower case: "
                f"read as the name {name}; check it"
            )
        if name and (
            name in {desk, named_desk} or _reads_like_person(name) or _reads_like_organization(name)
        ):
            details_text = " ; ".join(details)
            contact = _contact(name, role, organization, details_text, line, region, warnings)
            contacts.append(_labelled(contact, label))
        else:
            # "General public inquiries: Europe Direct by phone …" names no one to call.
            warnings.append(
                f"line {line}: “{' '.join(details)[:80]}” names no person: not taken as a contact"
            )
    return contacts


def _labelled(contact: ParsedContact, label: str) -> ParsedContact:
    """The label over or before a contact ("Baltic Ferries AB:", "Media:") is its
    organization when it reads as one, else its role ("Media", or "Press Officer
    (Media)" beside the role the contact gives)."""
    if not label:
        return contact
    is_organization = _reads_like_organization(label) or _is_legal_form(label.split()[-1])
    if is_organization and (
        not contact.organization or _department(contact.organization) is not None
    ):
        contact.organization = label
        return contact
    if not contact.role:
        contact.role = label
    elif label.lower() not in contact.role.lower():
        contact.role = f"{contact.role} ({label})"
    return contact


def _column_contacts(
    lines: list[str], line: int, region, warnings, *, desk: str = ""
) -> list[ParsedContact]:
    """Rule *contacts in columns*: contacts written side by side ("Helen Ruiz        Jamal
    Greene⏎Cityline Transit    Metro Riders Union⏎…", columns made with tabs or aligned
    spaces, marked by ``blocks``) are read column by column, one contact each; the lines
    out of the columns as one-a-line contacts."""
    rows = [text.split(TABLE_CELL) for text in lines if TABLE_CELL in text]
    width = max(len(cells) for cells in rows)
    columns: list[list[str]] = [[] for _ in range(width)]
    for cells in rows:
        for index, cell in enumerate(cells):
            if cell.strip():
                columns[index].append(cell.strip())
    outside = [text for text in lines if TABLE_CELL not in text]
    contacts = _contact_lines(outside, line, region, warnings, desk=desk) if outside else []
    for column in columns:
        contacts.extend(_contact_lines(column, line, region, warnings, desk=desk))
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
    label = _undecorated(heading.split(":", 1)[0]).split(" / ")[0].strip()
    label = re.sub(r",?\s+(?:please\s+)?contact$", "", label, flags=re.IGNORECASE)
    if _GENERIC_HEADING.match(label):
        return "Press office"
    label = re.sub(r"^for\s+", "", label, flags=re.IGNORECASE)
    return label[:1].upper() + label[1:]


_DECORATIONS = re.compile(r"^(?:[^\w\s(\[\"'“‘+]|_|\s)+|(?:[^\w\s)\]\"'”’.:]|_|\s)+$")


def _undecorated(text: str) -> str:
    """Rule *decorated headings*: a line without the emoji or Markdown around it ("📞
    Media contact" → "Media contact", "✉️ tara@…" → "tara@…", "**Dana Kim**" → "Dana
    Kim")."""
    return _DECORATIONS.sub("", text)


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


def _desk_leading(text: str) -> str:
    """Rule *desk contacts*: "Press Office (503-555-0140) | press@…" names the issuer's
    desk, "Press office", not a person called "Press"."""
    before = re.sub(r"[\s,;:(\-–—|]+$", "", text[: _first_detail(text)])
    desk = _DESK.match(before)
    if not desk:
        return ""
    name = " ".join(desk["desk"].split())
    return name[:1].upper() + name[1:].lower()


def _leading_name(text: str) -> str:
    """What stands before the first e-mail or phone of ``text``, without the glue."""
    return _CONTACT_GLUE.sub("", text[: _first_detail(text)])


def _role_and_organization(lines: list[str], role: str, organization: str) -> tuple[str, str]:
    """Of the lines under a contact's name, the first that names an organization (or a
    unit of one, rule *departments*) is the organization, the first other the role.

    Rule *title, organization*: "Press Officer, Dover Ferries Ltd" (a job title's word
    before the comma, an organization after it) is both, not one organization."""
    for text in lines:
        title, comma, rest = (part.strip() for part in text.partition(","))
        if (
            comma
            and not (role or organization)
            and _JOB_TITLE.search(title)
            and not _names_organization(title)
            and not _is_legal_form(rest)  # "Brightwater Analytics, Inc." is one name
            and (_names_organization(rest) or _department(rest) is not None)
        ):
            role, organization = title, re.sub(r"^the\s+", "", rest, flags=re.IGNORECASE)
            continue
        if _department(text) is not None and not organization:
            organization = text  # "University Communications": the issuer's (_link_contacts)
            continue
        unit = _PRESS_UNIT.search(text)
        if unit and not _reads_like_organization(text[: unit.start()]):
            unit = None  # "Head of Media Relations" is a role
        if (unit or _reads_like_organization(text)) and not organization:
            organization = text[: unit.start()] if unit and unit.start() else text
            organization = re.sub(r"^the\s+", "", organization.strip(), flags=re.IGNORECASE)
        elif not role:
            role = text
    return role, organization


# Words of a lower-case line that make it no name: "email us", "call the team".
_NOT_NAME_WORDS = frozenset({
    "us", "our", "the", "team", "office", "press", "media", "desk", "email", "e-mail", "call",
    "phone", "contact", "please", "or", "and", "at", "on", "for", "info", "information",
})  # fmt: skip


def _lower_case_name(text: str) -> str:
    """Rule *lower-case contact*: a name written all in lower case ("paula mendes, 951-…",
    as a lower-case release writes everything) title-cased ("Paula Mendes"; "de", "van"
    stay as they are), else "". Only the part before the first comma or detail."""
    who = re.split(r",|\s[–—|]\s", text, maxsplit=1)[0].strip()
    words = who.split()
    if (
        not 2 <= len(words) <= 4
        or not who.islower()
        or not all(re.fullmatch(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?", w) for w in words)
        or any(w in _NOT_NAME_WORDS for w in words)
    ):
        return ""
    titled = " ".join(w if w in _NAME_PARTICLES else w.title() for w in words)
    return titled + text.lstrip()[len(who) :]


# Rule *references are no contacts*: the words of a reference line ("Press Release (2025)
# 042", "News Release No. 25-017", "Communiqué 042"), whose numbers read as a phone's.
_REFERENCE_WORDS = frozenset({
    "press", "news", "media", "release", "statement", "communiqué", "communique", "notice",
    "bulletin", "advisory", "ref", "reference", "no", "nr", "number", "issue", "issued",
})  # fmt: skip


def _reads_like_person(name: str) -> bool:
    """Rule *person names*: 1 to 6 capitalised words ("de", "van", "von der" may stand in
    lower case), no digits, no "&", not an organization's name."""
    words = [word.strip(".,") for word in name.split()]
    if not 1 <= len(words) <= 6 or re.search(r"[\d&@/]", name) or _reads_like_organization(name):
        return False
    if all(word.lower().strip(":") in _REFERENCE_WORDS for word in words):
        return False  # "Press Release (2025) 042" is a reference (rule *references*)
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


def _is_signature(block: _Block) -> bool:
    """Rule *signature blocks*: an e-mail signature in the body ("Megan O'Neill⏎
    Communications Specialist⏎Lakeside Community Clinic⏎Office: 269-555-0107 x231⏎
    megan@…"): a contact block of 3 lines or more, the name alone on the first, a line
    holding nothing but a (labelled) number or an e-mail address."""
    lines = block.lines
    if len(lines) < 3 or _has_contact_details(lines[0]) or not _is_contact_block(block):
        return False
    return any(
        _has_contact_details(text) and not _leading_name(text).strip(" :") for text in lines
    ) or any(
        (labelled := _GROUP_LABEL.match(text)) and _DETAIL_LABEL.match(labelled["label"])
        for text in lines
    )


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
    if len(parts) >= 4 and _is_place_after(parts[-2], parts[-1]):
        # Rule *location after the organization*: "Luc Ferrand, Communications Officer,
        # WEHO, Geneva": Geneva is where the office is, no part of the name (_contact
        # keeps it in the notes).
        parts, place = parts[:-1], parts[-1]
        parts[-1] = f"{parts[-1]}{_PLACE_MARK}{place}"
    name, role, organization = parts[0], ", ".join(parts[1:2]), ", ".join(parts[2:])
    if not organization and " at " in role:
        role, organization = role.split(" at ", 1)
    elif _names_organization(role) and not _names_organization(organization):
        # Rule *contact organization*: "Lena Vogt, Nordlicht Stiftung, +49 …" (and
        # "Lena Vogt, Nordlicht Stiftung, Press Officer"): the organization, not the role.
        role, organization = organization, role
    organization = re.sub(r"^the\s+", "", organization, flags=re.IGNORECASE)
    return name, role.strip(), organization.strip()


_PLACE_MARK = "\x1f"  # between an organization and its place until _contact splits them


def _is_place_after(organization: str, place: str) -> bool:
    """A place's name (one to three capitalised words, no organization's word, no job
    title) after an organization's (one by its words, a legal form or an acronym)."""
    words = place.split()
    return (
        1 <= len(words) <= 3
        and all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)
        and not re.search(r"[\d@]", place)
        and not _reads_like_organization(place)
        and not _JOB_TITLE.search(place)
        and not place.isupper()
        and (
            _reads_like_organization(organization)
            or _is_legal_form(organization.split()[-1])
            or bool(re.fullmatch(r"[A-Z][A-Z&\-]{1,9}", organization))
        )
    )


def _names_organization(text: str) -> bool:
    """An organization's name ("Nordlicht Stiftung", "Greenfield Water Utility"), not a
    job title ("Head of Media Relations")."""
    return bool(text) and _reads_like_organization(text) and not _JOB_TITLE.search(text)


def _contact(name, role, organization, details, line, region, warnings) -> ParsedContact:
    organization, _, place = organization.partition(_PLACE_MARK)
    organization = _one_form(organization, line, warnings)
    contact = ParsedContact(name=name, role=role, organization=organization)
    if place:
        contact.notes = f"Location: {place}"
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
    details = _EMAIL.sub(" ", details)
    # The first number is the contact's phone, even when it cannot be stored for want
    # of a country code: the numbers after it are its others, never the phone.
    first_unstored = False
    for found in _PHONE.finditer(details):
        for number in _numbers(found.group(), region):
            label = _number_label(details[: found.start()])
            if contact.phone or first_unstored:
                # Rule *more than one number*: a contact holds one phone; the others
                # ("0191 496 0321 / 07700 900 456", "Mobile: …") are named here.
                other = f"{label.strip(' ()') or 'Other number'}: {number}"
                contact.notes = "\n".join(filter(None, [contact.notes, other]))
                warnings.append(
                    f"line {line}: {name} has another number{label}, “{number}”: kept in the "
                    "contact's private notes (a contact holds one phone)"
                )
                continue
            phone, problem = _e164(number, region)
            if phone:
                contact.phone = phone
                continue
            # Rule *unreadable phone*: the number as written goes to the private notes,
            # so no number the file gave is lost.
            first_unstored = problem.startswith("needs its country code")
            written = f"{label.strip(' ()') or 'Phone'}: {number}"
            contact.notes = "\n".join(filter(None, [contact.notes, written]))
            warnings.append(
                f"line {line}: “{number}” {problem}; {name} kept without it (the number as "
                "written is in the contact's private notes)"
            )
    return contact


def _one_form(organization: str, line: int, warnings: list[str]) -> str:
    """Rule *two-language names*: "City of Riverton / Ville de Riverton" is one
    organization, named by its first form; the other is named in a warning."""
    forms = [form.strip() for form in organization.split(" / ")]
    if len(forms) != 2 or not all(forms) or not any(map(_reads_like_organization, forms)):
        return organization
    warnings.append(
        f"line {line}: “{organization}” read as one organization in two languages: "
        f"“{forms[0]}” (also “{forms[1]}”)"
    )
    return forms[0]


def _number_label(before: str) -> str:
    """ " (Mobile)" when "Mobile:" (or "Cell", "M:", …) stands right before a number."""
    label = re.search(r"(?:^|[;,|/]|\s)([A-Za-z][\w -]{0,20}?)\s*\.?:?\s*\(?$", before)
    if label and _DETAIL_LABEL.match(label[1].strip()):
        return f" ({label[1].strip()})"
    return ""
