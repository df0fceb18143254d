"""Plain-text releases, as organizations e-mail them, imported as drafts.

``parse_text_release(text)`` reads the text into a ``ParsedRelease`` without touching
the database; ``import_text_file(path)`` reads a file, parses it and writes the draft,
its organizations, contacts and author.

The rules, in the order they apply:

- Artefacts are dropped wherever they stand on a line of their own: a lone image file
  name (``IMG_2041.jpg``), end marks (``ENDS``, ``-ends-``, ``###``, ``-30-``), the
  release line (``FOR IMMEDIATE RELEASE``, ``PRESS RELEASE``), an ``EMBARGOED UNTIL …``
  line (with a warning: the embargo is for the editor to set) and the "Notes to
  editors" heading. The notes themselves stay where the sender put them, as the last
  paragraphs of the body: they are part of what was sent, and an editor may cut them.
- The first line is the headline (lines after it starting in lower case are a wrapped
  headline). The next line of the same block is the subheadline when the block ends
  there or a dateline follows; otherwise the block is the first paragraph, hard-wrapped.
  A single short line (< 140 characters, no final period) after the first blank line
  is the subheadline too, when paragraphs follow it.
- Paragraphs are separated by blank lines; the lines of a paragraph are joined, except
  bullet lines (``- ``, ``• ``, ``1. ``), which become a list.
- The first paragraph may open with a dateline: ``LONDON, 3 March 2025 —``,
  ``GENEVA (Reuters) –``, ``New York, March 3, 2025 /PRNewswire/ --``; the place goes
  to ``dateline``, the date to ``dated`` (a hint only: a draft has no publication time),
  the rest stays the first paragraph, which is also the summary. A dateline on a line
  of its own before the first paragraph counts too. A place needs a date unless it is
  written in capitals.
- Contacts: sentences like "Jane Roe is contactable at: E: jane@example.org; T: +44 20
  7946 0000" and "For media enquiries contact John Smith, Head of Press, on +1 202 555
  0143 or john.smith@example.com", and blocks under a "Media contact:" heading (a name
  line, optional role and organization lines, then e-mail and phone lines). One person
  per sentence; the sentence must name someone ("your local library" is no one). Phones
  are stored in E.164 (read in ``PHONENUMBER_DEFAULT_REGION`` when written without a
  country code); an invalid one is dropped with a warning. "[email protected]"
  placeholders leave the e-mail empty (with a warning); "jane [at] example [dot] org"
  is de-obfuscated. These lines leave the body. A contact's organization is the one
  its line names, else the issuer.
- A paragraph starting "About <organization>" is that organization's boilerplate and
  leaves the body (the organization is added if the text never named it otherwise).
- The last paragraph of the release (or the last before an end mark or the notes to
  editors) of the form "<Name> is a/an/the …", short, about a person rather than an
  organization, is the author's bio and leaves the body.
- Organizations are the names written with an acronym in parentheses, "the Example
  Centre (EC)", in the order they are first named (headline, subheadline, body,
  contacts); the first is the issuer. The name is the run of capitalised words before
  the parentheses whose initials spell the acronym, without a leading "the"; it must
  read like an organization (Centre, Authority, University, Trust, …) so that terms
  such as "Artificial Intelligence (AI)" are not taken for one.

Errors (``ReleaseImportError`` with the path and line): an empty file, a file with a
headline and no body, a NUL byte (not a text file), a line that is not UTF-8, a first
line too long to be a headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from pathlib import Path

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html, format_html_join

from releases.importers import ImportResult, ReleaseImportError
from releases.indexing import update_search_vectors
from releases.models import (
    Author,
    Contact,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    Status,
)
from releases.models.people import MAX_EXTENSION_DIGITS, normalize_phone, phone_extension_error
from releases.sanitize import sanitize_html
from releases.signals import send_release_action

HEADLINE_MAX = Release._meta.get_field("headline").max_length
SUBHEADLINE_MAX = Release._meta.get_field("subheadline").max_length
SHORT_LINE = 140
AUTHOR_BIO_MAX = 400


@dataclass
class ParsedOrganization:
    name: str
    short_name: str = ""
    boilerplate: str = ""


@dataclass
class ParsedContact:
    name: str
    email: str = ""
    phone: str = ""  # E.164 (";ext=204" after it with an extension) or empty
    role: str = ""
    organization: str = ""  # a parsed organization's name when it is one of them


@dataclass
class ParsedRelease:
    headline: str
    subheadline: str = ""
    dateline: str = ""
    dated: date | None = None
    paragraphs: list[str] = field(default_factory=list)
    contacts: list[ParsedContact] = field(default_factory=list)
    organizations: list[ParsedOrganization] = field(default_factory=list)
    author_name: str = ""
    author_bio: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""


# -- patterns ----------------------------------------------------------------------------

_IMAGE_FILE = re.compile(
    r"^[\w\-.,()\[\]' ]{1,120}\.(?:jpe?g|png|gif|webp|tiff?|heic|bmp|svg|eps)$", re.IGNORECASE
)
_END_MARK = re.compile(
    r"^(?:[-–—*\s]*(?:ends|end|end of (?:press )?release)[-–—*\s.]*|#(?:\s*#){2,}|-\s*30\s*-)$",
    re.IGNORECASE,
)
# "FOR IMMEDIATE RELEASE", maybe with its date; "PRESS RELEASE" above the headline.
_RELEASE_LINE = re.compile(
    r"^(?:for immediate release(?:\W+[\w ,]{0,30}\d{4})?|(?:press|news|media) release)\W*$",
    re.IGNORECASE,
)
_EMBARGO_LINE = re.compile(r"^(?:EMBARGO(?:ED)?\b|Embargoed (?:until|till)\b).*\d")
_NOTES_HEADING = re.compile(r"^(?:notes? (?:to|for) editors?|editors?['’]? notes?)\W*$", re.I)
_BULLET = re.compile(r"^(?:[-•*–]|\d{1,2}[.)])\s+\S")
_BULLET_MARK = re.compile(r"^(?:[-•*–]|\d{1,2}[.)])\s+")
_NUMBERED = re.compile(r"^\d")

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

_EMAIL = re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+")
_EMAIL_PLACEHOLDER = re.compile(r"\[\s*email\s*(?:&#160;|&nbsp;)?\s*protected\s*\]", re.I)
_OBFUSCATED_EMAIL = re.compile(
    r"(?P<user>[\w.+\-]+)\s*[\[({]\s*at\s*[\])}]\s*"
    r"(?P<domain>[\w\-]+(?:\s*[\[({]\s*dot\s*[\])}]\s*[\w\-]+)+)",
    re.IGNORECASE,
)
_OBFUSCATED_DOT = re.compile(r"\s*[\[({]\s*dot\s*[\])}]\s*", re.IGNORECASE)
# A number, then an optional extension: "ext. 204", "ext 204", "extension 204", "x204",
# "#204", ";ext=204" (the spellings phonenumbers reads), in any digits (\d is Unicode).
# The extension's digits are all taken, however many: a long one is refused with a
# warning (_e164), not cut off the number silently.
_PHONE = re.compile(
    r"(?<![\w+])\+?\(?\d[\d ().\-/]{5,}\d"
    r"(?:\s*(?:,\s*)?(?:;\s*ext=|(?:ext\.?|extn\.?|extension|x|#)\s*)\d+\b)?",
    re.IGNORECASE,
)
# What may stand between the name part of a contact sentence and its first e-mail or
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
_ABOUT = re.compile(
    r"^About\s+(?P<name>(?:the\s+)?[A-Z][^:—–\n]{1,150}?)"
    r"(?:\s*(?::|—|–|\s-)\s*(?P<text>\S.*))?$",
    re.DOTALL,
)
_ACRONYM = re.compile(r"\(\s*(?P<acronym>[A-Z][A-Za-z0-9&\-]{1,14})\s*\)")
_AUTHOR = re.compile(
    r"^(?P<name>[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3})\s+is\s+(?:a|an|the)\s+\S"
)

# Lower-case words that may sit inside an organization's name.
_NAME_JOINERS = frozenset({
    "of", "for", "and", "the", "on", "in", "&", "de", "du", "des", "la", "le", "les",
    "del", "della", "di", "y", "et", "für", "van", "von", "der",
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
    "university",
})  # fmt: skip


# -- parsing -----------------------------------------------------------------------------


@dataclass
class _Block:
    """Consecutive non-blank lines, with the number of the first one."""

    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        joined = []
        for line in self.lines:
            if joined and not _BULLET.match(line):
                joined[-1] = f"{joined[-1]} {line}"
            else:
                joined.append(line)
        return "\n".join(joined)


def parse_text_release(text: str, *, source: str = "", region: str | None = None) -> ParsedRelease:
    """Read a plain-text release (see the module docstring for the rules).

    ``source`` names the text in errors; ``region`` (ISO 3166, e.g. "GB") reads phone
    numbers written without a country code. Raises ``ReleaseImportError``.
    """
    path = source or None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ReleaseImportError("not a text file (it contains NUL bytes)", path=path, line=line)
    blocks = _blocks(text)
    if not blocks:
        raise ReleaseImportError("the file is empty", path=path, line=1)

    warnings: list[str] = []
    blocks, boundaries = _drop_artefacts(blocks, warnings)
    if not blocks:
        raise ReleaseImportError("no headline: the file holds no text", path=path, line=1)

    first = blocks[0]
    headline, subheadline, rest = _headline(first)
    if len(headline) > HEADLINE_MAX:
        raise ReleaseImportError(
            f"the first line ({len(headline)} characters) is too long for a headline "
            f"(at most {HEADLINE_MAX})",
            path=path,
            line=first.line,
        )
    rest_line = first.line + len(first.lines) - len(rest)
    body_blocks = ([_Block(rest_line, rest)] if rest else []) + blocks[1:]
    # A lone short line is the subheadline only when a body follows it.
    if not subheadline and len(body_blocks) > 1 and _is_subheadline(body_blocks[0]):
        subheadline = body_blocks.pop(0).lines[0]

    parsed = ParsedRelease(headline=headline, subheadline=subheadline, warnings=warnings)
    # (line, text) of everything that may name an organization, in document order.
    mentions: list[tuple[int, str]] = [(first.line, headline), (first.line, subheadline)]
    paragraphs: list[tuple[int, str]] = []
    abouts: list[tuple[int, str, str]] = []
    in_contacts = False
    pending_about: tuple[int, str] | None = None
    for block in body_blocks:
        if pending_about:
            abouts.append((*pending_about, block.text.replace("\n", " ")))
            pending_about = None
            continue
        about = _ABOUT.match(block.lines[0])
        if about and (about["text"] or not block.lines[0].endswith(".")):
            boilerplate = " ".join(filter(None, [about["text"], *block.lines[1:]]))
            if boilerplate:
                abouts.append((block.line, about["name"], boilerplate))
            else:
                pending_about = (block.line, about["name"])
            in_contacts = False
            continue
        kept, found, in_contacts = _take_contacts(block, in_contacts, region, warnings)
        if found:
            parsed.contacts.extend(found)
            mentions.extend((block.line, f"{c.role}, {c.organization}") for c in found)
        if kept:
            text_ = _Block(block.line, kept).text
            paragraphs.append((block.line, text_))
            mentions.append((block.line, text_))

    if not paragraphs:
        raise ReleaseImportError(
            "a headline but no body: no paragraph follows it", path=path, line=first.line
        )
    paragraphs = _take_dateline(parsed, paragraphs)
    author_at = _author_paragraph(paragraphs, boundaries)
    if author_at is not None:
        line, bio = paragraphs.pop(author_at)
        parsed.author_name, parsed.author_bio = _AUTHOR.match(bio)["name"], bio
        mentions.remove((line, bio))
    parsed.paragraphs = [text_ for _, text_ in paragraphs]
    parsed.organizations = _organizations(mentions, abouts)
    _link_contacts(parsed)
    return parsed


def _blocks(text: str) -> list[_Block]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Non-breaking and zero-width spaces come with text copied out of web mail.
    text = text.translate({0xA0: " ", 0x200B: None, 0xFEFF: None, 0x09: " "})
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = " ".join(raw.split())
        if not line:
            current = None
        elif current is None:
            current = _Block(number, [line])
            blocks.append(current)
        else:
            current.lines.append(line)
    return blocks


def _drop_artefacts(blocks: list[_Block], warnings: list[str]) -> tuple[list[_Block], list[int]]:
    """The blocks without artefact lines, and the lines of the end marks and notes headings.

    Those lines close the release proper: the author's bio may stand just before them.
    """
    kept: list[_Block] = []
    boundaries: list[int] = []
    for block in blocks:
        lines, line = [], block.line
        for number, text in enumerate(block.lines, start=block.line):
            if _NOTES_HEADING.match(text) or _END_MARK.match(text):
                boundaries.append(number)
            elif _EMBARGO_LINE.match(text):
                warnings.append(f"line {number}: “{text}” dropped; set the embargo by hand")
            elif not (_IMAGE_FILE.match(text) or _RELEASE_LINE.match(text)):
                if not lines:
                    line = number
                lines.append(text)
                continue
            if lines:  # an artefact inside a block ends a paragraph
                kept.append(_Block(line, lines))
                lines = []
        if lines:
            kept.append(_Block(line, lines))
    return kept, boundaries


def _headline(block: _Block) -> tuple[str, str, list[str]]:
    """Headline, subheadline and the lines left over from the first block."""
    lines = list(block.lines)
    headline = lines.pop(0)
    while lines and lines[0][0].islower():  # a headline wrapped by the mail program
        headline = f"{headline} {lines.pop(0)}"
    if (
        lines
        and len(lines[0]) <= SUBHEADLINE_MAX
        and not _dateline(lines[0])
        # More lines may be the first paragraph, hard-wrapped, unless a dateline opens them.
        and (len(lines) == 1 or _dateline(" ".join(lines[1:])))
    ):
        return headline, lines[0], lines[1:]
    return headline, "", lines


def _is_subheadline(block: _Block) -> bool:
    line = block.lines[0]
    return (
        len(block.lines) == 1
        and len(line) < SHORT_LINE
        and not line.endswith(".")
        and not _DATELINE_ALONE.match(line)
        and not _ABOUT.match(line)
        and not _CONTACT_HEADING.match(line)
        and not _has_contact_details(line)
        and not _BULLET.match(line)
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


# -- contacts --------------------------------------------------------------------------


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


def _e164(text: str, region: str | None) -> tuple[str, str]:
    """``("+442079460321;ext=204", "")`` for a valid number, the extension in ASCII digits
    (``normalize_phone``), as the exports write it (``Contact.phone_text``); ``("", why)``
    for an invalid one or an extension the contact form refuses too."""
    invalid = "", "is not a valid phone number"
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return invalid
    if not phonenumbers.is_valid_number(number):
        return invalid
    if phone_extension_error(number):
        return "", f"has an extension longer than {MAX_EXTENSION_DIGITS} digits"
    number = normalize_phone(number)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return (f"{e164};ext={number.extension}" if number.extension else e164), ""


# -- author and organizations ------------------------------------------------------------


def _author_paragraph(paragraphs: list[tuple[int, str]], boundaries: list[int]) -> int | None:
    """Index of the trailing paragraph about the writer, if there is one.

    Trailing means the last paragraph, or the last before an end mark or the notes to
    editors; never the first paragraph.
    """
    candidates = {len(paragraphs) - 1}
    for boundary in boundaries:
        before = [index for index, (line, _) in enumerate(paragraphs) if line < boundary]
        if before:
            candidates.add(before[-1])
    for index in sorted(candidates, reverse=True):
        text = paragraphs[index][1]
        match = _AUTHOR.match(text)
        if (
            index > 0
            and match
            and len(text) <= AUTHOR_BIO_MAX
            and not _reads_like_organization(match["name"])
            and match["name"].split()[0].lower() not in {"the", "this", "it", "our"}
        ):
            return index
    return None


def _reads_like_organization(name: str) -> bool:
    return any(word.lower().strip(".,") in _ORGANIZATION_WORDS for word in name.split())


def _organization_named(text: str, match: re.Match) -> ParsedOrganization | None:
    acronym = match["acronym"]
    letters = "".join(c for c in acronym if c.isupper())
    if len(letters) < 2:
        return None
    words: list[str] = []
    for word in reversed(text[: match.start()].split()):
        if word[-1] in ',.;:!?"”’)' and words:
            break
        word = word.strip("“\"‘'")
        if not word or not (word[0].isupper() or word.lower() in _NAME_JOINERS):
            break
        words.insert(0, word)
        if word[-1] in ",.;:!?":
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


def _organizations(mentions, abouts) -> list[ParsedOrganization]:
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

    for _, text in sorted(mentions, key=lambda item: item[0]):
        for match in _ACRONYM.finditer(text or ""):
            named = _organization_named(text, match)
            if named and not find(named.name, named.short_name):
                found.append(named)
    for _, heading, boilerplate in abouts:
        named = next(
            filter(None, (_organization_named(heading, m) for m in _ACRONYM.finditer(heading))),
            None,
        )
        if named is None:
            name = _ACRONYM.sub("", heading).strip()
            named = ParsedOrganization(name=re.sub(r"^the\s+", "", name, flags=re.IGNORECASE))
        organization = find(named.name, named.short_name)
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
    return found


def _link_contacts(parsed: ParsedRelease) -> None:
    """Name each contact's organization as the release names it, when it is one of them."""
    by_key = {}
    for organization in parsed.organizations:
        by_key[organization.name.lower()] = organization.name
        if organization.short_name:
            by_key[organization.short_name.lower()] = organization.name
    for contact in parsed.contacts:
        key = _ACRONYM.sub("", contact.organization).strip().lower()
        if key in by_key:
            contact.organization = by_key[key]
        elif not contact.organization and contact.role.lower() in by_key:
            # "Jane Roe, EC, on …": the only part after the name is the organization.
            contact.organization, contact.role = by_key[contact.role.lower()], ""
        elif not contact.organization and parsed.organizations:
            # A release's media contacts speak for its issuer unless they say otherwise.
            contact.organization = parsed.organizations[0].name


# -- writing -----------------------------------------------------------------------------


def import_text_file(path: str | Path, *, source: str | None = None) -> ImportResult:
    """Import the release in the text file at ``path`` as a draft.

    ``source`` is kept as the release's ``source_url``; by default the ``file://`` URI
    of the file. A release imported before from the same source is refreshed in place
    while it is an untouched draft (no one saved it since), and left alone otherwise.
    Raises ``ReleaseImportError``; writes in one transaction.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReleaseImportError(f"cannot read the file: {error.strerror}", path=path) from None
    text = _decode(data, path)
    parsed = parse_text_release(
        text, source=str(path), region=getattr(settings, "PHONENUMBER_DEFAULT_REGION", None)
    )
    with transaction.atomic():
        return write_release(parsed, source_url=source or path.resolve().as_uri(), path=str(path))


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReleaseImportError("not a text file (it contains NUL bytes)", path=path, line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReleaseImportError(
            f"not UTF-8: byte 0x{data[error.start]:02x} cannot be decoded", path=path, line=line
        ) from None


def write_release(parsed: ParsedRelease, *, source_url: str, path: str = "") -> ImportResult:
    """Write ``parsed`` as a draft (or refresh the untouched draft from ``source_url``)."""
    result = ImportResult(path=path or source_url)
    release = Release.objects.filter(source_url=source_url).order_by("pk").first()
    if release is not None and (release.status != Status.DRAFT or release.updated_by_id):
        # An editor has taken it over: the file no longer has the last word.
        state = "edited since" if release.status == Status.DRAFT else release.state_label
        parsed.warnings.append(f"already imported as “{release.headline}” ({state}): left as it is")
        result.unchanged.append(release)
        return _with_warnings(result, parsed)

    matched = [_organization(o, parsed.warnings) for o in parsed.organizations]
    by_name = {p.name.lower(): o for p, o in zip(parsed.organizations, matched, strict=True)}
    organizations = _unique(matched)
    contacts = _unique(_contact_record(c, by_name, parsed.warnings) for c in parsed.contacts)
    author = _author(parsed) if parsed.author_name else None

    values = {
        "headline": parsed.headline,
        "subheadline": parsed.subheadline,
        "dateline": parsed.dateline,
        "summary": parsed.summary,
        # Sanitized as save() would, so an unchanged file compares equal.
        "body": sanitize_html(_body_html(parsed.paragraphs)),
        "author": author,
        "source_url": source_url,
    }
    created = release is None
    release = release or Release(status=Status.DRAFT)
    before = {name: getattr(release, name) for name in values}
    for name, value in values.items():
        setattr(release, name, value)
    changed = created or before != values
    if changed:
        release.save()
    changed |= _set_links(release, ReleaseOrganization, "organization", organizations)
    changed |= _set_links(release, ReleaseContact, "contact", contacts)
    if changed:
        # The link rows are bulk-created: no signal re-indexes the organization names.
        update_search_vectors([release.pk])
    (result.created if created else result.updated if changed else result.unchanged).append(release)
    if changed:
        send_release_action(release=release, user=None, action="import", note=result.path)
    return _with_warnings(result, parsed)


def _with_warnings(result: ImportResult, parsed: ParsedRelease) -> ImportResult:
    # What the editor should check: the command prints them under the file's name.
    result.warnings = list(parsed.warnings)
    return result


def _unique(records):
    seen, unique = set(), []
    for record in records:
        if record is not None and record.pk not in seen:
            seen.add(record.pk)
            unique.append(record)
    return unique


def _body_html(paragraphs: list[str]) -> str:
    """Paragraphs as ``<p>``, runs of bullet lines as ``<ul>`` (numbered: ``<ol>``)."""
    html = []
    for paragraph in paragraphs:
        for bulleted, lines in groupby(paragraph.split("\n"), key=lambda x: bool(_BULLET.match(x))):
            lines = list(lines)
            if not bulleted or len(lines) == 1:  # one numbered note is a paragraph
                html.extend(format_html("<p>{}</p>", line) for line in lines)
                continue
            tag = "ol" if _NUMBERED.match(lines[0]) else "ul"
            items = ((_BULLET_MARK.sub("", line),) for line in lines)
            html.append(
                format_html(f"<{tag}>{{}}</{tag}>", format_html_join("", "<li>{}</li>", items))
            )
    return "\n".join(html)


def _organization(parsed: ParsedOrganization, warnings: list[str]) -> Organization:
    organization = Organization.objects.filter(name__iexact=parsed.name).first()
    if organization is None and parsed.short_name:
        same_acronym = list(Organization.objects.filter(short_name__iexact=parsed.short_name)[:2])
        if len(same_acronym) == 1:
            organization = same_acronym[0]
            warnings.append(
                f"“{parsed.name} ({parsed.short_name})” matched to the existing "
                f"organization “{organization.name}” by its short name"
            )
    if organization is None:
        return Organization.objects.create(
            name=parsed.name,
            short_name=parsed.short_name[: Organization._meta.get_field("short_name").max_length],
            boilerplate=parsed.boilerplate,
        )
    # Shared records are an editor's: fill what is blank, never overwrite.
    changed = []
    if parsed.boilerplate and not organization.boilerplate:
        organization.boilerplate = parsed.boilerplate
        changed.append("boilerplate")
    if parsed.short_name and not organization.short_name:
        organization.short_name = parsed.short_name
        changed.append("short_name")
    if changed:
        organization.save(update_fields=[*changed, "updated_at"])
    return organization


def _contact_record(parsed: ParsedContact, organizations: dict, warnings) -> Contact:
    name = parsed.name[: Contact._meta.get_field("name").max_length]
    named = Contact.objects.filter(name__iexact=name)
    if parsed.email:
        contact = named.filter(email__iexact=parsed.email).first()
    else:
        # No e-mail: the phone tells two namesakes apart; (name, "") is unique.
        contact = (parsed.phone and named.filter(phone=parsed.phone).first()) or named.filter(
            email=""
        ).first()
    organization = organizations.get(parsed.organization.lower())
    if organization is None and parsed.organization:
        organization = Organization.objects.filter(
            Q(name__iexact=parsed.organization) | Q(short_name__iexact=parsed.organization)
        ).first()
    if contact is None:
        return Contact.objects.create(
            name=name,
            email=parsed.email,
            phone=parsed.phone,
            role=parsed.role[:200],
            organization=organization,
        )
    changed = []
    for attribute, value in (
        ("phone", parsed.phone),
        ("role", parsed.role[:200]),
        ("organization", organization),
    ):
        if value and not getattr(contact, attribute):
            setattr(contact, attribute, value)
            changed.append(attribute)
    if parsed.phone and contact.phone and contact.phone != parsed.phone:
        warnings.append(f"{contact.name}: kept the known phone {contact.phone}")
    if changed:
        contact.save(update_fields=changed)
    return contact


def _author(parsed: ParsedRelease) -> Author:
    author = Author.objects.filter(name__iexact=parsed.author_name).order_by("pk").first()
    if author is None:
        return Author.objects.create(name=parsed.author_name, bio=parsed.author_bio)
    if not author.bio:
        author.bio = parsed.author_bio
        author.save(update_fields=["bio"])
    return author


def _set_links(release: Release, model, field_name: str, records: list) -> bool:
    """Link ``records`` to ``release`` in this order; False when they already were."""
    links = model.objects.filter(release=release)
    current = list(links.order_by("position", "pk").values_list(f"{field_name}_id", flat=True))
    if current == [record.pk for record in records]:
        return False
    links.delete()
    model.objects.bulk_create(
        model(release=release, position=position, **{field_name: record})
        for position, record in enumerate(records)
    )
    return True
