"""Organizations: "About X" boilerplates, "X (ACR)" in the text, contacts' organizations."""

from __future__ import annotations

import re

from releases.importers.text.parsed import ParsedOrganization, ParsedRelease

_ABOUT = re.compile(
    # "About X", and in French, German, Spanish, Italian, Dutch: "À propos de X", "À
    # propos d'X", "Über X", "Über die X", "Acerca de X", "Sobre X", "Informazioni su X".
    r"^(?:About\s+|(?i:[àa]\s+propos)\s+(?:de\s+(?:la\s+|l['’])?|du\s+|des\s+|d['’])"
    r"|(?:Über|Ueber)\s+(?:die\s+|den\s+|das\s+)?|(?:Acerca\s+de|Sobre)\s+(?:la\s+|el\s+|los\s+)?"
    r"|Informazioni\s+su(?:\s+|ll['’])|Chi\s+è\s+|Over\s+(?:de\s+|het\s+)?)"
    r"(?P<name>(?:the\s+)?[A-Z][^:—–\n]{1,150}?)"
    # "About X: text", "About X — text", or a heading "About X" / "About X:".
    r"(?:\s*(?::|—|–|\s-)\s*(?P<text>\S.*)|\s*:)?$",
    re.DOTALL,
)
_ACRONYM = re.compile(r"\(\s*(?P<acronym>[A-Z][A-Za-z0-9&\-]{1,14})\s*\)")


# Lower-case words that may sit inside an organization's name.
_NAME_JOINERS = frozenset({
    "of", "for", "and", "the", "on", "in", "&", "de", "du", "des", "la", "le", "les",
    "del", "della", "di", "y", "et", "für", "van", "von", "der",
})  # fmt: skip
_LEGAL_FORMS = frozenset({
    "gmbh", "ag", "kg", "inc", "corp", "co", "llc", "llp", "ltd", "plc", "s.a", "sa",
    "s.a.s", "s.p.a", "spa", "srl", "s.r.l", "n.v", "nv", "b.v", "bv", "oy", "oyj", "pty",
})  # fmt: skip
# A name with one of these words reads like an organization, not a term or a job title.
_ORGANIZATION_WORDS = frozenset({
    "academy", "agency", "alliance", "archive", "archives", "assembly", "association",
    "authority", "bank", "board", "bureau", "centre", "center", "centro", "charity", "club",
    "coalition", "college", "commission", "committee", "company", "consortium",
    "cooperative", "co-operative", "corporation", "council", "court", "department",
    "federation", "forum", "foundation", "fund", "fundación", "fundação", "gallery",
    "group", "hospital", "inc", "initiative", "institut", "institute", "institution",
    "instituto", "laboratories", "laboratory", "league", "library", "limited", "llc", "ltd",
    "ministry", "museum", "nations", "network", "observatory", "office", "organisation",
    "organization", "panel", "parliament", "partnership", "plc", "police", "programme",
    "program", "project", "secretariat", "service", "services", "school", "society",
    "stiftung", "société", "trust", "union", "universidad", "universität", "université",
    "university", "hall", "city", "county", "state", "township", "municipality",
    "government", "administration", "campaign", "commissioner", "embassy", "mission",
    "directorate", "taskforce", "task force",
    # Legal forms: part of the name ("Kestrel Robotics GmbH").
    "gmbh", "ag", "kg", "incorporated", "corp", "llp", "lp",
    "s.a", "sa", "s.a.s", "sas", "s.p.a", "spa", "srl", "s.r.l",
    "n.v", "nv", "b.v", "bv", "oy", "oyj", "pty", "k.k",
})  # fmt: skip


def _about(line: str) -> re.Match | None:
    """Rule *boilerplate*: "About X" as a heading, or "About X: text". A heading ends
    without a period, unless the period is its legal form's ("About Acme S.A."); a
    heading in capitals ("ABOUT THE HARBOUR BOARD") reads as its title-case form."""
    if re.match(r"(?i:about)\s+(?:us|the\s+[a-z]+)\s*:?$", line):
        # "About us", "About the company": a heading whose name is no proper name.
        line = re.sub(r"\s+(\S)", lambda m: " " + m[1].upper(), line.rstrip(": "), count=1)
    if line.isupper() and len(line) < 160:
        match = _ABOUT.match(line.title())
        return match if match and not match["text"] else None
    match = _ABOUT.match(line)
    if match and (
        match["text"]
        or not line.endswith(".")
        or line.split()[-1].lower().rstrip(".") in _LEGAL_FORMS
    ):
        return match
    return None


def _is_legal_form(word: str) -> bool:
    """ "Inc.", "GmbH", "S.A.": a company's legal form, written after its name."""
    return word.lower().strip(",").rstrip(".") in _LEGAL_FORMS


def _reads_like_organization(name: str) -> bool:
    return any(word.lower().strip(".,") in _ORGANIZATION_WORDS for word in name.split())


def _organization_named(text: str, match: re.Match) -> ParsedOrganization | None:
    acronym = match["acronym"]
    letters = "".join(c for c in acronym if c.isupper())
    if len(letters) < 2:
        return None
    words: list[str] = []
    for word in reversed(text[: match.start()].split()):
        # "Acme S.A.", "Kestrel Robotics Inc.": a legal form's period ends no sentence.
        legal_form = word.lower().rstrip(".") in _LEGAL_FORMS
        # "Brightwater Analytics, Inc. (BWA)": a comma before the legal form is the name's.
        after_legal_form = word[-1] == "," and words and all(map(_is_legal_form, words))
        if word[-1] in ',.;:!?"”’)' and words and not legal_form and not after_legal_form:
            break
        word = word.strip("“\"‘'")
        if not word or not (
            word[0].isupper() or word.lower() in _NAME_JOINERS or legal_form  # "plc"
        ):
            break
        words.insert(0, word)
        if word[-1] in ",.;:!?" and not legal_form and not after_legal_form:
            break
    name_words = _words_spelling(words, letters)
    while name_words and name_words[0].lower() in _NAME_JOINERS:
        name_words.pop(0)
    name = " ".join(name_words)
    if not name or not _reads_like_organization(name):
        return None
    return ParsedOrganization(name=name, short_name=acronym)


def _words_spelling(words: list[str], letters: str) -> list[str]:
    """The longest run of trailing ``words`` whose initials spell ``letters``.

    "Today Northfield Water Authority" + "NWA" → "Northfield Water Authority". When no
    run spells it (CERN), the words from the first one starting with its first letter.
    """
    for start in range(len(words)):
        initials = "".join(w[0].upper() for w in words[start:] if w.lower() not in _NAME_JOINERS)
        if initials == letters:
            return words[start:]
    for start, word in enumerate(words):
        if word[0].upper() == letters[0]:
            return words[start:]
    return words


def _organizations(mentions, abouts, contacts=(), letterheads=()) -> list[ParsedOrganization]:
    """Rule *organizations*: the organizations a release names, issuer first.

    In order: the letterhead's ("European Commission - Press release", "From:
    Department for Example"), the issuer; "X (ACR)" wherever it stands (headline,
    body, lists: "the A Trust (AT), B Robotics GmbH (BRG) and the C Board (CB)"), legal
    forms kept; then "About X"
    boilerplates (the boilerplate goes to X); then the organizations of contact blocks
    ("Harbour Board Press Office" is the Harbour Board's) that are none of those.
    """
    found: list[ParsedOrganization] = []

    def find(name: str, short_name: str = "") -> ParsedOrganization | None:
        name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE).lower()
        for organization in found:
            if organization.name.lower() == name or (
                organization.short_name
                and organization.short_name.lower() in {name, short_name.lower()}
            ):
                return organization
        return None

    for letterhead in letterheads:
        named = next(
            (_organization_named(letterhead, m) for m in _ACRONYM.finditer(letterhead)), None
        )
        name = re.sub(r"^the\s+", "", _ACRONYM.sub("", letterhead).strip(), flags=re.I)
        if name and not find(name):
            found.append(named or ParsedOrganization(name=name))
    for _, text in sorted(mentions, key=lambda item: item[0]):
        for match in _ACRONYM.finditer(text or ""):
            named = _organization_named(text, match)
            if named and not find(named.name, named.short_name):
                found.append(named)
    unnamed: list[tuple[str, str]] = []
    for _, heading, boilerplate in abouts:
        named = next(
            filter(None, (_organization_named(heading, m) for m in _ACRONYM.finditer(heading))),
            None,
        )
        if named is None:
            name = _ACRONYM.sub("", heading).strip()
            name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
            named = ParsedOrganization(name=_spelled_as_in(boilerplate, name))
        if _meant(named.name, [named]) and not find(named.name, named.short_name):
            unnamed.append((named.name, boilerplate))  # "About Us": once all are known
            continue
        organization = find(named.name, named.short_name)
        if organization is None and (joint := _joint(heading, find)):
            # "About the Coastal Resilience Alliance and the Northfield Port Authority":
            # the text is the one it starts with, else the first's; no third organization.
            leading = _boilerplate_of(boilerplate, joint)
            organization = next((o for o in joint if o.name == leading), joint[0])
        if organization is None:
            organization = named
            found.append(organization)
        if not organization.short_name:
            # "The Northfield Water Authority (NWA) is …": the acronym is in the text.
            for match in _ACRONYM.finditer(boilerplate):
                itself = _organization_named(boilerplate, match)
                if itself and itself.name.lower() == organization.name.lower():
                    organization.short_name = itself.short_name
                    break
        organization.boilerplate = organization.boilerplate or boilerplate
    for contact in contacts:
        name = _ACRONYM.sub("", contact.organization).strip()
        if name and _reads_like_organization(name) and not find(name):
            found.append(ParsedOrganization(name=re.sub(r"^the\s+", "", name, flags=re.I)))
    for name, boilerplate in unnamed:
        if organization := _meant(name, found):
            organization.boilerplate = organization.boilerplate or boilerplate
        elif name.lower() not in _GENERIC_ABOUTS:
            found.append(ParsedOrganization(name=name, boilerplate=boilerplate))
        # else "About Us" and no organization named anywhere: nobody to give it to.
    return found


# "About Us", "About the company": the issuer's boilerplate, by whatever name it goes.
_GENERIC_ABOUTS = frozenset({
    "us", "the company", "company", "the organisation", "the organization", "the agency",
    "the group", "the foundation", "the institute", "the university", "the department",
    "the ministry", "the council", "the authority", "the board", "the trust",
})  # fmt: skip


def _meant(name: str, found: list[ParsedOrganization]) -> ParsedOrganization | None:
    """Rule *short boilerplate heading*: "About Us" or "About the Company" is the
    boilerplate of the first organization the release names (its issuer); "About the
    Trust" that of the one whose name ends with "Trust"; else None (a new organization)."""
    if not found:
        return None
    lowered = name.lower()
    if lowered in _GENERIC_ABOUTS or f"the {lowered}" in _GENERIC_ABOUTS:
        last = lowered.split()[-1]
        ending = [o for o in found if o.name.lower().split()[-1:] == [last]]
        return ending[0] if ending else found[0]
    if len(name.split()) == 1:
        # "About Greenfield", "About the Trust": one word, the first or last of one name.
        named = [o for o in found if lowered in _first_and_last_words(o.name)]
        return named[0] if len(named) == 1 else None
    return None


def _first_and_last_words(name: str) -> set[str]:
    words = name.lower().split()
    return {words[0], words[-1]} if words else set()


def _spelled_as_in(text: str, name: str) -> str:
    """The name as ``text`` spells it ("GREENFIELD WATER TRUST" from a capitals heading,
    title-cased, written "Greenfield Water Trust" in its boilerplate), else as given."""
    found = re.search(re.escape(name), text, re.IGNORECASE)
    return found.group(0) if found else name


def _boilerplate_of(text: str, known: list[ParsedOrganization]) -> str:
    """Rule *unlabelled boilerplate*: the name of the organization among ``known`` that
    leads ``text`` ("The Federal Agency for Example is …", "NPA runs …"), else ""."""
    if not re.search(r"[.!]$", text):
        return ""  # an address or a sign-off, not a sentence about the organization
    for organization in known:
        for name in filter(None, (organization.name, organization.short_name)):
            # The name, maybe its "(NPA)", then a comma or a lower-case word ("is").
            led = rf"(?:the\s+)?{re.escape(name)}(?:\s*\([^)]*\))?(?:,|\s+(?-i:[a-z]))"
            if re.match(led, text, re.IGNORECASE if name != organization.short_name else 0):
                return organization.name
    return ""


def _joint(heading: str, find) -> list[ParsedOrganization]:
    """Rule *joint boilerplate*: the organizations an "About A and B" heading names when
    each part is one the release knows, else none."""
    parts = [p for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", heading) if p.strip()]
    named = [find(_ACRONYM.sub("", part).strip()) for part in parts]
    return named if len(named) > 1 and all(named) else []


def _link_contacts(parsed: ParsedRelease) -> None:
    """Name each contact's organization as the release names it, when it is one of them."""
    by_key = {}
    for organization in parsed.organizations:
        by_key[organization.name.lower()] = organization.name
        if organization.short_name:
            by_key[organization.short_name.lower()] = organization.name
    for contact in parsed.contacts:
        person, _, role = contact.role.partition(", ")
        if (
            contact.name.lower() in by_key
            and not contact.organization
            and person[:1].isupper()
            and not _reads_like_organization(person)
        ):
            # "Kestrel Robotics⏎Jonas Feldmeier⏎Head of Communications": the line above
            # the person named an organization of the release (contacts._contact_lines).
            contact.organization = by_key[contact.name.lower()]
            contact.name, contact.role = person, role
            continue
        key = _ACRONYM.sub("", contact.organization).strip().lower()
        if key in by_key:
            contact.organization = by_key[key]
        elif not contact.organization and contact.role.lower() in by_key:
            # "Jane Roe, EC, on …": the only part after the name is the organization.
            contact.organization, contact.role = by_key[contact.role.lower()], ""
        elif not contact.organization and parsed.organizations:
            # A release's media contacts speak for its issuer unless they say otherwise.
            contact.organization = parsed.organizations[0].name
