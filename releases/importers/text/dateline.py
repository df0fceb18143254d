"""Datelines ("LONDON, 1 September 2014 —") and the dates they carry."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from releases.importers.text.parsed import ParsedRelease

# Month and weekday names in English, French, German, Spanish, Italian and Dutch, as
# releases in those languages write their dates ("le 12 février 2025", "12. Februar
# 2025", "12 de febrero de 2025", "12 febbraio 2025", "12 februari 2025").
_MONTH_NAMES = (
    "january jan janvier januar jänner enero gennaio januari",
    "february feb février fevrier februar febrero febbraio februari",
    "march mar mars märz maerz marzo maart",
    "april apr avril abril aprile",
    "may mai mayo maggio mei",
    "june jun juin juni junio giugno",
    "july jul juillet juli julio luglio",
    "august aug août aout agosto augustus",
    "september sep sept septembre septiembre setiembre settembre",
    "october oct octobre oktober octubre ottobre",
    "november nov novembre noviembre",
    "december dec décembre decembre dezember diciembre dicembre",
)
_MONTH_NUMBERS = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()
}
_WEEKDAY_NAMES = frozenset(
    " ".join(
        (
            "monday tuesday wednesday thursday friday saturday sunday",
            "lundi mardi mercredi jeudi vendredi samedi dimanche",
            "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag",
            "lunes martes miércoles miercoles jueves viernes sábado sabado domingo",
            "lunedì martedì mercoledì giovedì venerdì sabato domenica",
            "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
        )
    ).split()
)
# Longest first, so that "mars" is not read as "mar" and a stray "s".
_WEEKDAY = f"(?i:{'|'.join(sorted(_WEEKDAY_NAMES, key=len, reverse=True))})"
_MONTH = f"(?i:{'|'.join(sorted(_MONTH_NUMBERS, key=len, reverse=True))})\\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|\.)?"
# Words a date is written with in other languages: "le 12 février", "12 de febrero de 2025".
_LE = r"(?:(?i:le|den|el|il)\s+)?"
_DE = r"(?:(?i:de)\s+)?"
_DATE = (
    rf"{_LE}(?:{_WEEKDAY},?\s+)?"
    rf"(?:{_DAY}\s+{_DE}{_MONTH},?\s+{_DE}\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|{_DAY}\s+{_DE}{_MONTH}|{_MONTH}\s+{_DAY})"
)
# A word of a place: "D.C.", "Saint-Aubin"; never ending in a dash ("Germany--(BUSINESS").
_WORD = r"[^\W\d_](?:[\w'’.\-]*[\w'’.])?"
_PLACE = (
    rf"(?P<place>{_WORD}(?:,?\s(?!(?:{_WEEKDAY}|{_MONTH})\b|(?i:le|den|el|il)\s+\d){_WORD}){{0,4}})"
)
_SEPARATOR = r"(?P<sep>\s*[—–]+\s*|\s*--+\s*|\s+-\s+|:\s+)"
_DATELINE = re.compile(
    rf"^{_PLACE}(?:\s*\((?P<agency>[^()]{{1,40}})\))?(?:,?\s+(?P<date>{_DATE}))?"
    # The wire's credit: "/PRNewswire/", "--(BUSINESS WIRE)--", "(GLOBE NEWSWIRE)".
    r"(?:\s*--\s*(?=\())?(?:\s*\((?P<wire>[^()]{1,40})\)|\s*/[^/]{1,40}/)?"
    rf"{_SEPARATOR}(?P<rest>\S.*)$",
    re.DOTALL,
)
# "(SPRINGFIELD, March 3, 2025) – …": place and date in parentheses.
_DATELINE_IN_PARENTHESES = re.compile(
    rf"^\({_PLACE},?\s+(?P<date>{_DATE})\)(?:{_SEPARATOR}|\s+)(?P<rest>\S.*)$", re.DOTALL
)
# "LONDON, 3 March 2025", "Washington, DC – March 27, 2025" (a dash between place and
# date, none after it: the line is the dateline alone, the first paragraph follows).
_DATELINE_ALONE = re.compile(
    rf"^{_PLACE}(?:\s*\((?P<agency>[^()]{{1,40}})\))?(?:,?\s+|\s+[—–-]+\s+|\s*--\s*)"
    rf"(?P<date>{_DATE})\s*[—–-]*$"
)
# A line that is only a date (the release's date above the headline).
_DATE_ALONE = re.compile(
    rf"^(?:(?i:date|dated|released|issued|published|posted)(?:\s+(?i:on))?\s*:?\s*)?"
    rf"(?P<date>{_DATE})\.?$"
)
# "EMBARGOED UNTIL 10 June 2025, 09:00 CEST", "Embargoed until 00:01 GMT, 4 March 2025",
# "EMBARGOED UNTIL 12:01 a.m. EDT, Tuesday, March 4, 2025".
_TIME = re.compile(
    r"\b(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*(?P<half>[ap]\.?\s?m\.?)?"
    r"(?:\s*(?:hrs|hours|h|uhr|heures?|horas?)\b)?(?:\s*\(?(?P<zone>(?:UTC|GMT)\s?[+\-−]\s?\d{1,2}(?::?\d{2})?"
    r"|(?-i:(?!(?:ON|AT|AND|THE|OF|UNTIL|HRS)\b)[A-Z]{1,5}))(?![a-z]))?",
    re.IGNORECASE,
)
_TIME_OF_DAY = re.compile(r"\b(?P<word>noon|midday|midnight)\b", re.IGNORECASE)

# Abbreviations press offices write, as UTC offsets. The daylight-saving ones name
# their offset (CEST is +2 whatever the date); the generic US "ET", "CT", "MT", "PT"
# follow the date's rule through their zone.
_ZONE_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 60,
    "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120, "HEC": 60, "HAEC": 120,
    "EET": 120, "EEST": 180, "MSK": 180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
    "AEST": 600, "AEDT": 660, "ACST": 570, "AWST": 480, "NZST": 720, "NZDT": 780,
    "JST": 540, "KST": 540, "SGT": 480, "HKT": 480,
}  # fmt: skip
_ZONE_NAMES = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
    "PT": "America/Los_Angeles", "CENTRAL EUROPEAN TIME": "Europe/Brussels",
    "BRUSSELS": "Europe/Brussels", "LONDON": "Europe/London", "PARIS": "Europe/Paris",
    "BERLIN": "Europe/Berlin", "WASHINGTON": "America/New_York",
    "NEW YORK": "America/New_York",
}  # fmt: skip
_PLACE_TIME = re.compile(r"\b(?P<place>[A-Za-z ]{4,25}?)\s+time\b", re.IGNORECASE)


def _take_dateline(parsed: ParsedRelease, paragraphs: list[tuple[int, str]]):
    """Rule *dateline*: the place opening the first paragraph goes to ``dateline``, its
    date to ``dated``; the rest stays the first paragraph.

    Forms: "LONDON, 1 September 2014 —", "SPRINGFIELD, Ill. –", "SPRINGFIELD, Ill.
    (March 3, 2025) -", "(SPRINGFIELD, March 3, 2025) –", "WASHINGTON, D.C., March 3,
    2025 /PRNewswire/ --", "NEW YORK--(BUSINESS WIRE)--", "GENEVA (Reuters) –", or a line
    of its own ("LONDON, 3 March 2025"). The wire's or agency's credit is dropped. A
    date already read above the headline is kept when the dateline has none.
    """
    line, first = paragraphs[0]
    alone = _DATELINE_ALONE.match(first)
    if alone and _is_place(alone["place"], alone["date"]) and len(paragraphs) > 1:
        parsed.dateline = alone["place"]
        parsed.dated = _parse_date(alone["date"]) or parsed.dated
        return paragraphs[1:]
    match = _dateline(first)
    if not match:
        return paragraphs
    written = match["date"] or (
        match.groupdict().get("agency") if _parse_date(match.groupdict().get("agency")) else None
    )
    parsed.dateline = match["place"]
    parsed.dated = _parse_date(written) or parsed.dated
    return [(line, match["rest"]), *paragraphs[1:]]


def _dateline(text: str) -> re.Match | None:
    """The dateline opening ``text``: a place, maybe an agency or wire and a date, a dash."""
    match = _DATELINE_IN_PARENTHESES.match(text)
    if match and _is_place(match["place"], match["date"]):
        return match
    match = _DATELINE.match(text)
    if not match:
        return None
    date_ = match["date"] or (match["agency"] if _parse_date(match["agency"]) else None)
    if not _is_place(match["place"], date_):
        return None
    if match["sep"].strip() == ":" and not date_:  # "NOTE: …"
        return None
    return match


def _is_place(place: str, date_: str | None) -> bool:
    """A place is capitalised; without a date its first word is written in capitals
    (LONDON; "SPRINGFIELD, Ill." with the state's abbreviation). Rule *lower-case
    dateline*: a place and date both in lower case ("riverside, calif., nov. 3, 2025")."""
    letters = [c for c in place if c.isalpha()]
    # "riverside, calif., nov. 3, 2025 –": a release written all in lower case.
    lower_case = bool(date_) and not any(c.isupper() for c in place + date_)
    if not (place[0].isupper() or lower_case) or len(letters) < 2:
        return False
    if re.fullmatch(_MONTH, place.split()[0].rstrip(",")):
        return False
    first_word = [c for c in place.split()[0] if c.isalpha()]
    return bool(date_) or (len(first_word) >= 2 and all(c.isupper() for c in first_word))


def _date_alone(line: str) -> date | None:
    """Rule *date line*: a line that is only a full date ("March 3, 2025", "Date: 3
    March 2025") is the release's date, not a headline."""
    match = _DATE_ALONE.match(line)
    return _parse_date(match["date"]) if match else None


def _date_in(text: str) -> date | None:
    """The first full date written in ``text``, if any."""
    for match in re.finditer(_DATE, text):
        if found := _parse_date(match.group()):
            return found
    return None


def _parse_date(text: str | None) -> date | None:
    """``date`` of "3 March 2025", "March 3, 2025", "Monday 3rd March 2025", "2025-03-03",
    "le 12 février 2025", "Donnerstag, 12. Februar 2025", "12 de febrero de 2025";
    None without a year or for anything else."""
    if not text:
        return None
    words = [
        word
        for word in re.findall(r"[^\W\d_]+|\d+", text.lower())
        if word not in _WEEKDAY_NAMES and word not in {"le", "den", "el", "il", "de", "of", "the"}
    ]
    words = [w for i, w in enumerate(words) if not (i and words[i - 1].isdigit() and w in _ORDINAL)]
    if len(words) != 3:
        return None
    if all(w.isdigit() for w in words) and len(words[0]) == 4:
        year, month, day = (int(w) for w in words)
    elif words[1] in _MONTH_NUMBERS and words[0].isdigit() and words[2].isdigit():
        day, month, year = int(words[0]), _MONTH_NUMBERS[words[1]], int(words[2])
    elif words[0] in _MONTH_NUMBERS and words[1].isdigit() and words[2].isdigit():
        month, day, year = _MONTH_NUMBERS[words[0]], int(words[1]), int(words[2])
    else:
        return None
    if year < 1000:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


_ORDINAL = frozenset({"st", "nd", "rd", "th", "er"})


def _embargo(line: int, text: str) -> tuple[datetime | None, str]:
    """Rule *embargo*: "EMBARGOED UNTIL <date, time, zone>" as an aware ``datetime``.

    Returns ``(instant, warning)``: the warning tells the editor what was read
    ("embargo set to …"), or why nothing was (no date, no time, a zone it does not
    know). Zones: the abbreviations in ``_ZONE_OFFSETS`` (CET, CEST, BST, GMT, EST,
    EDT, PST, UTC…), "UTC+2", the generic US "ET"/"PT", "Brussels time". "Midnight"
    is 00:00 of the date, "noon" 12:00.
    """
    quoted = f"line {line}: “{text}”"
    date_match = re.search(_DATE, text)
    day = _parse_date(date_match.group()) if date_match else None
    if day is None:
        return None, f"{quoted} has no full date; set the embargo by hand"
    rest = text[: date_match.start()] + " " + text[date_match.end() :]
    time_match = next(
        (m for m in _TIME.finditer(rest) if m["minute"] or m["half"] or m["zone"]), None
    )
    word = _TIME_OF_DAY.search(rest)
    if time_match:
        hour, minute = int(time_match["hour"]), int(time_match["minute"] or 0)
        half = (time_match["half"] or "").lower().replace(".", "").replace(" ", "")
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        zone = (time_match["zone"] or "").upper()
    elif word:
        hour, minute = (0, 0) if word["word"].lower() == "midnight" else (12, 0)
        zone = ""
    else:
        return None, f"{quoted} has no time; set the embargo by hand"
    if hour > 23 or minute > 59:
        return None, f"{quoted}: {hour}:{minute:02} is not a time; set the embargo by hand"
    tz = _zone(zone, rest)
    if tz is None:
        which = f"the time zone “{zone}” is unknown" if zone else "no time zone is given"
        return None, f"{quoted}: {which}; set the embargo by hand"
    instant = datetime.combine(day, time(hour, minute), tzinfo=tz)
    utc = instant.astimezone(UTC)
    return instant, (f"{quoted}: embargo set to {utc:%-d %B %Y %H:%M} UTC; check it")


def _zone(abbreviation: str, text: str) -> tzinfo | None:
    if abbreviation in _ZONE_OFFSETS:
        return timezone(timedelta(minutes=_ZONE_OFFSETS[abbreviation]), abbreviation)
    offset = re.fullmatch(r"(?:UTC|GMT)\s?([+\-−])\s?(\d{1,2})(?::?(\d{2}))?", abbreviation)
    if offset:
        sign = -1 if offset[1] in "-−" else 1
        minutes = int(offset[2]) * 60 + int(offset[3] or 0)
        return timezone(sign * timedelta(minutes=minutes))
    if abbreviation in _ZONE_NAMES:
        return ZoneInfo(_ZONE_NAMES[abbreviation])
    if not abbreviation:
        place = _PLACE_TIME.search(text)
        if place and place["place"].strip().upper() in _ZONE_NAMES:
            return ZoneInfo(_ZONE_NAMES[place["place"].strip().upper()])
    return None
