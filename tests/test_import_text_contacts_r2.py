"""The text importer's contacts and organizations, second round of real layouts:
contact headings it did not know (bilingual, emoji, Markdown, a "CONTACT:" line among an
advisory's labelled lines, lower case), contacts and organizations it invented or got
wrong (reference lines, a city after the organization, a PR agency, the issuer, names in
two languages, a desk in parentheses) and organization words ("Health System", "School
District", "Medical Center").

Each kind: the tester's release (tests/samples/text_layouts/c2_*.txt) and two or more
written here (names and numbers invented)."""

from pathlib import Path

import pytest

from releases.importers.text import parse_text_release

LAYOUTS = Path(__file__).parent / "samples" / "text_layouts"
LEAD = "The plan was approved on Tuesday after a long consultation with residents."


def parse(text: str, region: str | None = "US"):
    return parse_text_release(text, source="release.txt", region=region)


def layout(name: str, region: str | None = "US"):
    return parse((LAYOUTS / name).read_text(encoding="utf-8"), region)


def people(parsed) -> list[tuple[str, str, str, str, str]]:
    return [(c.name, c.role, c.organization, c.phone, c.email) for c in parsed.contacts]


def names(parsed) -> list[str]:
    return [o.name for o in parsed.organizations]


def release(tail: str, lead: str = LEAD, top: str = "") -> str:
    return f"{top}Plan approved\n\n{lead}\n\nIt takes effect in May.\n\n###\n\n{tail}\n"


# -- 1. contact headings the importer did not know -------------------------------------


def test_bilingual_heading_after_the_end_mark():
    parsed = layout("c2_bilingual_heading.txt")

    assert people(parsed) == [
        (
            "Chloé Tremblay",
            "Communications Advisor / Conseillère en communications",
            "City of Riverton",
            "+16135550134;ext=2210",
            "chloe.tremblay@riverton.example.ca",
        )
    ]
    assert not any("dropped after the end mark" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "heading",
    [
        "Media contact / Relations avec les médias:",
        "Press contact / Contact presse :",
        "Contact / Kontakt:",
        "Media enquiries / Demandes des médias",
    ],
)
def test_bilingual_headings(heading):
    parsed = parse(release(f"{heading}\nJane Roe\n+1 202 555 0143\njane@example.org"))

    assert [(c.name, c.phone) for c in parsed.contacts] == [("Jane Roe", "+12025550143")]
    assert "Jane Roe" not in " ".join(parsed.paragraphs)


def test_emoji_labels_on_a_contact():
    parsed = layout("c2_emoji_contact.txt")

    assert [(c.name, c.phone, c.email) for c in parsed.contacts] == [
        ("Tara Quinn", "+13035550162", "tara.quinn@sunnysidezoo.example.org")
    ]


@pytest.mark.parametrize(
    "tail",
    [
        "📞 Media contact: Jane Roe, 202-555-0143\n✉️ jane@example.org",
        "👉 Contact:\n👤 Jane Roe\n📞 202-555-0143\n📧 jane@example.org",
        "☎️ Press enquiries: Jane Roe, 202-555-0143, jane@example.org",
    ],
)
def test_emoji_labels(tail):
    parsed = parse(release(tail))

    assert [(c.name, c.phone, c.email) for c in parsed.contacts] == [
        ("Jane Roe", "+12025550143", "jane@example.org")
    ]


def test_markdown_heading_over_a_contact():
    parsed = layout("c2_markdown_contact.txt")

    assert [(c.name, c.phone, c.email) for c in parsed.contacts] == [
        ("Dana Kim", "+16175550145", "dana.kim@oakridge.example.com")
    ]
    assert not any("Dana Kim" in p for p in parsed.paragraphs)


@pytest.mark.parametrize(
    "tail",
    [
        "**Media contact:**\nJane Roe, jane@example.org, +1 202 555 0143",
        "**Media contact**:\nJane Roe, jane@example.org, +1 202 555 0143",
        "## Press contact\nJane Roe\njane@example.org\n+1 202 555 0143",
        "__Contact:__ Jane Roe, jane@example.org, +1 202 555 0143",
    ],
)
def test_markdown_headings(tail):
    parsed = parse(release(tail))

    assert [(c.name, c.phone, c.email) for c in parsed.contacts] == [
        ("Jane Roe", "+12025550143", "jane@example.org")
    ]


def test_contact_line_ending_an_advisory_block():
    parsed = layout("c2_advisory_contact_line.txt")

    assert [(c.name, c.phone) for c in parsed.contacts] == [("Ben Ortiz", "+15035550101")]
    assert parsed.paragraphs == [
        "WHEN: Thursday, August 14, 2025, 11 a.m.\nWHERE: Larkspur Lot, 200 Main St., Springdale"
    ]


@pytest.mark.parametrize(
    "lines, kept",
    [
        (
            "WHAT: Ribbon cutting\nWHEN: 10 a.m.\nCONTACT: Jane Roe, 202-555-0143",
            "WHAT: Ribbon cutting\nWHEN: 10 a.m.",
        ),
        (
            "WHAT: Ribbon cutting\nMedia contact: Jane Roe, 202-555-0143\njane@example.org\n"
            "WHERE: City Hall",
            "WHAT: Ribbon cutting\nWHERE: City Hall",
        ),
        (
            "WHEN: 10 a.m.\nWHERE: City Hall\nFor more information: Jane Roe (202-555-0143)",
            "WHEN: 10 a.m.\nWHERE: City Hall",
        ),
    ],
)
def test_contact_lines_among_labelled_lines(lines, kept):
    parsed = parse(f"MEDIA ADVISORY\n\nMayor opens the new park\n\n{lines}\n")

    assert [(c.name, c.phone) for c in parsed.contacts] == [("Jane Roe", "+12025550143")]
    assert [str(p) for p in parsed.paragraphs] == [kept]


def test_a_detail_label_among_labelled_lines_is_no_contact_heading():
    parsed = parse("Mayor opens the new park\n\nWHEN: 10 a.m.\nOffice: 202-555-0143\n")

    assert parsed.contacts == []


def test_lower_case_contact_is_title_cased():
    parsed = layout("c2_lowercase_contact.txt")

    assert [(c.name, c.phone, c.email) for c in parsed.contacts] == [
        ("Paula Mendes", "+19515550128", "paula@riversidefoodbank.example.org")
    ]
    assert any("“paula mendes” written in lower case" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "tail, name",
    [
        ("contact: jane roe, 202-555-0143", "Jane Roe"),
        ("media contact:\nmaria de souza\n202-555-0143", "Maria de Souza"),
        ("CONTACT: sean o'brien, sean@example.org, 202-555-0143", "Sean O'Brien"),
    ],
)
def test_lower_case_names_under_a_heading(tail, name):
    parsed = parse(release(tail))

    assert [c.name for c in parsed.contacts] == [name]
    assert any("written in lower case" in w for w in parsed.warnings)


def test_lower_case_words_that_are_no_name_make_no_contact():
    parsed = parse(release("contact: email us, press@example.org"))

    assert [c.name for c in parsed.contacts] != ["Email Us"]
    assert not any("written in lower case" in w for w in parsed.warnings)


# -- 2. invented or wrong contacts and organizations -----------------------------------


@pytest.mark.parametrize("name", ["c2_reference_line.txt", "c2_reference_line_issued_on.txt"])
def test_a_reference_line_is_no_contact(name):
    parsed = layout(name)

    assert [c.name for c in parsed.contacts] == ["NEA Press Office"]
    assert not any("Press Release" in w and "contact" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "reference",
    ["Press Release (2025) 042", "News Release No. 25-0173", "Media Release 2025/118"],
)
def test_reference_lines_under_a_letterhead(reference):
    parsed = parse(
        f"NORTHFIELD PORT AUTHORITY\n{reference}\n\nPort opens new terminal\n\n"
        "The Northfield Port Authority opened its new terminal today.\n\nIt cost $40 million.\n"
    )

    assert parsed.contacts == []


def test_a_city_after_the_organization_is_its_location():
    parsed = layout("c2_location_after_org.txt")

    assert people(parsed) == [
        (
            "Luc Ferrand",
            "Communications Officer",
            "World Example Health Organization",
            "+41225550123",
            "ferrandl@weho.example.org",
        )
    ]
    assert names(parsed) == ["World Example Health Organization"]
    assert parsed.contacts[0].notes.splitlines()[0] == "Location: Geneva"


@pytest.mark.parametrize(
    "line, organization",
    [
        ("Jane Roe, Press Officer, Kestrel Robotics GmbH, Hamburg", "Kestrel Robotics GmbH"),
        (
            "Jane Roe, Head of Press, Northfield Port Authority, New Haven",
            "Northfield Port Authority",
        ),
        ("Jane Roe, Spokesperson, NPA, Brussels", "Northfield Port Authority"),
    ],
)
def test_places_after_organizations(line, organization):
    parsed = parse(
        release(
            f"Contact:\n{line}\n+1 202 555 0143",
            lead="The Northfield Port Authority (NPA) approved the plan on Tuesday.",
        )
    )

    assert [(c.name, c.organization) for c in parsed.contacts] == [("Jane Roe", organization)]
    assert parsed.contacts[0].notes == f"Location: {line.rsplit(', ', 1)[1]}"
    assert line.rsplit(", ", 1)[1] not in " ".join(names(parsed))


def test_a_pr_agency_speaks_for_the_issuer():
    parsed = layout("c2_pr_agency.txt")

    assert people(parsed) == [
        (
            "Tom Baker",
            "Account Director",
            "Bluefin PR",
            "+12065550177",
            "tom@bluefinpr.example.com",
        )
    ]
    assert names(parsed)[0] == "Harbourside Example Aquarium"
    assert "Bluefin PR" in names(parsed)


@pytest.mark.parametrize(
    "tail, agency",
    [
        (
            "For media enquiries please contact Harbour Communications Ltd:\nAnn Lee, Account "
            "Manager\nann@harbourcomms.example\n+1 206 555 0101",
            "Harbour Communications Ltd",
        ),
        (
            "For press inquiries contact Redwood PR: Ann Lee, Account Manager, +1 206 555 0101",
            "Redwood PR",
        ),
        (
            "For interview requests please contact Blue Door Agency:\nAnn Lee\n+1 206 555 0101",
            "Blue Door Agency",
        ),
    ],
)
def test_agencies_named_before_their_contact(tail, agency):
    parsed = parse(release(f"{tail}\n\nAbout Riverside Zoo\nRiverside Zoo is a zoo."))

    assert [(c.name, c.organization) for c in parsed.contacts] == [("Ann Lee", agency)]
    assert names(parsed)[0] == "Riverside Zoo"


def test_head_of_pr_is_a_role_not_an_agency():
    parsed = parse(release("Contact:\nJane Roe\nHead of PR\n+1 202 555 0143"))

    assert [(c.name, c.role) for c in parsed.contacts] == [("Jane Roe", "Head of PR")]


def test_a_contact_without_organization_does_not_get_one_named_in_passing():
    parsed = layout("c2_issuer_in_passing.txt")

    assert people(parsed) == [("Maria Delgado", "", "", "+15035550182", "")]
    assert names(parsed) == ["Office of Broadband Access"]
    assert any("no clear issuer" in w for w in parsed.warnings)
    assert not any("(503" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "lead, organization",
    [
        # In passing: none, with a warning.
        ("The mayor gave $2 million to the Riverside Arts Council (RAC) last year.", ""),
        ("Residents can ask the Northfield Water Authority (NWA) for a grant.", ""),
        # The issuer, clearly: it acts in the lead, or leads it.
        (
            "The Riverside Arts Council (RAC) announced a $2 million fund today.",
            "Riverside Arts Council",
        ),
        (
            "A new fund opens, the Riverside Arts Council (RAC) said on Tuesday.",
            "Riverside Arts Council",
        ),
    ],
)
def test_the_issuer_is_clear_or_none(lead, organization):
    parsed = parse(release("Contact: Jane Roe (202-555-0143)", lead=lead))

    assert [(c.name, c.organization) for c in parsed.contacts] == [("Jane Roe", organization)]
    assert any("no clear issuer" in w for w in parsed.warnings) == (not organization)


def test_a_letterhead_is_the_issuer_over_organizations_named_in_passing():
    parsed = parse(
        "Riverbend Borough Council\n\nPlan approved\n\n"
        "The mayor gave $2 million to the Riverside Arts Council (RAC) last year.\n\n"
        "It takes effect in May.\n\nContact: Jane Roe (202-555-0143)\n"
    )

    assert [(c.name, c.organization) for c in parsed.contacts] == [
        ("Jane Roe", "Riverbend Borough Council")
    ]


def test_an_organization_in_two_languages_is_one():
    parsed = layout("c2_two_language_org.txt")

    assert names(parsed) == ["City of Riverton"]
    assert [c.organization for c in parsed.contacts] == ["City of Riverton"]
    assert any("“Ville de Riverton”" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "first, other",
    [
        ("Ministry of Example Affairs", "Ministère des Affaires exemplaires"),
        ("Ville de Lac-Example", "City of Lake Example"),
        ("Example Health Agency", "Agence de la santé"),
    ],
)
def test_two_language_names(first, other):
    line = f"{first} / {other}"
    parsed = parse(release(f"Media contact:\nJane Roe\n{line}\n+1 202 555 0143"))

    assert [c.organization for c in parsed.contacts] == [first]
    assert first in names(parsed) and line not in names(parsed)
    assert any(f"“{other}”" in w for w in parsed.warnings)


def test_a_desk_in_parentheses_is_the_press_office():
    parsed = layout("c2_desk_in_parens.txt")

    assert [(c.name, c.phone, c.email) for c in parsed.contacts] == [
        ("Press office", "+15035550140", "press@governor.example.gov")
    ]


@pytest.mark.parametrize(
    "tail, name",
    [
        ("CONTACT: Press Office (202-555-0140) | press@example.gov", "Press office"),
        ("Contact: Media Relations Office, 202-555-0140", "Media relations office"),
        ("Media contact: Communications Team | press@example.gov", "Communications team"),
    ],
)
def test_desks_leading_their_details(tail, name):
    parsed = parse(release(tail))

    assert [c.name for c in parsed.contacts] == [name]
    assert not any("names no person" in w for w in parsed.warnings)


# -- 3. organization words ---------------------------------------------------------------


def test_a_hospital_that_leads_the_release_is_its_issuer():
    parsed = layout("c2_hospital.txt")

    assert names(parsed) == ["Westbrook Example Hospital"]
    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [
        ("Aaron Feld", "Media Relations", "Westbrook Example Hospital")
    ]
    assert any("“Westbrook Example Hospital” read as the issuer" in w for w in parsed.warnings)


def test_a_health_system_that_leads_the_release_is_its_issuer():
    parsed = layout("c2_health_system.txt")

    assert names(parsed) == ["Tidewater Example Health System"]
    assert [c.organization for c in parsed.contacts] == ["Tidewater Example Health System"]


@pytest.mark.parametrize(
    "organization",
    [
        "Mercy Example Health System",
        "Lakeview Unified School District",
        "St. Anne Medical Center",
        "Harbor Family Clinic",
        "Northside Community Hospital",
    ],
)
def test_organization_words_in_contact_blocks(organization):
    parsed = parse(
        release(f"Media contact:\nJane Roe\nPress Officer\n{organization}\n+1 202 555 0143")
    )

    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [
        ("Jane Roe", "Press Officer", organization)
    ]
    assert organization in names(parsed)


@pytest.mark.parametrize(
    "organization",
    ["Mercy Example Health System", "Lakeview Unified School District", "St. Anne Medical Center"],
)
def test_organization_words_in_about_lines_and_leads(organization):
    parsed = parse(
        f"New wing opens\n\n{organization} today opened a new wing.\n\nIt has 40 beds.\n\n"
        f"About {organization}\n{organization} serves 200,000 people.\n\n"
        "Contact: Jane Roe, 202-555-0143"
    )

    assert names(parsed) == [organization]
    assert [c.organization for c in parsed.contacts] == [organization]
    assert not any("read as the issuer" in w for w in parsed.warnings)
