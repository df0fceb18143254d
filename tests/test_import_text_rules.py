"""The text importer's rules, each on inputs of its kind beyond the field cases: the
layouts US federal and state agencies, the European Commission, UK government and
corporate wire services use (tests/samples/text_layouts/, names and numbers invented)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from releases.importers.text import ParsedContact, parse_text_release
from releases.importers.text.dateline import _embargo
from releases.importers.text.encoding import _decode

LAYOUTS = Path(__file__).parent / "samples" / "text_layouts"
BODY = "The board approved the plan on Tuesday after a public consultation."


def parse(text: str, **kwargs):
    return parse_text_release(text, source="release.txt", **kwargs)


def layout(name: str):
    return parse((LAYOUTS / name).read_text(encoding="utf-8"), region="US")


# -- whole layouts ---------------------------------------------------------------------


def test_us_federal_agency_release():
    parsed = layout("us_federal.txt")

    assert parsed.headline == "AGENCY ANNOUNCES NEW GRANTS FOR CLEAN WATER"
    assert (parsed.dateline, parsed.dated) == ("WASHINGTON", date(2025, 3, 3))
    assert parsed.contacts == [
        ParsedContact(
            "Jane Roe", "roe.jane@agency.example", "+12025550143",
            organization="Environmental Example Agency",
        )
    ]  # fmt: skip
    assert [o.name for o in parsed.organizations] == ["Environmental Example Agency"]


def test_us_state_agency_release_with_letterhead_and_pipe_contact_line():
    parsed = layout("us_state.txt")

    assert parsed.headline == "State opens three new rest areas on I-55"
    assert (parsed.dateline, parsed.dated) == ("SPRINGFIELD, Ill.", date(2025, 3, 4))
    assert [(c.name, c.role, c.phone) for c in parsed.contacts] == [
        ("Jane Roe", "Press Secretary", "+12175550143")
    ]
    assert parsed.organizations[0].name == "Illinois Department of Example"
    assert len(parsed.paragraphs) == 3


def test_european_commission_press_release():
    parsed = layout("eu_commission.txt")

    assert parsed.headline == "Commission approves new rules on example products"
    assert (parsed.dateline, parsed.dated) == ("Brussels", date(2025, 3, 5))
    assert [o.name for o in parsed.organizations] == ["European Commission"]
    assert [(c.name, c.phone) for c in parsed.contacts] == [
        ("Jane ROE", "+3225550101"),
        ("John DOE", "+3225550102"),
    ]
    assert not any("IP/25/123" in p for p in parsed.paragraphs)
    assert any("names no person" in w for w in parsed.warnings)


def test_uk_government_press_release():
    parsed = parse((LAYOUTS / "uk_gov.txt").read_text(encoding="utf-8"), region="GB")

    assert parsed.headline == "Minister announces new example scheme"
    assert parsed.dated == date(2025, 3, 6)
    assert [o.name for o in parsed.organizations] == ["Department for Example"]
    assert parsed.paragraphs[-1] == "1. The scheme is funded for three years."
    assert not any("From:" in p for p in parsed.paragraphs)
    assert parsed.contacts[0].email == "newsdesk@example.gov.uk"
    assert parsed.contacts[0].phone == "+442079460000"


def test_corporate_wire_release():
    parsed = layout("wire.txt")

    assert parsed.dateline == "HAMBURG, Germany"
    assert parsed.paragraphs[0].startswith("Kestrel Robotics GmbH (KRG) today launched")
    assert [(o.name, o.short_name) for o in parsed.organizations] == [
        ("Kestrel Robotics GmbH", "KRG"),
        ("Example Campaign", "EXC"),
        ("Harbour Logistics Ltd", "HLL"),
        ("Northfield Port Authority", "NPA"),
    ]
    assert (
        parsed.organizations[0].boilerplate == "Kestrel Robotics GmbH makes robots for warehouses."
    )
    assert [(c.name, c.organization) for c in parsed.contacts] == [
        ("Anna Schmidt", "Kestrel Robotics GmbH")
    ]


# -- headline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "above",
    [
        "MEDIA ADVISORY",
        "NEWS RELEASE",
        "Press Release",
        "RELEASE: 25-01",
        "Release No. 25-017",
        "IP/25/1234",
        "FOR IMMEDIATE RELEASE",
        "Monday, March 3, 2025",
        "3 March 2025",
        "Date: 3 March 2025",
        "Contact: Jane Roe, +1 202 555 0143",
        "Jane Roe\nPress Secretary\n202-555-0143",
        "European Commission - Press release",
    ],
)
def test_headline_is_the_first_line_that_reads_as_one(above):
    parsed = parse(f"{above}\n\nCouncil approves new cycle lanes\n\n{BODY}\n", region="US")

    assert parsed.headline == "Council approves new cycle lanes"
    assert parsed.paragraphs == [BODY]


def test_all_caps_headline_is_kept_as_written():
    assert parse(f"COUNCIL APPROVES LANES\n\n{BODY}").headline == "COUNCIL APPROVES LANES"


# -- dateline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "dateline", "dated"),
    [
        ("LONDON, 1 September 2014 — ", "LONDON", date(2014, 9, 1)),
        ("SPRINGFIELD, Ill. – ", "SPRINGFIELD, Ill.", None),
        ("SPRINGFIELD, Ill. (March 3, 2025) - ", "SPRINGFIELD, Ill.", date(2025, 3, 3)),
        ("(SPRINGFIELD, March 3, 2025) – ", "SPRINGFIELD", date(2025, 3, 3)),
        ("CHICAGO (March 3, 2025) - ", "CHICAGO", date(2025, 3, 3)),
        ("WASHINGTON, D.C., March 3, 2025 /PRNewswire/ -- ", "WASHINGTON, D.C.", date(2025, 3, 3)),
        ("NEW YORK--(BUSINESS WIRE)--", "NEW YORK", None),
        ("NEW YORK, March 3, 2025 (GLOBE NEWSWIRE) -- ", "NEW YORK", date(2025, 3, 3)),
        ("AUSTIN, Texas, MARCH 3, 2025 — ", "AUSTIN, Texas", date(2025, 3, 3)),
        ("Brussels, 5 March 2025 – ", "Brussels", date(2025, 3, 5)),
    ],
)
def test_dateline_forms_press_offices_use(opening, dateline, dated):
    parsed = parse(f"Council approves new cycle lanes\n\n{opening}{BODY}\n")

    assert (parsed.dateline, parsed.dated) == (dateline, dated)
    assert parsed.paragraphs == [BODY]


# -- embargo -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "instant"),
    [
        ("EMBARGOED UNTIL 10 June 2025, 09:00 CEST", datetime(2025, 6, 10, 7, 0, tzinfo=UTC)),
        ("Embargoed until 00:01 BST, 4 June 2025", datetime(2025, 6, 3, 23, 1, tzinfo=UTC)),
        ("EMBARGOED UNTIL 12:01 a.m. EDT, Tuesday, March 11, 2025",
         datetime(2025, 3, 11, 4, 1, tzinfo=UTC)),
        ("EMBARGOED UNTIL: 10 a.m. EST Monday, March 3, 2025",
         datetime(2025, 3, 3, 15, 0, tzinfo=UTC)),
        ("Embargo: 3 March 2025 10:00 CET", datetime(2025, 3, 3, 9, 0, tzinfo=UTC)),
        ("EMBARGOED UNTIL 2 p.m. PDT June 5, 2025", datetime(2025, 6, 5, 21, 0, tzinfo=UTC)),
        ("EMBARGOED UNTIL 09:00 UTC+2, 10 June 2025", datetime(2025, 6, 10, 7, 0, tzinfo=UTC)),
        ("EMBARGOED UNTIL 11:00 ET ON JUNE 10, 2025", datetime(2025, 6, 10, 15, 0, tzinfo=UTC)),
        ("EMBARGOED UNTIL 00:01 GMT, 4 March 2025", datetime(2025, 3, 4, 0, 1, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_embargo_with_a_known_zone_is_that_instant(line, instant):
    found, warning = _embargo(1, line)

    assert found == instant
    assert "embargo set to" in warning


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("EMBARGOED UNTIL 09:00 XYZT, 10 June 2025", "the time zone “XYZT” is unknown"),
        ("EMBARGOED UNTIL 09:00, 10 June 2025", "no time zone is given"),
        ("EMBARGOED UNTIL 10 June 2025", "has no time"),
        ("EMBARGOED UNTIL Tuesday 09:00 CET", "has no full date"),
    ],
)
def test_embargo_that_cannot_be_read_is_a_warning(line, why):
    parsed = parse(f"{line}\n\nCouncil approves new cycle lanes\n\n{BODY}\n")

    assert parsed.embargoed_until is None
    assert why in parsed.warnings[0] and "set the embargo by hand" in parsed.warnings[0]


# -- contacts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        "Press contact:\nJane Roe\njane.roe@example.org\n+1 202 555 0143",
        "Media inquiries:\nJane Roe, +1 202 555 0143, jane.roe@example.org",
        "Media Contact: Jane Roe | Press Secretary | +1 202 555 0143 | jane.roe@example.org",
        "CONTACT: Jane Roe\n(202) 555-0143\njane.roe@example.org",
        "For more information, contact:\nJane Roe\nPress Secretary\n202.555.0143",
        "Contacts\nMedia:\nJane Roe\n+1 202 555 0143",
    ],
)
def test_contact_block_layouts(block):
    for where in ("after", "end"):
        text = (
            f"Council approves new cycle lanes\n\n{BODY}\n\n{block}\n"
            if where == "after"
            else f"Council approves new cycle lanes\n\n{BODY}\n\n###\n\n{block}\n"
        )
        parsed = parse(text, region="US")

        assert [(c.name, c.phone) for c in parsed.contacts] == [("Jane Roe", "+12025550143")]
        assert parsed.paragraphs == [BODY]


def test_several_people_one_a_line_are_several_contacts():
    block = "Media contacts:\nJane Roe, +1 202 555 0143\nJohn Doe, +1 202 555 0144"
    parsed = parse(f"Council approves new cycle lanes\n\n{BODY}\n\n{block}\n")

    assert [c.name for c in parsed.contacts] == ["Jane Roe", "John Doe"]


def test_inline_for_more_information_with_roles_and_emails():
    text = (
        f"{BODY} (For more information: Jane Roe – Tel.: +32 2 555 0101; "
        "John Doe – Tel.: +32 2 555 0102 – john.doe@ec.example)"
    )
    parsed = parse(f"Council approves new cycle lanes\n\n{text}\n")

    assert [(c.name, c.email) for c in parsed.contacts] == [
        ("Jane Roe", ""),
        ("John Doe", "john.doe@ec.example"),
    ]
    assert parsed.paragraphs == [BODY]


def test_things_that_are_available_are_not_people():
    text = "The report and its annexes are available at +1 202 555 0100."
    parsed = parse(f"Council approves new cycle lanes\n\n{BODY}\n\n{text}\n")

    assert parsed.contacts == []


# -- phones ------------------------------------------------------------------------------


def test_phone_without_country_code_and_no_region_keeps_the_contact_with_a_warning():
    parsed = parse(
        f"Council approves new cycle lanes\n\n{BODY}\n\nContact: Jane Roe, 202-555-0143\n"
    )

    assert [(c.name, c.phone) for c in parsed.contacts] == [("Jane Roe", "")]
    assert "needs its country code" in parsed.warnings[0]


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("202-555-0143 ext. 12", "+12025550143;ext=12"),
        ("(202) 555-0143 x12", "+12025550143;ext=12"),
        ("+1 202 555 0143, extension 12", "+12025550143;ext=12"),
    ],
)
def test_phone_read_in_the_default_region_keeps_its_extension(written, e164):
    parsed = parse(
        f"Council approves new cycle lanes\n\n{BODY}\n\nContact: Jane Roe, {written}\n",
        region="US",
    )

    assert parsed.contacts[0].phone == e164


# -- body --------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["-", "--", "*", "•", "1.", "1)"])
def test_lists_in_every_marker(marker):
    lines = "\n".join(f"{marker} Item {n}" for n in (1, 2))
    parsed = parse(f"Council approves new cycle lanes\n\n{BODY}\n\nThe plan:\n{lines}\n")

    assert parsed.paragraphs[1] == f"The plan:\n{lines}"


def test_hard_wrapped_paragraph_stays_one_paragraph():
    wrapped = (
        "The board approved the plan on Tuesday after a public consultation that ran for\n"
        "six weeks. Residents sent 400 comments, most of them about the lanes on Main\n"
        "Street."
    )
    parsed = parse(f"Council approves new cycle lanes\n\n{wrapped}\n")

    assert parsed.paragraphs == [" ".join(wrapped.split("\n"))]


@pytest.mark.parametrize("end_mark", ["###", "-30-", "-end-", "ENDS", "- ENDS -"])
def test_after_the_end_mark_contacts_and_boilerplate_are_read_and_footers_dropped(end_mark):
    text = (
        f"Council approves new cycle lanes\n\n{BODY}\n\n{end_mark}\n\n"
        "About the Example Council\nThe Example Council runs the city.\n\n"
        "Media contact: Jane Roe, jane.roe@example.org\n\n"
        "Unsubscribe from this list | Privacy policy\n"
    )
    parsed = parse(text)

    assert parsed.paragraphs == [BODY]
    assert parsed.organizations[0].boilerplate == "The Example Council runs the city."
    assert [c.name for c in parsed.contacts] == ["Jane Roe"]
    assert any("Unsubscribe" in warning for warning in parsed.warnings)


@pytest.mark.parametrize("artefact", ["image001 033502", "IMG_0042.JPG", "image002.png"])
def test_lone_image_file_names_are_dropped(artefact):
    parsed = parse(f"Council approves new cycle lanes\n\n{BODY}\n\n{artefact}\n\nThe end.\n")

    assert parsed.paragraphs == [BODY, "The end."]


# -- organizations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("It joins the Example Campaign (EXC) in the work.", ["Example Campaign"]),
        ("Kestrel Robotics GmbH (KRG) builds it.", ["Kestrel Robotics GmbH"]),
        ("Partners are Acme Inc. (ACME), Bolt Ltd (BL) and Cargo S.A. (CSA).",
         ["Acme Inc.", "Bolt Ltd", "Cargo S.A."]),
        ("Funded by Northfield Holdings plc (NHP) and Example Partners LLC (EPL).",
         ["Northfield Holdings plc", "Example Partners LLC"]),
        ("Artificial Intelligence (AI) helps.", []),
    ],
)  # fmt: skip
def test_organizations_written_with_their_acronym_keep_their_legal_form(sentence, names):
    parsed = parse(f"Council approves new cycle lanes\n\n{BODY} {sentence}\n")

    assert [o.name for o in parsed.organizations] == names


def test_organization_of_a_contact_block_is_an_organization():
    block = "Media contact:\nDana Whitfield\nHarbour Board Press Office\n+44 20 7946 0321"
    parsed = parse(f"Council approves new cycle lanes\n\n{BODY}\n\n{block}\n")

    assert [o.name for o in parsed.organizations] == ["Harbour Board"]
    assert parsed.contacts[0].organization == "Harbour Board"


# -- encoding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "warned"),
    [
        ("Caf\u00e9 opens\r\n\r\nIt opened.\r\n".encode(), False),
        ("\ufeffCaf\u00e9 opens\n\nIt opened.\n".encode(), False),
        ("Caf\u00e9 opens \u2013 \u201cnew\u201d\n\nIt opened.\n".encode("cp1252"), True),
    ],
)
def test_encodings(data, warned, tmp_path):
    warnings: list[str] = []
    text = _decode(data, tmp_path / "r.txt", warnings)

    assert parse(text).headline.startswith("Caf\u00e9 opens")
    assert bool(warnings) == warned
