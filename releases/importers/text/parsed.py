"""What the parser reads out of a text release, before anything touches the database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from releases.models import Release

HEADLINE_MAX = Release._meta.get_field("headline").max_length
SUBHEADLINE_MAX = Release._meta.get_field("subheadline").max_length
SHORT_LINE = 140
AUTHOR_BIO_MAX = 400


# Rule *Markdown*: the inline markup of a release written in Markdown.
MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]\n]{1,300})\]\((?P<url>[^\s()]{1,2000})\)")
MARKDOWN_STRONG = re.compile(
    r"(?<![\w*])\*\*(?=\S)(?P<text>[^*\n]+?)(?<=\S)\*\*(?![\w*])"
    r"|(?<![\w_])__(?=\S)(?P<text2>[^_\n]+?)(?<=\S)__(?![\w_])"
)
MARKDOWN_EM = re.compile(
    r"(?<![\w*])\*(?=[^\s*])(?P<text>[^*\n]+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(?P<text2>[^_\n]+?)(?<=[^\s_])_(?![\w_])"
)
MARKDOWN_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>[^#\s].*?)(?:\s+#+)?$")


def plain(text: str) -> str:
    """Rule *Markdown*: ``text`` without its inline markup ("**Pickr 2**" → "Pickr 2",
    "[product page](https://…)" → "product page")."""
    text = MARKDOWN_LINK.sub(lambda m: m["text"], text)
    text = MARKDOWN_STRONG.sub(lambda m: m["text"] or m["text2"], text)
    text = MARKDOWN_EM.sub(lambda m: m["text"] or m["text2"], text)
    return MARKDOWN_HEADING.sub(lambda m: m["text"], text)


class Heading(str):
    """A section heading of the body ("Background", "Notes to editors"): an ``<h2>``."""


class Lines(str):
    """Lines that belong together, one a line ("WHAT: …⏎WHEN: …"): ``<br>`` between them."""


class Table(str):
    """Rows of aligned columns: rows separated by newlines, cells by ``TABLE_CELL``."""


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
    notes: str = ""  # other numbers ("Mobile: +1 614 555 0199"), one a line: private notes


@dataclass
class ParsedRelease:
    headline: str
    subheadline: str = ""
    dateline: str = ""
    dated: date | None = None  # the release's date, from the dateline or a date line
    embargoed_until: datetime | None = None  # aware, from an "EMBARGOED UNTIL" line
    paragraphs: list[str] = field(default_factory=list)  # or a Heading, Lines, Table
    contacts: list[ParsedContact] = field(default_factory=list)
    organizations: list[ParsedOrganization] = field(default_factory=list)
    language: str = ""  # ISO 639-1 when the text reads as one it knows, else ""
    author_name: str = ""
    author_bio: str = ""
    warnings: list[str] = field(default_factory=list)
    checksum: str = ""  # SHA-256 of the text, line ends normalised (rule *sent again*)
    markdown: bool = False  # written in Markdown: the body's inline markup is read
    author_organization: str = ""  # a byline's organization ("By Jane Roe, Example Trust")

    @property
    def summary(self) -> str:
        first = next((p for p in self.paragraphs if not isinstance(p, Heading | Lines | Table)), "")
        return plain(first) if self.markdown else first
