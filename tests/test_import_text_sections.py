"""The text importer's body structure and trailing sections, each rule on inputs of its
kind: section headings, lines that belong together (advisories, tables), mailing-list
footers, desk contacts, joint and unlabelled boilerplates (names and numbers invented)."""

from pathlib import Path

import pytest

from releases.importers.text import import_text_file, parse_text_release
from releases.importers.text.body import _body_html
from releases.importers.text.parsed import Heading, Lines, Table

LAYOUTS = Path(__file__).parent / "samples" / "text_layouts"
BODY = "The board approved the plan on Tuesday after a public consultation."
MORE = "Work on the first section starts in June and ends before the winter."


def parse(text: str, **kwargs):
    return parse_text_release(text, source="release.txt", **kwargs)


def release_text(*paragraphs: str, headline: str = "Council approves new cycle lanes") -> str:
    return "\n\n".join([headline, *paragraphs]) + "\n"


def headings(parsed) -> list[str]:
    return [str(p) for p in parsed.paragraphs if isinstance(p, Heading)]


# -- section headings --------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["Next steps", "Background", "For More Information", "Notes to editors", "Quick facts",
     "QUICK FACTS", "How the Scheme Works", "What happens next"],
)  # fmt: skip
def test_a_short_line_over_a_paragraph_is_a_heading(heading):
    parsed = parse(release_text(BODY, heading, MORE))

    assert parsed.paragraphs == [BODY, heading, MORE]
    assert headings(parsed) == [heading]
    assert "<h2>" + heading + "</h2>" in _body_html(parsed.paragraphs)


@pytest.mark.parametrize("heading", ["Quick facts", "Key Figures", "NEXT STEPS"])
def test_a_heading_over_a_list_in_the_same_block(heading):
    parsed = parse(release_text(BODY, f"{heading}\n- 40 km of lanes\n- 12 new crossings"))

    assert headings(parsed) == [heading]
    assert _body_html(parsed.paragraphs).endswith(
        f"<h2>{heading}</h2>\n<ul><li>40 km of lanes</li><li>12 new crossings</li></ul>"
    )


def test_a_heading_over_a_paragraph_in_the_same_block():
    parsed = parse(release_text(BODY, f"Background\n{MORE}"))

    assert parsed.paragraphs == [BODY, "Background", MORE]
    assert headings(parsed) == ["Background"]


def test_notes_to_editors_keeps_its_heading_and_numbered_list_after_the_end_mark():
    parsed = parse(
        release_text(BODY, "ENDS", "Notes to editors:\n1. The plan is online.\n2. Maps follow.")
    )

    assert headings(parsed) == ["Notes to editors"]
    assert _body_html(parsed.paragraphs).endswith(
        "<h2>Notes to editors</h2>\n<ol><li>The plan is online.</li><li>Maps follow.</li></ol>"
    )


def test_layouts_with_headings():
    eu = parse((LAYOUTS / "eu_commission.txt").read_text(encoding="utf-8"))
    uk = parse((LAYOUTS / "uk_gov.txt").read_text(encoding="utf-8"), region="GB")

    assert headings(eu) == ["Background"]
    assert eu.paragraphs[-2:] == ["Background", "The proposal was made in 2023."]
    assert headings(uk) == ["Notes to editors"]
    assert "<h2>Notes to editors</h2>" in _body_html(uk.paragraphs)


@pytest.mark.parametrize(
    "paragraphs",
    [
        (BODY, "Work starts in June"),  # last: heads nothing
        ("LONDON, 3 March 2025", BODY, MORE),  # a dateline alone
        (BODY, "Published 6 March 2025", MORE),  # a date line
        (BODY, "Jane Roe, mayor", MORE),  # a name and title
        (BODY, "The mayor said the lanes will open\nnext year, before the summer holidays."),
        (BODY, "Background.", MORE),  # a sentence
    ],
)
def test_lines_that_are_not_headings(paragraphs):
    parsed = parse(release_text(*paragraphs))

    assert headings(parsed) == []


def test_the_summary_is_the_first_paragraph_not_a_heading():
    parsed = parse(release_text("Background", BODY, MORE))

    assert parsed.summary == BODY


# -- lines that belong together: advisories and tables -------------------------------------


def test_an_advisorys_labelled_lines_stay_one_a_line():
    advisory = (
        "WHAT: The mayor opens the new library\n"
        "WHEN: Monday, 10 March 2025, 10 a.m.\n"
        "WHERE: Riverside Library, 1 Main Street,\n"
        "Springfield\n"
        "WHO: Mayor Jane Roe; librarian John Doe"
    )
    parsed = parse(release_text(BODY, advisory))

    assert parsed.paragraphs[1] == (
        "WHAT: The mayor opens the new library\nWHEN: Monday, 10 March 2025, 10 a.m.\n"
        "WHERE: Riverside Library, 1 Main Street, Springfield\n"
        "WHO: Mayor Jane Roe; librarian John Doe"
    )
    assert isinstance(parsed.paragraphs[1], Lines)
    assert parsed.summary == BODY
    assert _body_html(parsed.paragraphs[1:]) == (
        "<p>WHAT: The mayor opens the new library<br>WHEN: Monday, 10 March 2025, 10 a.m.<br>"
        "WHERE: Riverside Library, 1 Main Street, Springfield<br>"
        "WHO: Mayor Jane Roe; librarian John Doe</p>"
    )


@pytest.mark.parametrize(
    "block",
    [
        "Date: 10 March\nTime: 10 a.m. <sharp>\nVenue: Riverside Library",
        "Who: The mayor\nWhat: The opening",
    ],
)
def test_other_labelled_lines_stay_one_a_line_and_are_escaped(block):
    parsed = parse(release_text(BODY, block))

    assert isinstance(parsed.paragraphs[1], Lines)
    assert _body_html(parsed.paragraphs[1:]).count("<br>") == block.count("\n")
    assert "<sharp>" not in _body_html(parsed.paragraphs)


def test_one_labelled_line_is_a_paragraph():
    parsed = parse(release_text(BODY, "Note: the lanes open in June.\nThey are 4 km long."))

    assert not any(isinstance(p, Lines) for p in parsed.paragraphs)


@pytest.mark.parametrize(
    "rows",
    [
        "Year    Visitors    Loans\n2023    10,500      40,200\n2024    12,000      45,900",
        "Year\tVisitors\tLoans\n2023\t10,500\t40,200\n2024\t12,000\t45,900",
        "Year\tVisitors\tLoans\n2023\t\t10,500\t40,200\n2024\t12,000\t\t45,900",
    ],
)
def test_aligned_figures_are_a_table(rows):
    parsed = parse(release_text(BODY, f"Visits grew again:\n{rows}", MORE))

    assert parsed.paragraphs[1:3] == [
        "Visits grew again:",
        "Year\tVisitors\tLoans\n2023\t10,500\t40,200\n2024\t12,000\t45,900",
    ]
    assert isinstance(parsed.paragraphs[2], Table)
    assert _body_html(parsed.paragraphs[2:3]) == (
        "<table><thead><tr><th>Year</th><th>Visitors</th><th>Loans</th></tr></thead><tbody>"
        "<tr><td>2023</td><td>10,500</td><td>40,200</td></tr>"
        "<tr><td>2024</td><td>12,000</td><td>45,900</td></tr></tbody></table>"
    )


def test_a_table_without_a_header_row_is_all_cells():
    parsed = parse(release_text(BODY, "North   12 km\nSouth   9 km"))

    assert _body_html(parsed.paragraphs[1:]) == (
        "<table><tbody><tr><td>North</td><td>12 km</td></tr>"
        "<tr><td>South</td><td>9 km</td></tr></tbody></table>"
    )


@pytest.mark.parametrize(
    "text",
    [
        # Two spaces after a period, lines not in columns.
        "The lanes open in June.  They are 4 km\nlong and cost £2m.  Work starts soon.",
        # Rows with different numbers of cells.
        "Year    Visitors    Loans\n2024    12,000",
        # One row only.
        "Year    Visitors",
    ],
)
def test_text_that_is_not_a_table(text):
    parsed = parse(release_text(BODY, text))

    assert not any(isinstance(p, Table) for p in parsed.paragraphs)
    assert not any("\t" in p for p in parsed.paragraphs)


# -- mailing-list footers without an end mark ----------------------------------------------


@pytest.mark.parametrize(
    "footer",
    [
        "You are receiving this email because you signed up for council news.",
        "Unsubscribe | Manage your preferences",
        "Manage your preferences\nUnsubscribe from this list",
        "You're receiving this because you subscribed to our updates.\nUnsubscribe",
        "If you no longer wish to receive these emails, unsubscribe here.",
        "To unsubscribe, reply STOP.",
        "Update your email preferences or unsubscribe.",
    ],
)
def test_a_mailing_list_footer_without_an_end_mark_is_dropped_with_a_warning(footer):
    parsed = parse(release_text(BODY, MORE, footer, "Council News, 1 Main Street"))

    assert parsed.paragraphs == [BODY, MORE]
    first = footer.split("\n")[0]
    assert any("dropped as a mailing-list footer" in w and first[:40] in w for w in parsed.warnings)


def test_a_footer_inside_the_last_block_splits_it():
    parsed = parse(release_text(BODY, f"{MORE}\nYou are receiving this email because you asked."))

    assert parsed.paragraphs == [BODY, MORE]


def test_contacts_and_about_after_a_footer_are_still_read():
    parsed = parse(
        release_text(
            BODY,
            "Unsubscribe",
            "Media contact:\nDana Whitfield\n+1 202 555 0147",
            "About the Harbour Board\nThe Harbour Board runs the port.",
        ),
        region="US",
    )

    assert [c.name for c in parsed.contacts] == ["Dana Whitfield"]
    assert parsed.organizations[0].boilerplate == "The Harbour Board runs the port."


@pytest.mark.parametrize(
    "line", ["View this email in your browser", "View in browser", "View online", "Read online"]
)
def test_view_in_browser_is_dropped_above_the_headline_or_below_the_body(line):
    top = parse(f"{line}\n\n" + release_text(BODY))
    bottom = parse(release_text(BODY, line))

    assert top.headline == "Council approves new cycle lanes"
    assert top.paragraphs == bottom.paragraphs == [BODY]
    assert any(line in w for w in top.warnings)
    assert any(line in w for w in bottom.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "Residents can unsubscribe from the alerts at any time.",
        "The council will update your preferences list next year.",
        "View the plans online at the library.",
    ],
)
def test_sentences_that_mention_unsubscribing_are_text(text):
    parsed = parse(release_text(BODY, text, MORE))

    assert parsed.paragraphs == [BODY, text, MORE]


# -- contacts that name a desk, not a person ----------------------------------------------


@pytest.mark.parametrize(
    ("block", "name", "email", "phone"),
    [
        ("Media inquiries: press@agency.example", "Media inquiries", "press@agency.example", ""),
        (
            "Media enquiries\nEmail newsdesk@dept.example\nTelephone 0303 444 0000",
            "Media enquiries", "newsdesk@dept.example", "+443034440000",
        ),
        (
            "Press enquiries:\nT: 020 7946 0000\nE: press@dept.example",
            "Press enquiries", "press@dept.example", "+442079460000",
        ),
        ("For more information, contact:\npress@agency.example", "Press office",
         "press@agency.example", ""),
        ("Contact: press@agency.example", "Press office", "press@agency.example", ""),
    ],
)  # fmt: skip
@pytest.mark.parametrize("end_mark", [False, True])
def test_a_desk_without_a_persons_name_is_a_contact_named_by_its_label(
    block, name, email, phone, end_mark
):
    parts = [BODY, "ENDS", block] if end_mark else [BODY, block]
    parsed = parse(release_text(*parts), region="GB")

    assert [(c.name, c.email, c.phone) for c in parsed.contacts] == [(name, email, phone)]
    assert parsed.paragraphs == [BODY]
    assert not any("names no person" in w for w in parsed.warnings)


def test_a_desk_above_the_headline_is_a_contact_too():
    parsed = parse("Media inquiries: press@agency.example\n\n" + release_text(BODY))

    assert [(c.name, c.email) for c in parsed.contacts] == [
        ("Media inquiries", "press@agency.example")
    ]
    assert parsed.headline == "Council approves new cycle lanes"


def test_a_named_person_under_a_desk_heading_stays_the_person():
    parsed = parse(release_text(BODY, "Media enquiries\nJane Roe\njane@dept.example"))

    assert [c.name for c in parsed.contacts] == ["Jane Roe"]


def test_details_that_name_something_else_are_still_no_contact():
    eu = parse((LAYOUTS / "eu_commission.txt").read_text(encoding="utf-8"))

    assert [c.name for c in eu.contacts] == ["Jane ROE", "John DOE"]
    assert any("names no person" in w for w in eu.warnings)


@pytest.mark.django_db
def test_a_desk_contact_is_written_as_the_issuers_contact(tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(
        release_text(
            f"The Northfield Port Authority (NPA) said: {BODY}",
            "Media inquiries: press@port.example",
        ),
        encoding="utf-8",
    )

    release = import_text_file(path).created[0]

    contact = release.contacts.get()
    assert (contact.name, contact.email) == ("Media inquiries", "press@port.example")
    assert contact.organization.name == "Northfield Port Authority"


# -- joint and unlabelled boilerplates ------------------------------------------------------

JOINT_OPENING = (
    "NORTHFIELD, March 3, 2025 — The Coastal Resilience Alliance (CRA) and the Northfield "
    "Port Authority (NPA) today opened a flood barrier."
)
CONTACTS = (
    "Media contacts:\nDana Whitfield, Northfield Port Authority\n+1 202 555 0147\n"
    "Omar Reyes, Coastal Resilience Alliance\nomar@cra.example"
)
CRA = "The Coastal Resilience Alliance is a coalition of coastal towns."
NPA = "The Northfield Port Authority runs the port of Northfield."


def joint(*tail: str):
    return parse(
        release_text(JOINT_OPENING, "The barrier protects 4,000 homes.", "###", *tail),
        region="US",
    )


@pytest.mark.parametrize(
    "heading",
    [
        "About the Coastal Resilience Alliance and the Northfield Port Authority",
        "About CRA and NPA",
        "About the Coastal Resilience Alliance & Northfield Port Authority",
    ],
)
def test_a_joint_about_goes_to_the_first_organization_not_a_third(heading):
    parsed = joint(CONTACTS, f"{heading}\n{CRA} Together with the port it plans barriers.")

    assert [(o.name, o.boilerplate) for o in parsed.organizations] == [
        ("Coastal Resilience Alliance", f"{CRA} Together with the port it plans barriers."),
        ("Northfield Port Authority", ""),
    ]


def test_a_joint_about_is_split_by_paragraph_when_each_starts_with_a_name():
    heading = "About the Coastal Resilience Alliance and the Northfield Port Authority"
    parsed = joint(CONTACTS, f"{heading}\n{CRA}", NPA)

    assert [(o.name, o.boilerplate) for o in parsed.organizations] == [
        ("Coastal Resilience Alliance", CRA),
        ("Northfield Port Authority", NPA),
    ]
    assert not any("dropped" in w for w in parsed.warnings)
    assert [(c.name, c.organization) for c in parsed.contacts] == [
        ("Dana Whitfield", "Northfield Port Authority"),
        ("Omar Reyes", "Coastal Resilience Alliance"),
    ]


def test_a_joint_about_whose_text_starts_with_the_second_name_goes_to_the_second():
    parsed = joint("About the Coastal Resilience Alliance and the Northfield Port Authority", NPA)

    assert [o.boilerplate for o in parsed.organizations] == ["", NPA]


@pytest.mark.django_db
def test_a_joint_release_is_written_with_two_organizations_and_contacts_in_text_order(tmp_path):
    path = tmp_path / "joint.txt"
    heading = "About the Coastal Resilience Alliance and the Northfield Port Authority"
    path.write_text(
        release_text(JOINT_OPENING, "###", CONTACTS, f"{heading}\n{CRA}", NPA), encoding="utf-8"
    )

    release = import_text_file(path).created[0]

    names = sorted(o.name for o in release.organizations.all())
    assert names == ["Coastal Resilience Alliance", "Northfield Port Authority"]
    ordered = [rc.contact.name for rc in release.releasecontact_set.order_by("pk")]
    assert ordered == ["Dana Whitfield", "Omar Reyes"]


@pytest.mark.parametrize(
    ("opening", "boilerplate"),
    [
        (
            "The Federal Agency for Example (FAE) today awarded grants.",
            "The Federal Agency for Example is the federal agency for examples.",
        ),
        (
            "The Federal Agency for Example (FAE) today awarded grants.",
            "FAE runs the national example programme since 1990.",
        ),
        (
            "Kestrel Robotics GmbH (KRG) today launched a robot.",
            "Kestrel Robotics GmbH, founded in 2010, makes robots for warehouses.",
        ),
    ],
)
def test_an_unlabelled_boilerplate_after_the_end_mark_is_the_named_organizations(
    opening, boilerplate
):
    parsed = parse(release_text(opening, BODY, "###", boilerplate))

    assert parsed.organizations[0].boilerplate == boilerplate
    assert parsed.paragraphs == [opening, BODY]
    assert not any("dropped" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "footer",
    [
        "The Federal Agency for Example, 1 Main Street, Washington",  # an address
        "Follow the Federal Agency for Example on social media",  # no sentence, no name first
        "The weather was fine.",  # no organization
        "FAE: 1 Main Street.",  # a label
    ],
)
def test_other_text_after_the_end_mark_is_still_a_dropped_footer(footer):
    parsed = parse(
        release_text("The Federal Agency for Example (FAE) today awarded grants.", "###", footer)
    )

    assert parsed.organizations[0].boilerplate == ""
    assert any("dropped after the end mark" in w for w in parsed.warnings)


# -- boilerplate headings that are not the organization's full name ----------------------

ABOUT_RELEASE = """\
Greenfield Water Trust opens new treatment plant

GREENFIELD, Ore., May 4, 2026 — The Greenfield Water Trust opened a plant today.

{heading}
{boilerplate}

Media contact:
Maria Lopez
Greenfield Water Trust
press@greenfield.example
"""
TRUST_BOILERPLATE = "The Greenfield Water Trust is a public utility founded in 1952."


@pytest.mark.parametrize(
    "heading",
    [
        "About Greenfield Water Trust:",  # a heading ending in a colon
        "ABOUT GREENFIELD WATER TRUST",  # in capitals
        "ABOUT THE GREENFIELD WATER TRUST:",
        "About Us",  # no proper name: the issuer's
        "ABOUT US",
        "About the company",
        "About the Trust",  # the last word of one name
        "About Greenfield",  # the first word of one name
    ],
)
def test_a_boilerplate_heading_finds_its_organization(heading):
    parsed = parse(ABOUT_RELEASE.format(heading=heading, boilerplate=TRUST_BOILERPLATE))

    assert [(o.name, o.boilerplate) for o in parsed.organizations] == [
        ("Greenfield Water Trust", TRUST_BOILERPLATE)
    ]
    assert [str(p) for p in parsed.paragraphs] == [
        "The Greenfield Water Trust opened a plant today."
    ]


def test_a_capitals_heading_takes_the_spelling_of_its_boilerplate():
    text = ABOUT_RELEASE.format(
        heading="ABOUT THE RIVERSIDE FUND",
        boilerplate="The Riverside Fund backs river restoration in Oregon.",
    )

    names = [o.name for o in parse(text).organizations]

    assert names == ["Riverside Fund", "Greenfield Water Trust"]


def test_about_us_without_any_organization_invents_none():
    text = "City opens new library\n\nThe library opens on Monday.\n\nAbout Us\nWe run libraries.\n"

    assert parse(text).organizations == []


# -- a letter's sign-off before the signature ------------------------------------------


@pytest.mark.parametrize(
    "sign_off",
    ["Thanks,", "Best regards,", "Kind regards", "Mit freundlichen Grüßen", "Cordialement,"],
)
def test_a_sign_off_is_dropped_with_a_warning(sign_off):
    text = release_text(
        BODY, MORE, sign_off, "Megan O'Neill\nCommunications Specialist\nmegan@clinic.example"
    )

    parsed = parse(text)

    assert [str(p) for p in parsed.paragraphs] == [BODY, MORE]
    assert any(sign_off.strip(",") in w and "sign-off" in w for w in parsed.warnings)


def test_a_sentence_of_thanks_stays_text():
    thanks = "Thanks to the volunteers, the park reopened a week early."

    assert thanks in [str(p) for p in parse(release_text(BODY, thanks)).paragraphs]
