"""The field cases of tests/cases/text/, each with its right value from tests/cases/README.md."""

from datetime import date
from pathlib import Path

import pytest

from releases.importers.text import ParsedContact, import_text_file, parse_text_release
from releases.importers.text.encoding import _decode

CASES = Path(__file__).parent / "cases" / "text"


def case(name: str):
    path = CASES / name
    warnings: list[str] = []
    parsed = parse_text_release(_decode(path.read_bytes(), path, warnings), source=name)
    parsed.warnings[:0] = warnings
    return parsed


def test_date_as_first_line_is_the_release_date_not_the_headline():
    parsed = case("date-as-first-line.txt")

    assert parsed.headline == "City opens new library"
    assert parsed.dated == date(2025, 3, 3)
    assert parsed.dateline == "SPRINGFIELD, Ill."
    assert parsed.paragraphs == ["The city opened a new library on Monday.", "It has 40,000 books."]


def test_unlabelled_contact_block_on_top():
    parsed = case("unlabelled-contact-block-on-top.txt")

    assert parsed.contacts == [
        ParsedContact("Jane Roe", "", "+12175550143", organization="City Hall, Springfield")
    ]
    assert parsed.headline == "CITY OPENS NEW LIBRARY"
    assert parsed.dateline == "SPRINGFIELD, Ill."
    assert parsed.paragraphs == ["The city opened a new library on Monday.", "It has 40,000 books."]
    assert not any("25-01" in p or "end" in p for p in parsed.paragraphs)


def test_labelled_contact_block_on_top():
    parsed = case("labelled-contact-block-on-top.txt")

    assert parsed.headline == "HARBOUR BOARD OPENS NEW FERRY TERMINAL"
    assert (parsed.dateline, parsed.dated) == ("BALTIMORE", date(2025, 3, 6))
    assert parsed.contacts == [
        ParsedContact(
            "Dana Whitfield",
            "dana.whitfield@harbour.example",
            "+12025550147",
            organization="Harbour Board",
        )
    ]
    assert len(parsed.paragraphs) == 2
    assert "Contact:" not in parsed.headline + " ".join(parsed.paragraphs)


def test_single_newline_paragraphs():
    parsed = case("single-newline-paragraphs.txt")

    assert parsed.paragraphs == [
        "The city opened a new library on Monday.",
        "It has 40,000 books and a cafe.",
        'The mayor said: "This is a great day."',
    ]
    assert (parsed.dateline, parsed.dated) == ("SPRINGFIELD, Ill.", date(2025, 3, 3))


def test_inline_for_more_information():
    parsed = case("inline-for-more-information.txt")

    assert [(c.name, c.phone) for c in parsed.contacts] == [
        ("Jane Roe", "+3225550101"),
        ("John Doe", "+3225550102"),
    ]
    assert parsed.paragraphs == [
        "The city opened a new library. A press release, Q&A and factsheet are available online."
    ]


def test_dash_list_and_mailing_footer():
    parsed = case("dash-list-and-mailing-footer.txt")

    assert parsed.paragraphs == [
        "The city opened a new library.",
        "Speakers are:\n-- Jane Roe, mayor\n-- John Doe, librarian",
    ]
    assert not any("subscribe" in p for p in parsed.paragraphs)


@pytest.mark.django_db
def test_dash_list_becomes_a_list_in_the_body(tmp_path):
    release = import_text_file(CASES / "dash-list-and-mailing-footer.txt").releases[0]

    assert "<p>Speakers are:</p>" in release.body
    assert "<ul><li>Jane Roe, mayor</li><li>John Doe, librarian</li></ul>" in release.body
    assert "subscribe" not in release.body


def test_windows_1252_is_read_with_a_warning():
    parsed = case("windows-1252.txt")

    assert parsed.headline == "Harbour Board names new pilot “chief”"
    assert parsed.paragraphs[0] == "The Harbour Board today named a new chief pilot."
    assert parsed.dateline == "PORTSMOUTH"
    assert "Windows-1252" in parsed.warnings[0]
    assert [c.name for c in parsed.contacts] == ["Dana Whitfield"]


def test_phone_extensions_are_kept_and_the_trunk_zero_dropped():
    parsed = case("phone-extensions.txt")

    assert [(c.name, c.phone) for c in parsed.contacts] == [
        ("Dana Whitfield", "+442079460321;ext=204"),
        ("Omar Reyes", "+447911123456"),
    ]


@pytest.mark.django_db
def test_phone_extension_is_shown_on_the_stored_contact():
    release = import_text_file(CASES / "phone-extensions.txt").releases[0]
    dana = release.contacts.get(name="Dana Whitfield")

    assert dana.phone.as_e164 == "+442079460321"
    assert dana.phone.extension == "204"


def test_wire_dateline():
    parsed = case("wire-dateline.txt")

    assert (parsed.dateline, parsed.dated) == ("WASHINGTON, D.C.", date(2025, 3, 3))
    assert parsed.paragraphs[0] == "The Harbour Board signed a port agreement today."
    assert "PRNewswire" not in " ".join(parsed.paragraphs)
