"""The headline and the subheadline (dek)."""

from __future__ import annotations

from releases.importers.text.blocks import _Block
from releases.importers.text.body import _BULLET
from releases.importers.text.contacts import _CONTACT_HEADING, _has_contact_details
from releases.importers.text.dateline import _DATELINE_ALONE, _dateline
from releases.importers.text.organizations import _ABOUT
from releases.importers.text.parsed import SHORT_LINE, SUBHEADLINE_MAX


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
