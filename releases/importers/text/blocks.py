"""Finding the blocks: runs of non-blank lines, without the artefacts between them.

Release lines ("FOR IMMEDIATE RELEASE"), end marks ("###", "-30-", "ENDS"), lone image
file names and "Notes to editors" headings are read here and never reach the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from releases.importers.text.body import _BULLET

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
