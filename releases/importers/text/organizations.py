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
    "gmbh", "ag", "kg", "kgaa", "e.v", "inc", "corp", "co", "llc", "llp",
    "ltd", "plc", "s.a", "sa", "s.a.s", "s.a.u", "s.l", "s.l.u", "s.p.a", "spa", "srl",
    "s.r.l", "n.v", "nv", "b.v", "bv", "oy", "oyj", "pty", "a/s", "aps",
    "asa", "k.k", "s.a.r.l", "sarl", "s.c.a", "sca", "lda", "s.c.r.l",
})  # fmt: skip
# Legal forms that are also words ("as", "ab", "se"): a legal form only in capitals.
_LEGAL_FORMS_IN_CAPITALS = frozenset({"AB", "AS", "SE", "SL", "UG", "EG", "ASA", "APS", "ApS"})
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
    "directorate", "taskforce", "task force", "utility", "utilities", "clinic", "port",
    "verein", "verband", "bund", "ministerium", "amt", "behörde", "fondation", "fondazione",
    "stichting", "vereniging", "asociación", "associazione", "agence", "agencia", "agenzia",
    "firm", "studio", "studios", "labs", "foundry", "cooperativa", "editorial", "ayuntamiento",
    "commune", "mairie", "gemeinde", "kommune", "zoo", "aquarium", "ville",
    # Legal forms: part of the name ("Kestrel Robotics GmbH").
    "incorporated", "lp", *_LEGAL_FORMS - {"co"},
})  # fmt: skip


# Words of a job title: "Lena Vogt, Press Officer" is a role, "Lena Vogt, Nordlicht
# Stiftung" an organization.
_JOB_TITLE = re.compile(
    r"\b(?:head|director|manager|officer|spokes(?:person|man|woman)|secretary|chief|president"
    r"|chair(?:man|woman|person)?|co-?ordinator|lead|specialist|advis[eo]r|executive|editor"
    r"|assistant|associate|vice|vp|ceo|cfo|coo|cto|founder|partner|consultant|representative"
    r"|liaison|analyst|minister|mayor|councillor|professor|dean|counsel|strategist|planner"
    r"|writer|sprecher(?:in)?|leiter(?:in)?|referent(?:in)?|responsable|directeur|directrice"
    r"|charg[ée]e?|attach[ée]e?|portavoz|jef[ae]|director[a]?|responsabile|addett[oa]"
    r"|woordvoerder|pressesprecher(?:in)?)\b",
    re.IGNORECASE,
)
# A communications unit: "Press Office", "Media Relations", "Office of Public Affairs",
# "Communications Team", "University Communications" (``owner`` "University").
_UNIT = (
    r"(?:(?:office|department|division|bureau)\s+(?:of|for)\s+(?:the\s+)?)?"
    r"(?:(?:corporate|external|global|strategic|public|internal|digital)\s+)?"
    r"(?:communications?|public\s+affairs|public\s+relations|public\s+information"
    r"|media\s+relations|external\s+affairs|media|press|news|marketing)"
    r"(?:\s+(?:and|&)\s+(?:media\s+relations|public\s+affairs|communications?|marketing"
    r"|press|media|external\s+affairs|engagement))?"
    r"(?:\s+(?:office|team|desk|unit|department|dept\.?|services|group|division|centre"
    r"|center|bureau|relations))?"
)
_DEPARTMENT = re.compile(_UNIT, re.IGNORECASE)


def _department(line: str) -> str | None:
    """Rule *departments*: a contact's line naming a unit of the issuer ("University
    Communications", "Media Relations", "Office of Public Affairs", "Press Office",
    "Communications Team") is no organization of its own: the owner's word
    ("University", "" when none) for the contact's organization to be the issuer (or
    the organization of the release that word names); None for any other line.
    "Harbour Board Press Office" names its organization (the Harbour Board): None."""
    words = line.split()
    # The longest unit: "Office of Public Affairs" is all unit, no owner "Office of".
    split = next((i for i in range(len(words)) if _DEPARTMENT.fullmatch(" ".join(words[i:]))), None)
    if split is None or " ".join(words[split:]).lower() in {"media", "press", "news", "marketing"}:
        return None
    owner = re.sub(r"^the\s+", "", " ".join(words[:split]), flags=re.IGNORECASE)
    if owner and (len(owner.split()) > 1 or not _reads_like_organization(owner)):
        return None
    return owner


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
    """ "Inc.", "GmbH", "S.A.", "S.L.", "e.V.", "A/S", "AB" (in capitals): a company's
    legal form, written after its name."""
    word = word.strip(",").rstrip(".")
    return word.lower() in _LEGAL_FORMS or word in _LEGAL_FORMS_IN_CAPITALS


# Rule *organization words*: the names of several words that make an organization where
# each word alone does not: "Tidewater Health System", "Valley Unified School District",
# "Mercy Medical Center", "Bluefin PR" (an agency: "PR" after its name, no job title).
_ORGANIZATION_PHRASES = re.compile(
    r"\b(?:health(?:care)?|hospital|school|medical|university)\s+(?:system|district|group"
    r"|network|partners)\b|\b(?:medical|health|cancer|trauma)\s+(?:center|centre)\b"
    r"|\b(?:unified|independent|public|community|water|fire|park|irrigation|sanitation|transit"
    r"|library|hospital|health|utility|special)\s+(?:school\s+)?district\b",
    re.IGNORECASE,
)


def _reads_like_organization(name: str) -> bool:
    """Rule *organization words*: a word of ``_ORGANIZATION_WORDS`` ("Utility",
    "Stiftung", "Clinic", "Hospital"), a phrase of ``_ORGANIZATION_PHRASES`` ("Health
    System", "School District", "Medical Center") or a legal form ("GmbH", "e.V.",
    "AB", "S.L.") in the name; "PR" after a name ("Bluefin PR") without a job title."""
    words = name.split()
    return (
        any(
            word.lower().strip(".,") in _ORGANIZATION_WORDS
            or (index and word.strip(",.") in _LEGAL_FORMS_IN_CAPITALS)
            for index, word in enumerate(words)
        )
        or bool(_ORGANIZATION_PHRASES.search(name))
        or (len(words) > 1 and words[-1] == "PR" and not _JOB_TITLE.search(name))
    )


# "U.S.", "U.K.", "St.": initials or an abbreviation inside a name, whose period ends
# no sentence.
_DOTTED = re.compile(r"^(?:[A-Z]\.){2,}$|^St\.$")
# Words that present an organization: "the charity FoodShare North (FSN)".
_PRESENTED_AS = (
    r"(?:charity|company|firm|start-?up|non-?profit|not-for-profit|group|organi[sz]ation|NGO"
    r"|network|coalition|campaign|platform|provider|operator|retailer|maker|manufacturer"
    r"|developer|publisher|broadcaster|airline|insurer|lender|bank|consultancy|agency"
    r"|co-?operative|social enterprise|chain|club|trust|foundation|association|union|body)"
)
_PRESENTED_BEFORE = re.compile(rf"\b{_PRESENTED_AS}\s+(?:the\s+)?$", re.IGNORECASE)


def _is_form(word: str) -> bool:
    return _is_legal_form(word.rstrip(",")) if word[-1:] == "." else _is_legal_form(word)


def _organization_named(text: str, match: re.Match, context: str = "") -> ParsedOrganization | None:
    """Rule *organizations*: the organization "X (ACR)" names, when X is one: it holds an
    organization's word or a legal form, or the acronym spells it word by word and the
    release presents it as one ("the charity FoodShare North (FSN)", "FoodShare North
    is a registered charity" in ``context``, or a name written "FoodShare").

    The name runs back from the parenthesis over capitalised words and joiners ("of",
    "and"), initials ("U.S."), legal forms ("Acme S.A.", "Brightwater Analytics, Inc."),
    and one comma of a list inside the name when the acronym needs it ("European
    Climate, Infrastructure and Environment Executive Agency (CINEA)").
    """
    acronym = match["acronym"]
    letters = "".join(c for c in acronym if c.isupper())
    if len(letters) < 2:
        return None
    words: list[str] = []
    crossed = False
    for word in reversed(text[: match.start()].split()):
        # "Acme S.A.", "Kestrel Robotics Inc.": a legal form's period ends no sentence.
        legal_form = word.lower().rstrip(".") in _LEGAL_FORMS or _is_form(word.rstrip("."))
        # "U.S. Department of Example Affairs": nor does that of initials inside a name.
        dotted = bool(_DOTTED.match(word)) and bool(words) and words[0][:1].isupper()
        # "Brightwater Analytics, Inc. (BWA)": a comma before the legal form is the name's.
        after_legal_form = word[-1] == "," and words and all(map(_is_legal_form, words))
        in_list = (
            not crossed
            and word[-1] == ","
            and word[:1].isupper()
            and "and" in words
            and not _spelled_exactly(words, letters)
            # "Climate, …" spells the acronym's start, "Communities and Local
            # Government" its end ("Ministry of Housing, Communities and … (MHCLG)").
            and (word[:1] == letters[0] or letters.endswith(_initials(words, False)))
        )
        if (
            word[-1] in ',.;:!?"”’)'
            and words
            and not (legal_form or after_legal_form or dotted or in_list)
        ):
            break
        crossed = crossed or in_list
        word = word.strip("“\"‘'")
        if not word or not (
            word[0].isupper() or word.lower() in _NAME_JOINERS or legal_form  # "plc"
        ):
            break
        words.insert(0, word)
        if word[-1] in ",.;:!?" and not (legal_form or after_legal_form or dotted or in_list):
            break
    name_words = words if crossed else _words_spelling(words, letters)
    while name_words and name_words[0].lower() in _NAME_JOINERS:
        name_words.pop(0)
    name = " ".join(name_words)
    if not name:
        return None
    before, after = text[: match.start()], text[match.end() :]
    if _reads_like_organization(name) or _presented(before, name, letters, context, after):
        return ParsedOrganization(name=name, short_name=acronym)
    return None


def _spelled_exactly(words: list[str], letters: str) -> bool:
    return any(
        _initials(words[start:], dotted) == letters
        for start in range(len(words))
        for dotted in (True, False)
    )


def _initials(words: list[str], full: bool) -> str:
    """The initials of ``words`` without joiners; when ``full``, "U.S." gives "US" and
    "FoodShare" "FS", else nothing and "F"."""
    initials = []
    for word in words:
        if _DOTTED.match(word):
            initials.append(word.replace(".", "") if full else "")
        elif word.lower() not in _NAME_JOINERS:
            capitals = (
                re.sub(r"[^A-Z]", "", word[1:]) if full and re.search(r"[a-z][A-Z]", word) else ""
            )
            initials.append(word[0].upper() + capitals)
    return "".join(initials)


def _presented(before: str, name: str, letters: str, context: str, after: str = "") -> bool:
    """Rule *organizations without an organization's word*: "the charity FoodShare North
    (FSN)", "FoodShare North is a registered charity", or a word written "FoodShare":
    the acronym spelling the name word by word, the release presents it as an
    organization ("Artificial Intelligence (AI)" is none)."""
    words = name.split()
    if len(words) < 2 or letters not in {_initials(words, True), _initials(words, False)}:
        return False
    before = before.rstrip()[: -len(name)] if before.rstrip().endswith(name) else ""
    described = re.search(
        rf"{re.escape(name)}\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}{_PRESENTED_AS}\b",
        context,
        re.IGNORECASE,
    )
    camel = any(re.search(r"[a-z][A-Z]", word) for word in words)
    # "A GmbH (AG), B Ltd (BL) and the Port of Example Kiel (PEK)": a list of them.
    # the other one an organization by its words.
    joined = r"\s*(?:,|,?\s+(?:and|&))\s+(?:the\s+)?"
    listed = [
        re.search(rf"(?P<other>[^(),]{{1,80}})\([A-Z][\w&-]{{1,14}}\){joined}$", before),
        re.match(rf"{joined}(?P<other>[A-Z][^()]{{0,80}})\([A-Z][\w&-]{{1,14}}\)", after),
    ]
    listed = any(found and _reads_like_organization(found["other"]) for found in listed)
    return bool(_PRESENTED_BEFORE.search(before) or described or camel or listed)


def _words_spelling(words: list[str], letters: str) -> list[str]:
    """The longest run of trailing ``words`` whose initials spell ``letters``.

    "Today Northfield Water Authority" + "NWA" → "Northfield Water Authority"; initials
    such as "U.S." may or may not be spelled ("U.S. Department of Example Affairs (DEA)").
    When no run spells it (CERN), the words from the first one starting with its first
    letter.
    """
    for start in range(len(words)):
        if any(_initials(words[start:], dotted) == letters for dotted in (True, False)):
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
    context = " ".join([*(text or "" for _, text in mentions), *(text for _, _, text in abouts)])

    def find(name: str, short_name: str = "") -> ParsedOrganization | None:
        name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE).lower()
        for organization in found:
            if organization.name.lower() == name or (
                organization.short_name
                and organization.short_name.lower() in {name, short_name.lower()}
            ):
                return organization
        bare = _without_legal_form(name)
        for organization in found:
            # "About Halvorsen Biotech" and "Halvorsen Biotech, Inc.": one organization.
            if _without_legal_form(organization.name.lower()) == bare and (
                bare in {name, organization.name.lower()}
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
            named = _organization_named(text, match, context)
            if named and not (known := find(named.name, named.short_name)):
                found.append(named)
            elif named and not known.short_name and known.name == named.name:
                known.short_name = named.short_name  # a letterhead's name, its acronym here
    unnamed: list[tuple[str, str]] = []
    for _, heading, boilerplate in abouts:
        named = next(
            filter(None, (_organization_named(heading, m) for m in _ACRONYM.finditer(heading))),
            None,
        )
        if named is None:
            name = _ACRONYM.sub("", heading).strip()
            name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
            named = ParsedOrganization(
                name=_with_legal_form(_spelled_as_in(boilerplate, name), context)
            )
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
        if not name and _named_in(contact.role, context):
            # Rule *contact organization*: "Helen Ruiz⏎Cityline Transit⏎…" when the text
            # names "Cityline Transit": an organization, not a role (_link_contacts).
            name = contact.role
        if _department(name) is not None:
            continue  # "University Communications": a unit of the issuer (_link_contacts)
        if name and (_reads_like_organization(name) or _named_in(name, context)) and not find(name):
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


def _named_in(line: str, text: str) -> bool:
    """A contact's line of capitalised words, no job title, that ``text`` also names
    ("Cityline Transit and the Metro Riders Union announced …")."""
    words = line.split()
    return (
        1 < len(words) <= 8
        and all(w[:1].isupper() or w.lower() in _NAME_JOINERS for w in words)
        and not _JOB_TITLE.search(line)
        and _department(line) is None
        and re.search(rf"(?<![\w-]){re.escape(line)}(?![\w-])", text) is not None
    )


def _without_legal_form(name: str) -> str:
    """ "halvorsen biotech, inc." → "halvorsen biotech"."""
    words = name.split()
    while len(words) > 1 and _is_legal_form(words[-1]):
        words.pop()
    return " ".join(words).rstrip(",")


# Legal forms written with a period of their own: "Inc.", "Ltd.".
_ABBREVIATED = frozenset({"inc", "corp", "co", "ltd", "bhd"})


def _with_legal_form(name: str, text: str) -> str:
    """Rule *boilerplate heading with the legal form elsewhere*: "About Halvorsen
    Biotech" when ``text`` writes "Halvorsen Biotech, Inc." is "Halvorsen Biotech, Inc."."""
    if _without_legal_form(name) != name:
        return name
    form = r"(?:(?:[A-Za-z]\.){2,4}|[A-Za-z]/[A-Za-z]|[A-Za-z]{1,5}\.?)"
    for found in re.finditer(rf"\b{re.escape(name)}(?P<form>,?\s+{form})(?![\w/.])", text):
        written = found["form"].strip(", ")
        if _is_legal_form(written):
            if written.count(".") == 1 and written.rstrip(".").lower() not in _ABBREVIATED:
                return found.group(0)[:-1]  # "Kestrel Robotics GmbH." ends a sentence
            return found.group(0)
    return name


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


# "Westbrook Example Hospital today opened …", "The City of Riverton launches …": the
# capitalised name a sentence starts with, before its first lower-case word.
_SUBJECT = re.compile(
    r"^(?:The\s+)?(?P<name>[A-Z][\w&'’.\-]*(?:\s+(?:[A-Z][\w&'’.\-]*|of|for|and|the|de)){0,7})"
    r"(?:\s+\([A-Z][\w&\-]{1,14}\))?,?\s+(?!(?:of|for|and|the|de)\b)[a-z]"
)


def _subject(parsed: ParsedRelease) -> str:
    """Rule *issuer*: the organization the lead paragraph (its dateline taken off) or
    else the headline starts with ("Westbrook Example Hospital today opened …"), when
    its name reads as an organization's; else ""."""
    for text in (parsed.summary, parsed.headline):
        found = _SUBJECT.match(text or "")
        name = found["name"] if found else ""
        if len(name.split()) > 1 and _reads_like_organization(name) and not _JOB_TITLE.search(name):
            return name
    return ""


# What follows the organization a sentence says acts: "announced", "today opened",
# "has completed", "will open", "says".
_ANNOUNCING = (
    r"(?:today\s+|has\s+|have\s+|will\s+|is\s+)?(?:[a-z]{2,}ed|said|says|made|won|began|announces|confirms"
    r"|reports|reveals|unveils|launches|opens|publishes|releases|welcomes|names|today|will"
    r"|agree|agrees|approves|warns|calls|urges|plans|starts)\b"
)


def _announcer(lead: str, organizations) -> ParsedOrganization | None:
    """Rule *issuer*: the organization the lead paragraph says acts ("…, the Marston
    Borough Council (MBC) announced today", "Westbrook Hospital today opened …"), not
    one it names in passing ("… $85 million to the Office of Broadband Access (OBA)")."""
    found = []
    for organization in organizations:
        for name in filter(None, (organization.name, organization.short_name)):
            acts = re.search(
                rf"^(?:the\s+)?{re.escape(name)}\b"
                rf"|(?<![\w-]){re.escape(name)}(?:\s*\([^)]{{1,20}}\))?,?\s+{_ANNOUNCING}",
                lead,
                re.IGNORECASE if name != organization.short_name else 0,
            )
            if acts:
                found.append((acts.start(), organization))
    return min(found, key=lambda item: item[0])[1] if found else None


def _issuer(parsed: ParsedRelease, letterheads) -> ParsedOrganization | None:
    """Rule *issuer*: the release's issuer, the first of its organizations, when it is
    clearly the issuer: the letterhead's, one the lead paragraph says acts (its subject,
    or "…, the Council (MBC) announced today"), the headline's subject or one with a
    boilerplate ("About X"). When the release names no organization, the one the lead or
    headline starts with ("Westbrook Example Hospital today opened …") is added, with a
    warning. None when the release names organizations only in passing ("… $85 million
    to the Office of Broadband Access (OBA)"): no guess."""
    organizations = parsed.organizations
    if letterheads:
        return organizations[0] if organizations else None
    subject = _subject(parsed)
    if not organizations:
        if not subject:
            return None
        organizations.append(ParsedOrganization(name=subject))
        parsed.warnings.append(
            f"“{subject}” read as the issuer: the release starts with it (no letterhead "
            "or “About” names it); check it"
        )
        return organizations[0]
    first = organizations[0]
    if (
        first.boilerplate
        or (subject and _organization_called(subject, [first]))
        or _announcer(parsed.summary, [first])
        or _announcer(parsed.headline, [first])
    ):
        return first
    return None


def _organization_called(name: str, organizations) -> ParsedOrganization | None:
    lowered = name.lower()
    for organization in organizations:
        if lowered in {organization.name.lower(), organization.short_name.lower()} or (
            _without_legal_form(organization.name.lower()) == lowered
        ):
            return organization
    return None


def _link_contacts(parsed: ParsedRelease, letterheads=()) -> None:
    """Name each contact's organization as the release names it, when it is one of them.

    Rule *issuer*: a contact that states no organization speaks for the issuer
    (``_issuer``), with a warning when the issuer is a guess; for none when the
    release has no clear issuer, with a warning."""
    issuer = _issuer(parsed, letterheads)
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
        owner = _department(contact.organization)
        if owner is not None:
            # Rule *departments*: the issuer's unit, or the unit of the one organization
            # of the release its owner's word names ("University" → University of X).
            named = [
                o for o in parsed.organizations if owner.lower() in _first_and_last_words(o.name)
            ]
            meant = named[0] if owner and len(named) == 1 else None
            contact.organization = (meant or issuer).name if meant or issuer else ""
            continue
        key = _ACRONYM.sub("", contact.organization).strip().lower()
        if key in by_key:
            contact.organization = by_key[key]
        elif not contact.organization and contact.role.lower() in by_key:
            # "Jane Roe, EC, on …": the only part after the name is the organization.
            contact.organization, contact.role = by_key[contact.role.lower()], ""
        elif not contact.organization and issuer:
            # A release's media contacts speak for its issuer unless they say otherwise.
            contact.organization = issuer.name
        elif not contact.organization and parsed.organizations:
            parsed.warnings.append(
                f"{contact.name} states no organization and the release names no clear "
                "issuer: left without one"
            )
