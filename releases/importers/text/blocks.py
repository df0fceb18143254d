"""Finding the blocks: runs of non-blank lines, and the artefacts between them.

Release lines ("FOR IMMEDIATE RELEASE"), labels ("MEDIA ADVISORY"), reference lines
("RELEASE: 25-01", "IP/25/123"), end marks ("###", "-30-", "-end-", "ENDS"), lone image
file names are read here and never reach the body; "Notes to editors" headings start
the notes (the parser makes them a heading). What
follows an end mark is marked ``after_end``: only contacts, boilerplates and notes to
editors are read from it (the parser drops the rest: mailing-list footers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from releases.importers.text.body import _BULLET
from releases.importers.text.dateline import _date_in

_IMAGE_FILE = re.compile(
    r"^[\w\-.,()\[\]' ]{1,120}\.(?:jpe?g|png|gif|webp|tiff?|heic|bmp|svg|eps)$"
    # Outlook's inline-image placeholders: "image001", "image001 033502", "image002.png@01D…".
    r"|^image\d{3}(?:[\s._@][\w.@]*)?$",
    re.IGNORECASE,
)
# "###", "# # #", "-###-", "-30-", "- 30 -", "–30–", "ENDS", "-ENDS-", "— ENDS —",
# "[ENDS]", "(end)", "End of release"; the lone "***" is read by ``_drop_artefacts``.
_END_MARK = re.compile(
    r"^[\[(]?(?:[-–—*\s]*(?:ends|end|end of (?:press )?release)[-–—*\s.]*"
    r"|[-–—\s]*#(?:\s*#){2,}[-–—\s]*|[-–—]\s*30\s*[-–—])[\])]?$",
    re.IGNORECASE,
)
# "***", "* * *": a section break, or the end mark when it is the text's only one.
_STARS = re.compile(r"^\*(?:\s*\*){2,}$")
_FOREIGN_LABEL = (
    r"communiqu[ée](?:\s+de\s+presse)?|information\s+presse|dossier\s+de\s+presse"
    r"|presse(?:mitteilung|information|meldung|erklärung)|medien(?:mitteilung|information)"
    r"|comunicado(?:\s+de\s+prensa)?|nota\s+de\s+prensa|comunicato\s+stampa|persbericht"
)
# "FOR IMMEDIATE RELEASE", maybe with its date; the label of the kind of text above
# the headline ("PRESS RELEASE", "MEDIA ADVISORY", "NEWS RELEASE", "STATEMENT").
_RELEASE_LINE = re.compile(
    r"^(?:(?:for )?immediate release(?:\W+[\w ,]{0,30}\d{4})?|for release:?\s*immediately"
    r"|(?:(?:joint|official)\s+)?(?:press|news|media)\s+(?:release|advisory|statement|notice|alert)"
    r"|media advisory|news advisory|advisory|statement|readout|press briefing"
    # An advisory's labels: "For Planning Purposes Only", "Photo opportunity".
    r"|for planning purposes(?: only)?|not for publication|photo (?:opportunity|call)"
    r"|media availability"
    # The same labels in French, German, Spanish, Italian and Dutch.
    rf"|{_FOREIGN_LABEL})\W*$",
    re.IGNORECASE,
)
# A release's number or reference: "RELEASE: 25-01", "Release No. 25-017",
# "Ref: PN 12/25", "IP/25/1234" (the European Commission's), "No. 045-25".
_REFERENCE_LINE = re.compile(
    r"^(?:(?:news\s+|press\s+)?release|ref(?:erence)?|our\s+ref|no)\.?\s*(?:no\.?|number|#)?"
    r"\s*[:#.]?\s*[A-Z]{0,4}\s?\d[\w/\-.]*$"
    r"|^[A-Z]{1,6}/\d{2,4}/\d{1,6}$",
    re.IGNORECASE,
)
# The issuer's name above the headline: "European Commission - Press release",
# "Illinois Department of Example (IDE)".
_LETTERHEAD = re.compile(
    r"^(?P<name>[A-Z][^.!?:]{2,80}?)\s+[-–—|]\s+(?i:(?:press|news|media)\s+"
    rf"(?:release|advisory|statement)|statement|daily news|news|{_FOREIGN_LABEL})$"
    r"|^(?P<named>(?:[A-Z][\w'’&.\-]*\s+|(?:of|for|and|the|on|de|du)\s+){1,8}"
    r"\([A-Z][A-Za-z0-9&\-]{1,14}\))$"
)
# "EMBARGOED UNTIL …", "Embargo: …"; German "Sperrfrist: …", "Sperrfrist bis …"; French
# "Embargo jusqu'au …", "Sous embargo jusqu'au …"; Spanish "Embargo hasta …"; Italian
# "Embargo fino a …"; Dutch "Embargo tot …" (the "Embargo" ones are the first form).
_EMBARGO_LINE = re.compile(
    r"^(?:EMBARGO(?:ED)?\b|Embargoed (?:until|till)\b|Sperrfrist\b|sous embargo\b"
    r"|bajo embargo\b|onder embargo\b).*\d",
    re.IGNORECASE,
)
# A release line naming when the text may run: "FOR RELEASE AT 9:00 A.M. EDT, THURSDAY,
# APRIL 17, 2025", "HOLD FOR RELEASE UNTIL …", "FOR USE AFTER …", "NOT FOR PUBLICATION
# BEFORE …". Only with a full date on a short line: "For use in schools …" is text.
_RELEASE_AT_LINE = re.compile(
    r"^(?:(?:hold\s+)?(?:not\s+)?for\s+(?:release|use|publication|broadcast)"
    r"|(?:do\s+not|don['’]t)\s+(?:release|use|publish|broadcast))\b(?!\W*immediate)",
    re.IGNORECASE,
)
RELEASE_AT_MAX = 120
TABLE_CELL = "\t"
# The first line of a mailing list's footer (rule *mailing-list footers*): "You are
# receiving this email because …", "Unsubscribe", "Manage your preferences".
_FOOTER_LINE = re.compile(
    r"^(?:you(?:['’]re| are) receiving this|you received this|this (?:e-?mail|message) was sent"
    # "Copyright © 2025 Township of Maple Ridge, All rights reserved." (Mailchimp's).
    r"|(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}|copyright)|copyright\s+\d{4}\b.*all rights reserved"
    r"|(?:to |click here to |you can )?unsubscribe\b|(?:manage|update|change) (?:your )?"
    r"(?:e-?mail )?(?:preferences|subscription)|if you (?:no longer|do not|don['’]t) wish to"
    r" receive|forward (?:this (?:e-?mail )?)?to a friend|want to change how you receive)",
    re.IGNORECASE,
)
# "View this email in your browser", a mail's first or last line.
VIEW_IN_BROWSER = re.compile(
    r"^(?:view|read|open|having trouble (?:viewing|reading) this (?:e-?mail|message)\W+view)"
    r" (?:this (?:e-?mail|message|newsletter) |it )?(?:(?:in|on) (?:(?:your|a|the) )?)?(?:web )?"
    r"(?:browser|online|web version)\W*$",
    re.IGNORECASE,
)
_NOTES_HEADING = re.compile(r"^(?:notes? (?:to|for) editors?|editors?['’]? notes?)\W*$", re.I)
# A line that ends a sentence (or a label such as "Speakers are:").
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")
_PARAGRAPH_START = re.compile(r"^[\"“‘'(\[]?[A-Z0-9]")


@dataclass
class _Block:
    """Consecutive non-blank lines, with the number of the first one.

    ``after_end``: the block follows an end mark; ``in_notes``: it follows a "Notes to
    editors" heading.
    """

    line: int
    lines: list[str]
    after_end: bool = False
    in_notes: bool = False

    @property
    def text(self) -> str:
        """The block as one paragraph: lines joined, bullet lines kept on lines of their own."""
        return _join(self.lines)

    def paragraphs(self) -> list[str]:
        """Rule *paragraphs*: a block is split into paragraphs at single newlines when
        they end paragraphs, else its lines are one hard-wrapped paragraph.

        A line ends a paragraph when it ends a sentence, the next line starts one, and
        either every line of the block ends a sentence (one paragraph a line, as web
        forms and some mail programs send it) or the line is clearly shorter than the
        block's longest (a hard-wrapped paragraph fills its lines up to the wrap width;
        only its last line is short). Bullet lines stay in their paragraph as a list.
        """
        lines = self.lines
        width = max(len(line) for line in lines)
        # Two lines that both end a sentence may be one paragraph wrapped at a period.
        every_line_ends = len(lines) > 2 and all(_SENTENCE_END.search(line) for line in lines[:-1])
        paragraphs: list[list[str]] = [[]]
        for index, line in enumerate(lines):
            paragraphs[-1].append(line)
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if (
                following
                and not _BULLET.match(following)
                and not _BULLET.match(line)
                and _SENTENCE_END.search(line)
                and _PARAGRAPH_START.match(following)
                and (every_line_ends or len(line) < 0.75 * width)
            ):
                paragraphs.append([])
        return [_join(paragraph) for paragraph in paragraphs if paragraph]


def _join(lines: list[str]) -> str:
    joined: list[str] = []
    for line in lines:
        if joined and not _BULLET.match(line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return "\n".join(joined)


def _blocks(text: str) -> list[_Block]:
    """Rule *blocks*: blank lines separate blocks; CRLF and CR end lines like LF.

    Spaces inside a line are collapsed; non-breaking and zero-width spaces (web mail)
    and tabs count as spaces, except in lines written in columns (rule *tables*).
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate({0xA0: " ", 0x200B: None, 0xFEFF: None})
    blocks: list[_Block] = []
    raws: list[list[str]] = []
    current: _Block | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = " ".join(raw.split())
        if not line:
            current = None
        elif current is None:
            current = _Block(number, [line])
            blocks.append(current)
            raws.append([raw])
        else:
            current.lines.append(line)
            raws[-1].append(raw)
    for block, raw_lines in zip(blocks, raws, strict=True):
        _mark_table(block, raw_lines)
    return blocks


def _cells(raw: str) -> tuple[list[str], list[int]]:
    """The cells of a line written in columns (split at tabs or 2+ spaces), and where
    each cell starts."""
    cells, starts = [], []
    for found in re.finditer(r"[^\t ]+(?: [^\t ]+)*", raw):
        cells.append(found.group())
        starts.append(found.start())
    return cells, starts


def _mark_table(block: _Block, raw_lines: list[str]) -> None:
    """Rule *tables*: the last lines of a block written in columns (the same number of
    cells, 2 or more, on each of 2 or more lines) keep their cells, separated by a tab
    (``TABLE_CELL``). Columns made with spaces must line up (each column starts at the
    same place on every line): two spaces after a period in running text make none."""
    rows = [_cells(raw) for raw in raw_lines]
    width = len(rows[-1][0])
    start = len(rows)
    while start > 0 and width >= 2 and len(rows[start - 1][0]) == width:
        start -= 1
    table = rows[start:]
    if len(table) < 2:
        return
    tabbed = all("\t" in raw for raw in raw_lines[start:])
    if not tabbed and any(starts[1:] != table[0][1][1:] for _, starts in table):
        return
    for index, (cells, _) in enumerate(table, start=start):
        block.lines[index] = TABLE_CELL.join(cells)


def _is_release_at_line(line: str) -> bool:
    """Rule *release time*: a release line with a full date, maybe a time and zone."""
    return bool(
        len(line) <= RELEASE_AT_MAX
        and _RELEASE_AT_LINE.match(line)
        and not line.endswith(".")
        and _date_in(line)
    )


def _is_artefact(line: str) -> bool:
    """Rule *artefacts*: a lone image file name, a release line or label, a reference."""
    return bool(_IMAGE_FILE.match(line) or _is_label(line) or _REFERENCE_LINE.match(line))


# A reference after a label: "Press Release WEHO/25/017", "News release No. 25-017",
# "Press Release (2025) 042".
_LABEL_REFERENCE = re.compile(
    r"^(?P<label>.+?)\s*[:#,\-–—|]?\s+(?:no\.?\s*|#\s*)?(?:\(\d{4}\)\s*)?(?=[A-Z0-9/\-.]*\d)"
    r"[A-Z]{0,6}[/\-]?"
    r"\d[\w/\-.]*$",
    re.IGNORECASE,
)


def _is_label(line: str) -> bool:
    """Rule *labels*: a release line or label (``_RELEASE_LINE``), also framed by emoji
    or symbols ("🎉 PRESS RELEASE 🎉"), in two languages ("NEWS RELEASE / COMMUNIQUÉ"),
    or followed by its reference ("Press Release WEHO/25/017")."""
    if _RELEASE_LINE.match(line):
        return True
    bare = re.sub(r"^[\W_]+|[^\w.)]+$", "", line)
    if not bare or len(bare) > RELEASE_AT_MAX:
        return False
    if _RELEASE_LINE.match(bare):
        return True
    parts = re.split(r"\s+[/|]\s+|\s+[-–—]\s+", bare)
    if len(parts) > 1 and all(_RELEASE_LINE.match(part) for part in parts):
        return True
    labelled = _LABEL_REFERENCE.match(bare)
    return bool(labelled and _RELEASE_LINE.match(labelled["label"]))


def _drop_artefacts(
    blocks: list[_Block],
) -> tuple[list[_Block], list[int], list[tuple[int, str]]]:
    """The blocks without artefact lines; the lines of the end marks and notes headings;
    the embargo and release lines (number, text) for ``dateline`` to read (the release
    line may carry the date: "For Immediate Release: March 4, 2025").

    End marks and notes headings close the release proper: the author's bio may stand
    just before them, and what follows an end mark is marked ``after_end``.
    """
    kept: list[_Block] = []
    boundaries: list[int] = []
    embargoes: list[tuple[int, str]] = []
    after_end = in_notes = False
    texts = [text for block in blocks for text in block.lines]
    # Rule *end mark*: "***" ends the release when it is the only end mark of the text;
    # else (several, or "###" too) it is a section break, dropped.
    stars_end = sum(bool(_STARS.match(t)) for t in texts) == 1 and not any(
        _END_MARK.match(t) for t in texts
    )

    def is_end_mark(text: str) -> bool:
        return bool(_END_MARK.match(text) or (stars_end and _STARS.match(text)))

    for block in blocks:
        lines, line = [], block.line
        for number, text in enumerate(block.lines, start=block.line):
            if not (
                _NOTES_HEADING.match(text)
                or _FOOTER_LINE.match(text)
                or is_end_mark(text)
                or _STARS.match(text)
                or _EMBARGO_LINE.match(text)
                or _is_release_at_line(text)
                or _is_artefact(text)
            ):
                if not lines:
                    line = number
                lines.append(text)
                continue
            if lines:  # an artefact inside a block ends a paragraph
                kept.append(_Block(line, lines, after_end, in_notes))
                lines = []
            if _NOTES_HEADING.match(text):
                boundaries.append(number)
                in_notes = True
                # The heading stays, heading the notes under it (rule *headings*).
                lines, line = [text], number
            elif _FOOTER_LINE.match(text):
                # A mailing list's footer ends the release as an end mark would; the
                # parser drops it, quoted in a warning.
                boundaries.append(number)
                after_end, in_notes = True, False
                lines, line = [text], number
            elif is_end_mark(text):
                boundaries.append(number)
                after_end = True
            elif _EMBARGO_LINE.match(text) or _is_release_at_line(text) or _is_label(text):
                embargoes.append((number, text))
        if lines:
            kept.append(_Block(line, lines, after_end, in_notes))
    return kept, boundaries, embargoes
