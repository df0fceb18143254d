"""The text importer's front matter and end matter, each rule tested on its kind: the
issuer's letterhead, foreign embargo lines, advisory labels and forwarded e-mail
headers, date lines under the headline, variant end marks, notes to editors about an
organization, mailing-list copyright lines, an embargo's day as the release's date, the
release's language, and a file sent again under another name.

Samples under tests/samples/text_layouts/fm_* (names and numbers invented; the ones
named after a layout were written by the project's tester)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from releases.importers.text import import_text_file, parse_text_release
from releases.models import Release

LAYOUTS = Path(__file__).parent / "samples" / "text_layouts"

BODY = (
    "SPRINGFIELD – The city will open a new library on Monday.\n\n"
    "It has 40,000 books and a children's room.\n"
)


def parse(text: str):
    return parse_text_release(text, source="test.txt")


def sample(name: str):
    return parse((LAYOUTS / name).read_text(encoding="utf-8-sig"))


# Rule *letterhead*


@pytest.mark.parametrize(
    ("name", "issuer", "headline", "dated"),
    [
        (
            "fm_us_agency_news_release.txt",
            "U.S. Department of Example Affairs",
            "Department Announces $40 Million for Rural Water Systems",
            date(2025, 4, 8),
        ),
        (
            "fm_uk_council_ends.txt",
            "Riverbend Borough Council",
            "Council agrees plan to plant 10,000 trees",
            date(2025, 3, 12),
        ),
        (
            "fm_embargo_cet.txt",
            "Nordlicht Stiftung",
            "Study finds one in four teenagers sleeps less than six hours",
            date(2025, 3, 20),
        ),
        (
            "fm_university_news.txt",
            "University of Westbrook",
            "Westbrook researchers map the genome of a rare desert orchid",
            date(2025, 3, 11),
        ),
        (
            "fm_mailing_footer.txt",
            "Township of Maple Ridge",
            "Maple Ridge opens new skate park on Saturday",
            None,
        ),
        (
            "fm_advisory_release_line_with_ref.txt",
            "National Agency for Example Safety",
            "NAES RECALLS 1.2 MILLION PORTABLE HEATERS OVER FIRE RISK",
            date(2025, 4, 17),
        ),
        (
            "fm_subhead_and_headings.txt",
            "Northgate Library Service",
            "NORTHGATE LIBRARIES TO STAY OPEN LATE DURING EXAM SEASON",
            date(2025, 4, 28),
        ),
        (
            "fm_letterhead_trust.txt",
            "Greenfield Water Trust",
            "Reservoir levels back to normal after wet spring",
            date(2025, 6, 4),
        ),
        (
            "fm_letterhead_ministry_caps.txt",
            "Ministry of Example Transport",
            "Night trains return on the coastal line",
            date(2025, 7, 2),
        ),
        (
            "fm_letterhead_ltd_headline_block.txt",
            "Harbourside Ferries Ltd",
            "Harbourside opens a second route to the islands",
            None,
        ),
    ],
)
def test_letterhead_is_the_issuer_not_the_headline(name, issuer, headline, dated):
    parsed = sample(name)
    assert parsed.headline == headline
    assert parsed.organizations[0].name == issuer
    assert parsed.dated == dated
    for unit in ("Office of Public Affairs", "Press Office", "Communications"):
        assert unit not in (parsed.subheadline, *parsed.paragraphs)
    assert any("read as the issuer's letterhead" in w for w in parsed.warnings)


def test_letterhead_units_and_date_lines_make_no_dek():
    assert sample("fm_us_agency_news_release.txt").subheadline == (
        "Grants will reach 112 communities in 18 states"
    )
    assert sample("fm_uk_council_ends.txt").subheadline == ""
    assert sample("fm_letterhead_ltd_headline_block.txt").subheadline == (
        "Crossings start on 1 August"
    )


@pytest.mark.parametrize(
    "headline",
    [
        "City opens new library",
        "CITY COUNCIL APPROVES BUDGET",
        "Springfield Public Library",  # an organization's name, but nothing follows it
        "Council agrees budget for 2026",
    ],
)
def test_a_short_real_headline_stays_the_headline(headline):
    parsed = parse(f"{headline}\n\n{BODY}")
    assert parsed.headline == headline


def test_an_organization_headline_over_its_dek_and_body_stays_with_a_verb():
    parsed = parse(f"Greenfield Trust buys the old mill\n\nWork starts in June\n\n{BODY}")
    assert parsed.headline == "Greenfield Trust buys the old mill"
    assert parsed.subheadline == "Work starts in June"


@pytest.mark.parametrize(
    ("line", "dated"),
    [
        ("Issued: 12 March 2025", date(2025, 3, 12)),
        ("Date: 3 April 2025", date(2025, 4, 3)),
        ("Released: May 6, 2025", date(2025, 5, 6)),
    ],
)
def test_a_date_line_under_the_headline_is_the_date_not_the_dek(line, dated):
    for text in (
        f"City opens new library\n{line}\n\n{BODY}",
        f"City opens library\n\n{line}\n\n{BODY}",
    ):
        parsed = parse(text)
        assert parsed.subheadline == ""
        assert parsed.dated == dated
        assert line not in parsed.paragraphs


# Rule *embargo* in other languages


@pytest.mark.parametrize(
    ("line", "instant"),
    [
        ("Sperrfrist: 12. März 2025, 10:00 Uhr MEZ", datetime(2025, 3, 12, 9, 0, tzinfo=UTC)),
        ("Sperrfrist bis 3. Juli 2025, 9 Uhr MESZ", datetime(2025, 7, 3, 7, 0, tzinfo=UTC)),
        (
            "SPERRFRIST: Donnerstag, 5. Juni 2025, 00:01 Uhr MESZ",
            datetime(2025, 6, 4, 22, 1, tzinfo=UTC),
        ),
        ("Embargo jusqu'au 12 mars 2025 à 10h00 CET", datetime(2025, 3, 12, 9, 0, tzinfo=UTC)),
        (
            "Sous embargo jusqu'au jeudi 5 juin 2025, 8h30 HAEC",
            datetime(2025, 6, 5, 6, 30, tzinfo=UTC),
        ),
        (
            "Embargo hasta el 12 de marzo de 2025 a las 10:00 CET",
            datetime(2025, 3, 12, 9, 0, tzinfo=UTC),
        ),
    ],
)
def test_foreign_embargo_lines_are_the_embargo_never_the_headline(line, instant):
    parsed = parse(f"{line}\n\nStadt eröffnet neue Bibliothek\n\n{BODY}")
    assert parsed.headline == "Stadt eröffnet neue Bibliothek"
    assert parsed.embargoed_until == instant


def test_sperrfrist_sample():
    parsed = sample("fm_sperrfrist_mez.txt")
    assert parsed.headline == "Stadtwerke Elbhafen AG senken Strompreise zum 1. April"
    assert parsed.embargoed_until == datetime(2025, 3, 12, 9, 0, tzinfo=UTC)


# Rule *artefacts*: advisory labels; rule *mail headers*


@pytest.mark.parametrize(
    "label", ["For Planning Purposes Only", "Photo opportunity", "MEDIA AVAILABILITY"]
)
def test_advisory_labels_are_no_headline(label):
    parsed = parse(f"MEDIA ADVISORY\n{label}\n\nMAYOR TO OPEN LIBRARY\n\n{BODY}")
    assert parsed.headline == "MAYOR TO OPEN LIBRARY"


def test_planning_label_sample():
    assert sample("fm_media_advisory.txt").headline == (
        "GOVERNOR TO DEDICATE NEW STATE PARK NEAR CEDAR FALLS"
    )


def test_forwarded_mail_headers_are_dropped_and_give_the_date():
    parsed = sample("fm_outlook_signature_contacts.txt")
    assert parsed.headline == "Lakeside Clinic expands evening hours"
    assert parsed.dated == date(2025, 3, 3)
    assert not any("Subject:" in p or "Sent:" in p for p in parsed.paragraphs)


@pytest.mark.parametrize(
    ("headers", "headline"),
    [
        (
            "From: Press Office <press@city.example>\nSent: Tuesday, 4 March 2025 10:02\n"
            "To: Newsdesk\nSubject: PRESS RELEASE: City opens new library",
            "City opens new library",
        ),
        (
            "---------- Forwarded message ---------\nFrom: Jane Roe <jane@city.example>\n"
            "Date: Wed, 5 Mar 2025 at 09:00\nSubject: Fwd: News release: Library opens on Monday\n"
            "To: desk@paper.example",
            "Library opens on Monday",
        ),
        (
            "From: Communications\nTo: Media list\nCc: Mayor's office\n"
            "Subject: RE: Library opening",
            "Library opening",
        ),
    ],
)
def test_the_subject_is_the_headline_when_no_line_reads_as_one(headers, headline):
    parsed = parse(f"{headers}\n\n{BODY}")
    assert parsed.headline == headline
    assert parsed.paragraphs[0] == "The city will open a new library on Monday."


def test_a_headline_under_mail_headers_wins_over_the_subject():
    parsed = parse(
        "From: Press Office\nSubject: PRESS RELEASE: Library news\n\n"
        f"City opens new library\n\n{BODY}"
    )
    assert parsed.headline == "City opens new library"


# Rule *dateline*: a date line with no trailing dash


@pytest.mark.parametrize(
    ("line", "place", "dated"),
    [
        ("Washington, DC – March 27, 2025", "Washington, DC", date(2025, 3, 27)),
        ("Austin, Texas — April 2, 2025", "Austin, Texas", date(2025, 4, 2)),
        ("LONDON - 3 June 2025", "LONDON", date(2025, 6, 3)),
    ],
)
def test_a_dateline_line_under_the_headline_is_no_dek(line, place, dated):
    for text in (
        f"City opens new library\n\n{line}\n\nThe city opened it today.\n\nIt has books.\n",
        f"City opens new library\n{line}\n\nThe city opened it today.\n\nIt has books.\n",
        f"{line}\n\nCity opens new library\n\nThe city opened it today.\n\nIt has books.\n",
    ):
        parsed = parse(text)
        assert (parsed.headline, parsed.subheadline) == ("City opens new library", "")
        assert (parsed.dateline, parsed.dated) == (place, dated)
        assert parsed.paragraphs[0] == "The city opened it today."


def test_statement_sample_dateline():
    parsed = sample("fm_ngo_statement.txt")
    assert parsed.subheadline == ""
    assert (parsed.dateline, parsed.dated) == ("Washington, DC", date(2025, 3, 27))


# Rule *end mark*


@pytest.mark.parametrize(
    "mark", ["-###-", "# # #", "- 30 -", "–30–", "-ENDS-", "— ENDS —", "[ENDS]", "(END)", "***"]
)
def test_variant_end_marks(mark):
    parsed = parse(
        f"City opens new library\n\n{BODY}\n{mark}\n\nSign up for our newsletter at city.example\n"
    )
    assert mark not in parsed.paragraphs
    assert parsed.paragraphs[-1] == "It has 40,000 books and a children's room."
    assert any("dropped after the end mark" in w for w in parsed.warnings)


def test_stars_between_sections_are_a_break_when_another_end_mark_follows():
    parsed = parse(f"City opens new library\n\n{BODY}\n***\n\nThe mayor will speak.\n\n###\n")
    assert parsed.paragraphs[-1] == "The mayor will speak."
    assert "***" not in parsed.paragraphs


# Rule *unlabelled boilerplate* and the author


@pytest.mark.parametrize(
    ("tail", "organization"),
    [
        (
            "-ENDS-\n\nNotes to editors\n\nFoodShare North is a registered charity supporting "
            "45 food banks.\n",
            "FoodShare North",
        ),
        (
            "###\n\nNotes to Editors:\n\nHarbour Rowing Club is a volunteer-run club founded "
            "in 1890.\n",
            "Harbour Rowing Club",
        ),
        (
            "-###-\n\nClearwater Alliance is a nonpartisan nonprofit that protects rivers.\n",
            "Clearwater Alliance",
        ),
    ],
)
def test_a_paragraph_about_an_organization_is_its_boilerplate_never_an_author(tail, organization):
    parsed = parse(f"City opens new library\n\n{BODY}\n{tail}")
    assert parsed.author_name == ""
    assert [
        o.boilerplate[: len(organization)] for o in parsed.organizations if o.name == organization
    ] == [organization]
    assert not any(str(p).lower().startswith("notes to editors") for p in parsed.paragraphs)


def test_notes_sample_has_no_author_and_no_empty_heading():
    parsed = sample("fm_embargo_bst.txt")
    assert parsed.author_name == ""
    assert parsed.organizations[0].name == "FoodShare North"
    assert parsed.organizations[0].boilerplate.startswith("FoodShare North is a registered")
    assert "Notes to editors" not in parsed.paragraphs


def test_a_person_is_still_the_author():
    parsed = parse(
        f"City opens new library\n\n{BODY}\nPriya Natarajan is a reporter at the university "
        "who covers transport.\n"
    )
    assert parsed.author_name == "Priya Natarajan"


# Rule *mailing-list footers*: the copyright line


@pytest.mark.parametrize(
    "line",
    [
        "Copyright © 2025 Township of Maple Ridge, All rights reserved.",
        "© 2025 Greenfield Water Trust. All rights reserved.",
        "Copyright (C) 2025 Harbour Board. All rights reserved.",
    ],
)
def test_a_copyright_line_is_a_footer_dropped_with_a_warning(line):
    parsed = parse(f"City opens new library\n\n{BODY}\n{line}\n")
    assert all(line not in p for p in parsed.paragraphs)
    assert any("mailing-list footer" in w and line[:20] in w for w in parsed.warnings)


def test_copyright_sample():
    parsed = sample("fm_mailing_footer.txt")
    assert all("Copyright" not in p for p in parsed.paragraphs)


def test_a_sentence_about_copyright_stays_text():
    parsed = parse(f"City opens new library\n\n{BODY}\nCopyright law changed in 2025.\n")
    assert parsed.paragraphs[-1] == "Copyright law changed in 2025."


# Rule *embargo*: its day is the release's date


@pytest.mark.parametrize(
    ("line", "dated"),
    [
        ("EMBARGOED FOR RELEASE UNTIL 12:01 A.M. EDT, WEDNESDAY, JUNE 4, 2025", date(2025, 6, 4)),
        ("Embargoed until 00:01 BST Thursday 15 May 2025", date(2025, 5, 15)),
        ("Sperrfrist: 12. März 2025, 00:30 Uhr MEZ", date(2025, 3, 12)),
    ],
)
def test_the_embargo_day_is_the_release_date_when_none_is_written(line, dated):
    parsed = parse(f"{line}\n\nCity opens new library\n\n{BODY}")
    assert parsed.dated == dated


def test_a_written_date_wins_over_the_embargo_day():
    parsed = parse(
        "Embargoed until 00:01 BST Thursday 15 May 2025\n\nCity opens new library\n\n"
        "LONDON, 14 May 2025 – The city will open a library.\n\nIt has books.\n"
    )
    assert parsed.dated == date(2025, 5, 14)


def test_embargo_day_sample():
    assert sample("fm_embargo_edt_release_time.txt").dated == date(2025, 6, 4)


# Rule *language*


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("fm_german_gmbh.txt", "de"),
        ("fm_sperrfrist_mez.txt", "de"),
        ("fm_french_sa.txt", "fr"),
        ("fm_spanish.txt", "es"),
        ("fm_us_agency_news_release.txt", "en"),
    ],
)
def test_the_language_is_read_from_the_text(name, language):
    assert sample(name).language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Il comune apre una nuova biblioteca\n\nROMA – Il comune di Roma apre la nuova "
            "biblioteca nel centro della città. Sono disponibili 40.000 libri per i lettori e "
            "una sala per i bambini.\n\nLa biblioteca sarà aperta con orari estesi.\n",
            "it",
        ),
        (
            "Gemeente opent nieuwe bibliotheek\n\nUTRECHT – De gemeente opent een nieuwe "
            "bibliotheek in het centrum. Het gebouw is ook open voor scholen en wordt "
            "maandag geopend.\n\nDe bibliotheek heeft 40.000 boeken.\n",
            "nl",
        ),
        ("Stadt\n\nBERLIN – Neu.\n\nMehr.\n", ""),  # too few words: the site's language
    ],
)
def test_italian_dutch_and_too_short_texts(text, language):
    assert parse(text).language == language


@pytest.mark.django_db
def test_the_draft_takes_the_language_or_the_sites(tmp_path, settings):
    settings.LANGUAGE_CODE = "en-gb"
    german = tmp_path / "de.txt"
    german.write_bytes((LAYOUTS / "fm_sperrfrist_mez.txt").read_bytes())
    short = tmp_path / "short.txt"
    short.write_text("Stadt\n\nBERLIN – Neu.\n\nMehr.\n", encoding="utf-8")
    assert import_text_file(german).created[0].language == "de"
    import_text_file(short)
    assert Release.objects.get(headline="Stadt").language == "en-gb"


# Rule *sent again*

KITE = (
    "Kite festival returns to the beach\n\n"
    "SEAFORD, 7 June 2025 – The kite festival returns to Seaford beach on 14 June.\n\n"
    "More than 300 kites are expected.\n"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "again",
    [
        KITE.encode("utf-8"),  # the same bytes, renamed
        KITE.replace("\n", "\r\n").encode("utf-8"),  # saved again on Windows
        b"\xef\xbb\xbf" + KITE.encode("utf-8"),  # with a byte-order mark
    ],
)
def test_the_same_text_under_another_name_is_the_same_release(tmp_path, again):
    (tmp_path / "kite.txt").write_text(KITE, encoding="utf-8")
    (tmp_path / "kite-final.txt").write_bytes(again)
    first = import_text_file(tmp_path / "kite.txt").created[0]
    result = import_text_file(tmp_path / "kite-final.txt")
    assert (result.created, result.updated, result.unchanged) == ([], [], [first])
    assert any("the same text as" in w and "kite.txt" in w for w in result.warnings)
    assert Release.objects.get().import_source.endswith("/kite.txt")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "corrected",
    [
        KITE.replace("300 kites", "350 kites"),
        KITE + "\nEntry is free.\n",
        KITE.replace("14 June", "15 June"),
    ],
)
def test_a_corrected_file_with_the_same_headline_and_date_updates_the_draft(tmp_path, corrected):
    (tmp_path / "kite.txt").write_text(KITE, encoding="utf-8")
    (tmp_path / "kite-final.txt").write_text(corrected, encoding="utf-8")
    first = import_text_file(tmp_path / "kite.txt").created[0]
    result = import_text_file(tmp_path / "kite-final.txt")
    assert result.updated == [first]
    release = Release.objects.get()
    assert release.import_source.endswith("/kite-final.txt")
    assert any("same headline and date" in w for w in release.import_warnings)
    assert import_text_file(tmp_path / "kite-final.txt").unchanged == [release]


@pytest.mark.django_db
def test_a_corrected_file_leaves_an_edited_draft_alone_and_makes_a_new_one(
    tmp_path, django_user_model
):
    (tmp_path / "kite.txt").write_text(KITE, encoding="utf-8")
    (tmp_path / "kite-final.txt").write_text(KITE + "\nEntry is free.\n", encoding="utf-8")
    first = import_text_file(tmp_path / "kite.txt").created[0]
    first.updated_by = django_user_model.objects.create(username="editor")
    first.save()
    assert import_text_file(tmp_path / "kite-final.txt").created
    assert Release.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "other",
    [
        KITE.replace("7 June 2025", "8 June 2026"),  # another day: another release
        KITE.replace("SEAFORD, 7 June 2025 – ", "SEAFORD – "),  # no date: never by headline
    ],
)
def test_the_same_headline_on_another_day_is_another_release(tmp_path, other):
    (tmp_path / "kite.txt").write_text(KITE, encoding="utf-8")
    (tmp_path / "kite-2026.txt").write_text(other, encoding="utf-8")
    import_text_file(tmp_path / "kite.txt")
    assert import_text_file(tmp_path / "kite-2026.txt").created
    assert Release.objects.count() == 2


@pytest.mark.parametrize(
    "headline",
    [
        "City Opens New Library",
        "Riverside Council Approves Budget",
        "State Museum Unveils Restored Mural",
        "Harbour Board Named Best Port Authority",
    ],
)
def test_a_title_case_headline_ending_in_an_organization_word_is_no_letterhead(headline):
    text = (
        f"{headline}\n\nForty thousand books on three floors\n\n"
        "SPRINGFIELD, Ill. (March 3, 2025) – The city opened its new library on Monday.\n\n"
        "The building cost $12 million.\n"
    )

    parsed = parse_text_release(text, source="release.txt")

    assert parsed.headline == headline
    assert parsed.subheadline == "Forty thousand books on three floors"
    assert headline not in [o.name for o in parsed.organizations]
