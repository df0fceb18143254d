"""Datelines ("LONDON, 1 September 2014 —") and the dates they carry."""

from __future__ import annotations

import re
from datetime import date, datetime

from releases.importers.text.parsed import ParsedRelease

_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_WEEKDAY},?\s+)?"
    rf"(?:{_DAY}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_DAY}\s+{_MONTH}|{_MONTH}\s+{_DAY})"
)
_WORD = r"[^\W\d_][\w'’.\-]*"
_PLACE = rf"(?P<place>{_WORD}(?:,?\s(?!(?:{_WEEKDAY}|{_MONTH})\b){_WORD}){{0,4}})"
_DATELINE = re.compile(
    rf"^{_PLACE}(?:\s*\((?P<agency>[^()]{{1,40}})\))?(?:,?\s+(?P<date>{_DATE}))?"
    r"(?:\s*/[^/]{1,40}/)?(?P<sep>\s*[—–]\s*|\s*--\s*|\s+-\s+|:\s+)(?P<rest>\S.*)$",
    re.DOTALL,
)
_DATELINE_ALONE = re.compile(
    rf"^{_PLACE}(?:\s*\((?P<agency>[^()]{{1,40}})\))?,?\s+(?P<date>{_DATE})\s*[—–-]*$"
)


def _take_dateline(parsed: ParsedRelease, paragraphs: list[tuple[int, str]]):
    line, first = paragraphs[0]
    alone = _DATELINE_ALONE.match(first)
    if alone and _is_place(alone["place"], alone["date"]) and len(paragraphs) > 1:
        parsed.dateline, parsed.dated = alone["place"], _parse_date(alone["date"])
        return paragraphs[1:]
    match = _dateline(first)
    if not match:
        return paragraphs
    parsed.dateline, parsed.dated = match["place"], _parse_date(match["date"])
    return [(line, match["rest"]), *paragraphs[1:]]


def _dateline(text: str) -> re.Match | None:
    """The dateline opening ``text``: a place, maybe an agency and a date, a dash."""
    match = _DATELINE.match(text)
    if not match or not _is_place(match["place"], match["date"]):
        return None
    if match["sep"].strip() == ":" and not match["date"]:  # "NOTE: …"
        return None
    return match


def _is_place(place: str, date_: str | None) -> bool:
    """A place is capitalised; without a date it must be written in capitals (LONDON)."""
    letters = [c for c in place if c.isalpha()]
    if not place[0].isupper() or len(letters) < 2:
        return False
    if re.fullmatch(_MONTH, place.split()[0].rstrip(",")):
        return False
    return bool(date_) or all(c.isupper() for c in letters)


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    text = re.sub(r"^\w+day,?\s+", "", text)
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text).replace(",", " ").replace(".", "")
    text = " ".join(text.split())
    for pattern in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None
