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


# -- other languages' layouts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "headline", "dateline", "contact", "boilerplate"),
    [
        ("fr_communique.txt", "Kestrel Robotics ouvre un centre de recherche à Lyon", "Paris",
         "Claire Dubois", "Kestrel Robotics GmbH conçoit des robots pour la logistique."),
        ("de_pressemitteilung.txt", "Kestrel Robotics eröffnet Forschungszentrum in Leipzig",
         "Berlin", "Jonas Feldmeier", "Kestrel Robotics GmbH baut Roboter für die Logistik."),
    ],
)  # fmt: skip
def test_french_and_german_layouts(name, headline, dateline, contact, boilerplate):
    parsed = parse((LAYOUTS / name).read_text(encoding="utf-8"))

    assert parsed.headline == headline
    assert (parsed.dateline, parsed.dated) == (dateline, date(2025, 2, 12))
    assert [(c.name, c.organization) for c in parsed.contacts] == [
        (contact, "Kestrel Robotics GmbH")
    ]
    assert [(o.name, o.boilerplate) for o in parsed.organizations] == [
        ("Kestrel Robotics GmbH", boilerplate)
    ]
    assert len(parsed.paragraphs) == 2


@pytest.mark.parametrize(
    "label",
    ["Communiqué de presse", "COMMUNIQUÉ DE PRESSE", "Pressemitteilung", "Presseinformation",
     "Comunicado de prensa", "Nota de prensa", "Comunicato stampa", "Persbericht"],
)  # fmt: skip
def test_release_labels_in_other_languages_are_no_headline(label):
    parsed = parse(f"{label}\n\nLa ville ouvre une bibliothèque\n\n{BODY}\n")

    assert parsed.headline == "La ville ouvre une bibliothèque"


@pytest.mark.parametrize(
    ("opening", "dateline", "dated"),
    [
        ("Paris, le 12 février 2025 –", "Paris", date(2025, 2, 12)),
        ("Lyon, le 1er mars 2025 -", "Lyon", date(2025, 3, 1)),
        ("Berlin, 12. Februar 2025 –", "Berlin", date(2025, 2, 12)),
        ("München, den 3. März 2025 –", "München", date(2025, 3, 3)),
        ("Madrid, 12 de febrero de 2025 –", "Madrid", date(2025, 2, 12)),
        ("Roma, 12 febbraio 2025 –", "Roma", date(2025, 2, 12)),
        ("Amsterdam, 12 februari 2025 –", "Amsterdam", date(2025, 2, 12)),
        ("Bruxelles, jeudi 17 avril 2025 –", "Bruxelles", date(2025, 4, 17)),
        ("Wien, Donnerstag, 17. April 2025 –", "Wien", date(2025, 4, 17)),
    ],
)
def test_datelines_in_other_languages(opening, dateline, dated):
    parsed = parse(f"HEADLINE\n\n{opening} {BODY}\n\nIt has 40,000 books.\n")

    assert (parsed.dateline, parsed.dated) == (dateline, dated)
    assert parsed.paragraphs[0] == BODY


@pytest.mark.parametrize(
    "line",
    ["Paris, le 12 février 2025", "Berlin, 12. Februar 2025", "Madrid, 12 de febrero de 2025",
     "Milano, 12 febbraio 2025", "Den Haag, 12 februari 2025"],
)  # fmt: skip
def test_dateline_of_its_own_above_the_headline_in_other_languages(line):
    parsed = parse(f"Communiqué de presse\n\n{line}\n\nLa ville ouvre une bibliothèque\n\n{BODY}\n")

    assert parsed.headline == "La ville ouvre une bibliothèque"
    assert parsed.dateline == line.split(",")[0]
    assert parsed.dated == date(2025, 2, 12)


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("À propos de Kestrel Robotics GmbH", "Kestrel Robotics GmbH"),
        ("A propos de la Fondation Harbour", "Fondation Harbour"),
        ("À propos d’Harbour Logistics Ltd", "Harbour Logistics Ltd"),
        ("Über Kestrel Robotics GmbH", "Kestrel Robotics GmbH"),
        ("Über die Kestrel Robotics GmbH", "Kestrel Robotics GmbH"),
        ("Acerca de Harbour Logistics S.A.", "Harbour Logistics S.A."),
        ("Informazioni su Harbour Logistics S.p.A.", "Harbour Logistics S.p.A."),
    ],
)
def test_boilerplates_in_other_languages(heading, name):
    parsed = parse(f"HEADLINE\n\n{BODY}\n\n{heading}\nIt makes robots.\n")

    assert [(o.name, o.boilerplate) for o in parsed.organizations] == [(name, "It makes robots.")]
    assert parsed.paragraphs == [BODY]


@pytest.mark.parametrize(
    "label",
    ["Contact presse :", "Contacts presse :", "Relations presse :", "Pressekontakt:",
     "Medienkontakt:", "Contacto de prensa:", "Contactos de prensa:", "Contatti stampa:",
     "Ufficio stampa:", "Perscontact:"],
)  # fmt: skip
def test_contact_labels_in_other_languages(label):
    block = f"{label}\nClaire Dubois\n+33 1 55 55 01 23\nclaire.dubois@kestrel.example"
    parsed = parse(f"HEADLINE\n\n{BODY}\n\n{block}\n")

    assert [(c.name, c.email) for c in parsed.contacts] == [
        ("Claire Dubois", "claire.dubois@kestrel.example")
    ]
    assert parsed.paragraphs == [BODY]


# -- a contact block with the organization above the person -------------------------------


def press_contact(*lines: str, body: str = BODY) -> list:
    block = "\n".join(["Press contact:", *lines, "+49 30 5555 0123", "jonas@kestrel.example"])
    return parse(f"HEADLINE\n\n{body}\n\n{block}\n").contacts


@pytest.mark.parametrize(
    ("lines", "organization"),
    [
        (["Kestrel Robotics GmbH", "Jonas Feldmeier", "Head of Communications"],
         "Kestrel Robotics GmbH"),
        (["Harbour Logistics Ltd", "Jonas Feldmeier", "Head of Communications"],
         "Harbour Logistics Ltd"),
        (["Northfield Port Authority Press Office", "Jonas Feldmeier", "Head of Communications"],
         "Northfield Port Authority"),
        (["Acme S.A.", "Jonas Feldmeier", "Head of Communications"], "Acme S.A."),
    ],
)  # fmt: skip
def test_organization_line_above_the_person(lines, organization):
    contacts = press_contact(*lines)

    assert [(c.name, c.role, c.organization) for c in contacts] == [
        ("Jonas Feldmeier", "Head of Communications", organization)
    ]


def test_organization_line_above_the_person_known_from_the_release():
    block = "Press contact:\nKestrel Robotics\nJonas Feldmeier\nHead of Communications\n"
    about = "About Kestrel Robotics\nKestrel Robotics builds warehouse robots."
    parsed = parse(f"HEADLINE\n\n{BODY}\n\n{block}jonas@kestrel.example\n\n{about}\n")

    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [
        ("Jonas Feldmeier", "Head of Communications", "Kestrel Robotics")
    ]
    assert [o.name for o in parsed.organizations] == ["Kestrel Robotics"]


def test_person_above_role_and_organization_is_unchanged():
    contacts = press_contact("Jonas Feldmeier", "Head of Communications", "Kestrel Robotics GmbH")

    assert [(c.name, c.role, c.organization) for c in contacts] == [
        ("Jonas Feldmeier", "Head of Communications", "Kestrel Robotics GmbH")
    ]


# -- a comma before the legal form -------------------------------------------------------


def test_wire_release_with_a_comma_before_the_legal_form():
    parsed = parse((LAYOUTS / "wire_source.txt").read_text(encoding="utf-8"), region="US")

    issuer = "Brightwater Analytics, Inc."
    assert [(o.name, o.boilerplate) for o in parsed.organizations] == [
        (issuer, "Brightwater Analytics, Inc. builds forecasting software for ports.")
    ]
    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [("Jane Roe", "", issuer)]
    assert parsed.paragraphs[-1] == "The service covers 40 ports."


@pytest.mark.parametrize(
    "name", ["Brightwater Analytics, Inc.", "Brightwater Analytics, LLC", "Brightwater, Ltd.",
             "Brightwater Analítica, S.A.", "Brightwater Analytics, Inc"],
)  # fmt: skip
@pytest.mark.parametrize("end_mark", ["", "###\n\n"])
def test_boilerplate_of_a_name_with_a_comma_before_its_legal_form(name, end_mark):
    text = f"HEADLINE\n\n{BODY}\n\n{end_mark}About {name}\n{name} builds forecasting software.\n"
    parsed = parse(text)

    assert [(o.name, o.boilerplate) for o in parsed.organizations] == [
        (name, f"{name} builds forecasting software.")
    ]
    assert parsed.paragraphs == [BODY]


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("Jane Roe, Brightwater Analytics, Inc.", ""),
        ("Jane Roe, Head of Communications, Brightwater Analytics, Inc.",
         "Head of Communications"),
        ("Jane Roe | Press Officer | Brightwater Analytics, Inc.", "Press Officer"),
    ],
)  # fmt: skip
def test_contact_line_with_a_comma_before_the_legal_form(line, role):
    block = f"Media contact:\n{line}\n+1 617 555 0143\njane@brightwater.example"
    parsed = parse(f"HEADLINE\n\n{BODY}\n\n{block}\n", region="US")

    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [
        ("Jane Roe", role, "Brightwater Analytics, Inc.")
    ]
    assert [o.name for o in parsed.organizations] == ["Brightwater Analytics, Inc."]


def test_acronym_after_a_name_with_a_comma_before_its_legal_form():
    parsed = parse(f"HEADLINE\n\nBrightwater Analytics, Inc. (BWA) today opened. {BODY}\n")

    assert [(o.name, o.short_name) for o in parsed.organizations] == [
        ("Brightwater Analytics, Inc.", "BWA")
    ]


@pytest.mark.parametrize("end_mark", ["", "###\n\n"])
def test_wire_source_line_names_the_issuer_when_no_other_does(end_mark):
    parsed = parse(f"HEADLINE\n\n{BODY}\n\n{end_mark}SOURCE Brightwater Analytics, Inc.\n")

    assert [o.name for o in parsed.organizations] == ["Brightwater Analytics, Inc."]
    assert parsed.paragraphs == [BODY]
    assert not any("SOURCE" in w for w in parsed.warnings)


def test_wire_source_line_after_a_letterhead_is_dropped_and_not_the_issuer():
    text = f"Harbour Board - Press release\n\nHEADLINE\n\n{BODY}\n\nSOURCE Acme Wire Desk\n"
    parsed = parse(text)

    assert [o.name for o in parsed.organizations] == ["Harbour Board"]
    assert parsed.paragraphs == [BODY]
