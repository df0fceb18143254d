"""The text importer on more real layouts, each rule tested on its kind: release lines
with a time and date, other languages' labels and datelines, organizations above the
person in a contact block, and names with a comma before their legal form
(tests/samples/text_layouts/, names and numbers invented)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from releases.importers.text import parse_text_release

LAYOUTS = Path(__file__).parent / "samples" / "text_layouts"
BODY = "The board approved the plan on Tuesday after a public consultation."


def parse(text: str, **kwargs):
    return parse_text_release(text, source="release.txt", **kwargs)


# -- release lines with a time and date ------------------------------------------------


def test_release_line_with_time_and_date_is_an_embargo_not_the_headline():
    parsed = parse((LAYOUTS / "release_time.txt").read_text(encoding="utf-8"), region="US")

    assert parsed.headline == "KESTREL ROBOTICS OPENS FIRST US PLANT IN ILLINOIS"
    assert parsed.subheadline == ""
    assert (parsed.dateline, parsed.dated) == ("CHICAGO", date(2025, 4, 17))
    assert parsed.embargoed_until == datetime(2025, 4, 17, 13, 0, tzinfo=UTC)
    assert any("embargo set to 17 April 2025 13:00 UTC" in w for w in parsed.warnings)
    assert not any("FOR RELEASE" in p for p in parsed.paragraphs)


@pytest.mark.parametrize(
    ("line", "instant", "dated"),
    [
        ("FOR RELEASE: 10:00 a.m. ET, April 17, 2025", datetime(2025, 4, 17, 14, 0), (4, 17)),
        ("HOLD FOR RELEASE UNTIL 6 a.m. CDT, Tuesday, March 4, 2025",
         datetime(2025, 3, 4, 11, 0), (3, 4)),
        ("Hold for release until 12:01 a.m. PT, March 4, 2025", datetime(2025, 3, 4, 8, 1), (3, 4)),
        ("FOR USE AFTER 00:01 GMT, 4 March 2025", datetime(2025, 3, 4, 0, 1), (3, 4)),
        ("For use on or after 10:00 CET on 5 March 2025", datetime(2025, 3, 5, 9, 0), (3, 5)),
        ("NOT FOR PUBLICATION BEFORE 00:01 BST, 5 June 2025", datetime(2025, 6, 4, 23, 1), (6, 5)),
        ("Not for broadcast before 22:30 hrs CEST Monday 2 June 2025",
         datetime(2025, 6, 2, 20, 30), (6, 2)),
        ("FOR RELEASE: April 17, 2025", None, (4, 17)),
        ("FOR RELEASE 17 APRIL 2025", None, (4, 17)),
    ],
)  # fmt: skip
def test_release_lines_of_the_kind(line, instant, dated):
    text = f"{line}\n\nCITY OPENS NEW LIBRARY\n\nLONDON – {BODY}\n\nIt has 40,000 books.\n"
    parsed = parse(text)

    assert parsed.headline == "CITY OPENS NEW LIBRARY"
    assert parsed.dateline == "LONDON"
    assert parsed.dated == date(2025, *dated)
    expected = instant.replace(tzinfo=UTC) if instant else None
    assert parsed.embargoed_until == expected
    assert not any(line in p for p in parsed.paragraphs)
    if instant is None:
        assert not any("embargo" in w for w in parsed.warnings)


def test_release_line_with_an_unknown_zone_sets_no_embargo_and_says_why():
    parsed = parse(f"NOT FOR PUBLICATION BEFORE 10:00 XYZT, 5 March 2025\n\nHEADLINE\n\n{BODY}\n")

    assert (parsed.headline, parsed.embargoed_until) == ("HEADLINE", None)
    assert parsed.dated == date(2025, 3, 5)
    assert any("“XYZT” is unknown" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "sentence",
    [
        "For use in schools, the kit ships on 3 March 2025 to every district.",
        "For release of the funds on March 3, 2025, the council voted unanimously.",
    ],
)
def test_body_sentences_starting_like_release_lines_stay_text(sentence):
    parsed = parse(f"HEADLINE\n\n{BODY}\n\n{sentence}\n")

    assert parsed.paragraphs[-1] == sentence
    assert parsed.embargoed_until is None


def test_immediate_release_is_no_embargo():
    parsed = parse(f"FOR IMMEDIATE RELEASE: March 4, 2025\n\nHEADLINE\n\n{BODY}\n")

    assert (parsed.headline, parsed.embargoed_until) == ("HEADLINE", None)
    assert parsed.dated == date(2025, 3, 4)
