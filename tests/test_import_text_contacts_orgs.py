"""The text importer's contacts and organizations on real layouts: contacts side by
side, "Org: Person, …" lines, organization lines that are no role, communications
units, organization names (initials, commas, lists, no organization word), "About X"
in every documented language, e-mail signatures, desk sentences and second numbers.

Each kind: the tester's release (tests/samples/text_layouts/co_*.txt) and two or more
written here (names and numbers invented)."""

from pathlib import Path

import pytest

from releases.importers.text import import_text_file, parse_text_release
from releases.models import Contact, Organization

LAYOUTS = Path(__file__).parent / "samples" / "text_layouts"
BODY = "The Northfield Port Authority (NPA) approved the plan on Tuesday after a consultation."


def parse(text: str, region: str | None = None):
    return parse_text_release(text, source="release.txt", region=region)


def layout(name: str, region: str | None = None):
    return parse((LAYOUTS / name).read_text(encoding="utf-8"), region)


def with_body(tail: str, region: str | None = None, body: str = BODY):
    return parse(f"Plan approved\n\n{body}\n\n{tail}", region)


def people(parsed) -> list[tuple[str, str, str, str, str]]:
    return [(c.name, c.role, c.organization, c.phone, c.email) for c in parsed.contacts]


def organizations(parsed) -> list[tuple[str, str]]:
    return [(o.name, o.short_name) for o in parsed.organizations]


# -- 1. contacts in columns ---------------------------------------------------------------


def test_contacts_side_by_side_are_one_contact_a_column():
    parsed = layout("co_two_columns.txt")

    assert people(parsed) == [
        ("Helen Ruiz", "", "Cityline Transit", "", "hruiz@cityline.example"),
        ("Jamal Greene", "", "Metro Riders Union", "", "jgreene@riders.example"),
    ]
    assert organizations(parsed) == [("Cityline Transit", ""), ("Metro Riders Union", "")]
    # Each number's warning names its own contact.
    assert any("(555) 555-0140" in w and "Helen Ruiz kept" in w for w in parsed.warnings)
    assert any("(555) 555-0150" in w and "Jamal Greene kept" in w for w in parsed.warnings)


def test_contacts_in_tab_separated_columns():
    parsed = with_body(
        "Media contacts:\nAnna Berg\tTom Lind\nHead of Press\tPress Officer\n"
        "Northfield Port Authority\tKestrel Robotics GmbH\n+44 20 7946 0321\t+49 30 555 0199\n"
        "anna@port.example\ttom@kestrel.example"
    )

    assert people(parsed) == [
        ("Anna Berg", "Head of Press", "Northfield Port Authority", "+442079460321",
         "anna@port.example"),
        ("Tom Lind", "Press Officer", "Kestrel Robotics GmbH", "+49305550199",
         "tom@kestrel.example"),
    ]  # fmt: skip


def test_three_contacts_in_space_aligned_columns_after_the_end_mark():
    parsed = with_body(
        "###\n\n"
        "Anna Berg            Tom Lind             Eva Holm\n"
        "Head of Press        Press Officer        Spokesperson\n"
        "+44 20 7946 0321     +44 20 7946 0322     +44 20 7946 0323\n"
        "anna@port.example    tom@port.example     eva@port.example"
    )

    assert [(c.name, c.role, c.phone, c.email) for c in parsed.contacts] == [
        ("Anna Berg", "Head of Press", "+442079460321", "anna@port.example"),
        ("Tom Lind", "Press Officer", "+442079460322", "tom@port.example"),
        ("Eva Holm", "Spokesperson", "+442079460323", "eva@port.example"),
    ]


# -- 2. "Org: Person, …" lines and group labels -------------------------------------------


def test_organization_label_leading_a_contact_line_is_its_organization():
    parsed = layout("co_org_labelled_lines.txt")

    assert people(parsed) == [
        ("Karin Sjöberg", "", "Baltic Ferries AB", "+46855501234", "press@balticferries.example"),
        ("Felix Hartmann", "", "Kestrel Marine Engineering GmbH", "+494315556789",
         "presse@kestrel-marine.example"),
    ]  # fmt: skip


def test_organization_labels_with_a_role_and_without_an_organization_word():
    parsed = with_body(
        "Press contacts:\n"
        "Harbour Logistics Ltd: Sam Vale, Press Officer, +44 20 7946 0321, sam@hl.example\n"
        "Northfield Port Authority: Ada Quill, +44 20 7946 0322, ada@npa.example"
    )

    assert people(parsed) == [
        ("Sam Vale", "Press Officer", "Harbour Logistics Ltd", "+442079460321", "sam@hl.example"),
        ("Ada Quill", "", "Northfield Port Authority", "+442079460322", "ada@npa.example"),
    ]


def test_group_labels_over_contacts_are_their_roles():
    parsed = layout("co_group_labels.txt")

    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [
        ("Grace Liu", "Media", "Halvorsen Biotech, Inc."),
        ("Mark Feeney", "Investors", "Halvorsen Biotech, Inc."),
    ]


def test_group_labels_leading_contact_lines_are_their_roles():
    parsed = with_body(
        "Contacts:\nMedia: Jane Roe, +1 202 555 0143, jane@port.example\n"
        "Investors: John Doe, Head of Investor Relations, +1 202 555 0144, ir@port.example"
    )

    assert [(c.name, c.role, c.organization, c.email) for c in parsed.contacts] == [
        ("Jane Roe", "Media", "Northfield Port Authority", "jane@port.example"),
        ("John Doe", "Head of Investor Relations (Investors)", "Northfield Port Authority",
         "ir@port.example"),
    ]  # fmt: skip


def test_a_label_that_names_no_person_is_still_no_contact():
    parsed = with_body(
        "Contacts:\nJane Roe, +32 2 555 0101\n"
        "General public inquiries: Europe Direct by phone 00 800 67 89 10 11 or by email"
    )

    assert [c.name for c in parsed.contacts] == ["Jane Roe"]


# -- 3. the organization line of a contact is no role -------------------------------------


def test_organization_on_the_contact_line_is_no_role():
    parsed = layout("co_org_on_contact_line.txt")

    assert people(parsed) == [
        ("Lena Vogt", "", "Nordlicht Stiftung", "+49305550199", "l.vogt@nordlicht.example")
    ]
    assert ("Nordlicht Stiftung", "") in organizations(parsed)


def test_organization_line_under_the_name_is_no_role():
    parsed = layout("co_org_line_crlf.txt", region="US")

    assert people(parsed) == [
        ("Kevin Doyle", "", "Greenfield Water Utility", "+15415550166;ext=12",
         "kdoyle@greenfieldwater.example")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("contact", "name", "role", "organization"),
    [
        ("Contact:\nMaria Lopez, Verein Stadtgrün e.V., +49 30 555 0199, maria@gruen.example",
         "Maria Lopez", "", "Verein Stadtgrün e.V."),
        ("Media contact:\nOla Nordmann\nFjordkraft ASA\n+47 22 55 01 23\nola@fjordkraft.example",
         "Ola Nordmann", "", "Fjordkraft ASA"),
        ("Contact: Anders Holm, Nordhavn Shipping A/S, Head of Press, +45 33 55 01 23",
         "Anders Holm", "Head of Press", "Nordhavn Shipping A/S"),
        ("Contact:\nPeter Klein, Example Holding SE, +49 30 555 0198",
         "Peter Klein", "", "Example Holding SE"),
        ("Contact:\nRosa Vidal, Editorial Norte S.L., +34 91 555 12 34",
         "Rosa Vidal", "", "Editorial Norte S.L."),
        ("Contact:\nJonas Weber, Example Bau KGaA, +49 30 555 0197",
         "Jonas Weber", "", "Example Bau KGaA"),
        # A line the text names ("Cityline Transit announced …") is an organization too.
        ("Media contact:\nHelen Ruiz\nCityline Transit\n+1 202 555 0140",
         "Helen Ruiz", "", "Cityline Transit"),
        # A job title stays a role.
        ("Contact: Jane Roe, Head of Media Relations, +1 202 555 0143",
         "Jane Roe", "Head of Media Relations", "Northfield Port Authority"),
    ],
)  # fmt: skip
def test_organization_words_and_legal_forms_on_contact_lines(contact, name, role, organization):
    body = f"{BODY} Cityline Transit announced the new timetable."
    parsed = with_body(contact, body=body)

    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [
        (name, role, organization)
    ]
    assert organization in [o.name for o in parsed.organizations]


# -- 4. a communications unit is the issuer's ----------------------------------------------


def test_department_line_is_a_unit_of_the_issuer_not_an_organization():
    parsed = layout("co_department.txt")

    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [
        ("Olivia Park", "Senior Communications Manager", "University of Westbrook")
    ]
    assert "University" not in [o.name for o in parsed.organizations]


@pytest.mark.parametrize(
    "unit",
    ["Office of Public Affairs", "Press Office", "Media Relations", "Communications Team",
     "Corporate Communications", "Authority Press Office"],
)  # fmt: skip
def test_department_lines_of_the_kind(unit):
    parsed = with_body(f"Media contact:\nJane Roe\n{unit}\n+1 202 555 0143\njane@npa.example")

    assert [(c.name, c.organization) for c in parsed.contacts] == [
        ("Jane Roe", "Northfield Port Authority")
    ]
    assert organizations(parsed) == [("Northfield Port Authority", "NPA")]


def test_a_named_press_office_is_still_its_organization():
    parsed = with_body(
        "Media contact:\nDana Whitfield\nHarbour Board Press Office\n+1 202 555 0147"
    )

    assert parsed.contacts[0].organization == "Harbour Board"


# -- 5. organization names ------------------------------------------------------------------


def test_initials_in_a_name_are_kept_and_its_boilerplate_found():
    parsed = layout("co_dotted_name.txt")

    issuer = parsed.organizations[0]
    assert (issuer.name, issuer.short_name) == ("U.S. Department of Example Affairs", "DEA")
    assert issuer.boilerplate.startswith("The U.S. Department of Example Affairs works")
    assert parsed.contacts[0].organization == "U.S. Department of Example Affairs"
    assert not any("dropped after the end mark" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It has a grant from the U.K. Space Example Agency (SEA) today.",
         [("U.K. Space Example Agency", "SEA")]),
        ("The St. Example Hospital Trust (SEHT) said so.",
         [("St. Example Hospital Trust", "SEHT")]),
        ("It is backed by the European Climate, Infrastructure and Environment Executive Agency "
         "(CINEA).",
         [("European Climate, Infrastructure and Environment Executive Agency", "CINEA")]),
        ("It is backed by the Ministry of Housing, Communities and Local Government (MHCLG).",
         [("Ministry of Housing, Communities and Local Government", "MHCLG")]),
        ("Acme Trust (AT), Beta Robotics GmbH (BRG) and the Harbour of Example Bay (HEB) signed.",
         [("Acme Trust", "AT"), ("Beta Robotics GmbH", "BRG"), ("Harbour of Example Bay", "HEB")]),
        ("The Harbour of Example Bay (HEB) and Beta Robotics GmbH (BRG) signed.",
         [("Harbour of Example Bay", "HEB"), ("Beta Robotics GmbH", "BRG")]),
        # A list of things that are no organizations stays none.
        ("Artificial Intelligence (AI) and the Connecting Europe Facility (CEF) help.", []),
        ("Partners from Germany, Sweden and the Climate Example Agency (CEA) met.",
         [("Climate Example Agency", "CEA")]),
    ],
)  # fmt: skip
def test_organization_names_with_initials_commas_and_lists(sentence, expected):
    parsed = parse(f"Plan approved\n\n{sentence}")

    assert organizations(parsed) == expected


def test_a_name_the_lead_presents_and_its_acronym_spells_is_an_organization():
    parsed = layout("co_presented_org.txt", region="GB")

    assert organizations(parsed) == [("FoodShare North", "FSN")]
    assert parsed.contacts[0].organization == "FoodShare North"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lessons start today, the nonprofit Bright Path Learning (BPL) said.",
         ("Bright Path Learning", "BPL")),
        ("Open Data Kiel (ODK) launched it. Open Data Kiel is a volunteer network of coders.",
         ("Open Data Kiel", "ODK")),
        ("It was built by ByteWorks Kiel (BWK) in a month.", ("ByteWorks Kiel", "BWK")),
    ],
)  # fmt: skip
def test_names_without_an_organization_word_presented_as_one(text, expected):
    parsed = parse(f"Plan approved\n\n{text}")

    assert organizations(parsed) == [expected]


def test_short_boilerplate_heading_takes_the_legal_form_the_text_gives():
    parsed = layout("co_group_labels.txt")

    assert [o.name for o in parsed.organizations] == ["Halvorsen Biotech, Inc."]
    assert parsed.organizations[0].boilerplate.startswith("Halvorsen Biotech, Inc. develops")


@pytest.mark.parametrize(
    ("text", "heading", "name"),
    [
        ("Kestrel Robotics GmbH opened a plant.", "About Kestrel Robotics",
         "Kestrel Robotics GmbH"),
        ("Nordhavn Shipping A/S ordered two ships.", "About Nordhavn Shipping",
         "Nordhavn Shipping A/S"),
        ("Fonderia Rossi S.p.A. opened a plant.", "About Fonderia Rossi", "Fonderia Rossi S.p.A."),
    ],
)  # fmt: skip
def test_boilerplate_heading_without_the_legal_form(text, heading, name):
    parsed = parse(f"Plan approved\n\n{text}\n\n{heading}\n{name} was founded in 1990.")

    assert [o.name for o in parsed.organizations] == [name]


# -- 6. "About X" in every documented language, with legal forms -------------------------


def test_spanish_boilerplate_with_its_legal_form():
    parsed = layout("co_spanish.txt")

    assert [o.name for o in parsed.organizations] == ["Editorial Alcázar S.L."]
    assert parsed.organizations[0].boilerplate.startswith("Editorial Alcázar S.L. publica")
    assert not any("Acerca" in p for p in parsed.paragraphs)


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("Acerca de Editorial Norte S.L.", "Editorial Norte S.L."),
        ("Sobre Editorial Norte S.A.", "Editorial Norte S.A."),
        ("À propos de Lumière Verte S.A.", "Lumière Verte S.A."),
        ("À propos d'Acme Énergie S.A.", "Acme Énergie S.A."),
        ("Über Kestrel Robotik GmbH", "Kestrel Robotik GmbH"),
        ("Über die Nordlicht Stiftung", "Nordlicht Stiftung"),
        ("Informazioni su Fonderia Rossi S.p.A.", "Fonderia Rossi S.p.A."),
        ("Chi è Fonderia Rossi S.p.A.", "Fonderia Rossi S.p.A."),
        ("Over Delta Water B.V.", "Delta Water B.V."),
        ("Over het Waterschap Delta B.V.", "Waterschap Delta B.V."),
    ],
)  # fmt: skip
def test_boilerplate_headings_in_other_languages_with_legal_forms(heading, name):
    parsed = parse(f"Plan approved\n\n{BODY}\n\n{heading}\n{name} makes things since 1987.")

    assert (name, f"{name} makes things since 1987.") in [
        (o.name, o.boilerplate) for o in parsed.organizations
    ]
    assert not any(heading in p for p in parsed.paragraphs)


# -- 7. e-mail signatures -------------------------------------------------------------------


def test_signature_block_at_the_end_is_a_contact_not_a_heading():
    parsed = layout("co_signature.txt", region="US")

    assert people(parsed) == [
        ("Megan O'Neill", "Communications Specialist", "Lakeside Community Clinic",
         "+12695550107;ext=231", "megan.oneill@lakesideclinic.example.org")
    ]  # fmt: skip
    assert not any("Megan" in p or "Communications Specialist" in p for p in parsed.paragraphs)
    assert any("(Cell), “269-555-0190”" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("Regards,\n\nSarah Khan\nSenior Press Officer\nNorthfield Port Authority\n"
         "Direct: +44 20 7946 0321\nMobile: +44 7700 900 456\nsarah.khan@npa.example",
         ("Sarah Khan", "Senior Press Officer", "Northfield Port Authority", "+442079460321",
          "sarah.khan@npa.example")),
        ("Thomas Becker\nPressesprecher\nKestrel Robotics GmbH\nTel.: +49 30 555 0199\n"
         "Mobil: +49 151 55501234\nt.becker@kestrel.example",
         ("Thomas Becker", "Pressesprecher", "Kestrel Robotics GmbH", "+49305550199",
          "t.becker@kestrel.example")),
    ],
)  # fmt: skip
def test_signature_blocks_of_the_kind(signature, expected):
    parsed = with_body(signature)

    assert people(parsed) == [expected]
    assert any("has another number (Mobil" in w for w in parsed.warnings)
    assert not any(expected[0] in p for p in parsed.paragraphs)


# -- 8. contact sentences naming a desk ------------------------------------------------------


def test_desk_sentence_after_the_end_mark_is_a_contact_out_of_the_body():
    parsed = layout("co_desk_sentence.txt", region="GB")

    assert [(c.name, c.email) for c in parsed.contacts] == [
        ("Press office", "press@riverbend.example.gov.uk")
    ]
    assert not any("media enquiries" in p for p in parsed.paragraphs)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Notes to editors\n\n1. The plan was approved in March.\n\nFor press enquiries, please "
         "contact the Communications Team on +44 20 7946 0999 or press@npa.example",
         ("Communications team", "+442079460999", "press@npa.example")),
        ("###\n\nFor media inquiries, contact our newsdesk at news@npa.example or "
         "+44 20 7946 0998.",
         ("Newsdesk", "+442079460998", "news@npa.example")),
        ("For media enquiries contact the council's media team on +44 20 7946 0997.",
         ("Media team", "+442079460997", "")),
    ],
)  # fmt: skip
def test_desk_sentences_of_the_kind(sentence, expected):
    parsed = with_body(sentence)

    assert [(c.name, c.phone, c.email) for c in parsed.contacts] == [expected]
    assert parsed.contacts[0].organization == "Northfield Port Authority"
    assert not any("enquiries" in p or "inquiries" in p for p in parsed.paragraphs)


# -- 9. more than one number ---------------------------------------------------------------


def test_two_numbers_on_one_line_keep_the_first_and_name_the_second():
    parsed = layout("co_presented_org.txt", region="GB")

    assert parsed.contacts[0].phone == "+441914960321"
    assert any("Tom Carver has another number, “07700 900 456”" in w for w in parsed.warnings)
    assert not any("not a valid phone number" in w for w in parsed.warnings)


def test_two_numbers_without_a_region_are_each_warned_never_as_a_pair():
    parsed = layout("co_presented_org.txt")

    assert any("“0191 496 0321” needs its country code" in w for w in parsed.warnings)
    # The second is the contact's other number, in its private notes as written.
    assert any("another number, “07700 900 456”: kept in the" in w for w in parsed.warnings)
    assert "0191 496 0321" in parsed.contacts[0].notes
    assert "07700 900 456" in parsed.contacts[0].notes
    assert not any("0321 / 07700" in w for w in parsed.warnings)


def test_a_second_labelled_number_is_named_in_a_warning():
    parsed = layout("co_two_numbers.txt")

    assert parsed.contacts[0].phone == "+16145550130;ext=4417"
    assert any(
        "Derek Hollis has another number (Mobile), “+1 (614) 555-0199”" in w
        for w in parsed.warnings
    )


@pytest.mark.parametrize(
    ("line", "phone", "other"),
    [
        ("Contact: Jane Roe, +44 20 7946 0321 / +44 7700 900 456, jane@npa.example",
         "+442079460321", ", “+44 7700 900 456”"),
        ("Contact: Jane Roe, T: +44 20 7946 0321, M: +44 7700 900 456", "+442079460321",
         " (M), “+44 7700 900 456”"),
        ("Contact:\nJane Roe\nOffice: +1 202 555 0143\nCell: +1 202 555 0199", "+12025550143",
         " (Cell), “+1 202 555 0199”"),
    ],
)  # fmt: skip
def test_second_numbers_of_the_kind(line, phone, other):
    parsed = with_body(line)

    assert parsed.contacts[0].phone == phone
    assert any(f"Jane Roe has another number{other}" in w for w in parsed.warnings)


def test_a_german_number_with_a_slash_is_one_number():
    parsed = with_body("Contact: Hans Meier, 030/555 0199, hans@npa.example", region="DE")

    assert parsed.contacts[0].phone == "+49305550199"
    assert not any("another number" in w for w in parsed.warnings)


# -- the draft --------------------------------------------------------------------------


@pytest.mark.django_db
def test_contacts_in_columns_are_written_with_their_own_organizations():
    import_text_file(LAYOUTS / "co_two_columns.txt")

    assert {(c.name, c.organization.name) for c in Contact.objects.all()} == {
        ("Helen Ruiz", "Cityline Transit"),
        ("Jamal Greene", "Metro Riders Union"),
    }
    assert set(Organization.objects.values_list("name", flat=True)) == {
        "Cityline Transit",
        "Metro Riders Union",
    }


def test_a_second_number_goes_to_the_contacts_private_notes(db, tmp_path):
    from releases.importers.text import import_text_file
    from releases.models import Contact

    path = tmp_path / "release.txt"
    path.write_text(
        "Clinic extends evening hours\n\nThe clinic stays open until 8 p.m. from Monday.\n\n"
        "###\n\nMedia contact:\nDerek Hollis\nOffice: +1 614 555 0142\nMobile: +1 (614) 555-0199\n"
        "derek@clinic.example\n",
        encoding="utf-8",
    )

    import_text_file(path)

    contact = Contact.objects.get(name="Derek Hollis")
    assert contact.phone == "+16145550142"
    assert contact.notes == "Mobile: +1 (614) 555-0199"
