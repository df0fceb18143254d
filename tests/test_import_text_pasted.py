"""The text importer on releases as people paste them: labels and letterheads above the
headline, wrapped title-case headlines, PDF and web-page leftovers, Markdown, bylines,
UTF-16 files, "Issued on" and lower-case datelines, related links, photo captions and
numbered notes to editors. Each rule on the tester's file (tests/samples/text_layouts/
r2_*, names invented) and on inputs of the same kind written here."""

import codecs
from datetime import date

import pytest

from releases.importers import ReleaseImportError
from releases.importers.text import import_text_file, parse_text_release
from releases.importers.text.body import _body_html
from releases.models import Release
from tests.test_import_text_front_matter import LAYOUTS

BODY = "SPRINGFIELD, March 3, 2025 – The city opened a library.\n\nIt has 40,000 books.\n"


def parse(text: str):
    return parse_text_release(text, source="test.txt")


def sample(name: str):
    return parse((LAYOUTS / name).read_text(encoding="utf-8-sig"))


# Rule *labels* and *letterhead*


@pytest.mark.parametrize(
    ("name", "headline"),
    [
        ("r2_label_reference.txt", "Member States adopt global framework on clinic water safety"),
        ("r2_label_year_reference.txt", "Defence Ministers agree new logistics initiative"),
        ("r2_bilingual_label.txt", "City of Riverton launches winter shelter program"),
        ("r2_emoji_label.txt", "Sunnyside Example Zoo welcomes baby giraffe 🦒"),
        ("r2_letterhead_plc.txt", "Greenvale commissions offshore wind farm"),
        (
            "r2_governor_office.txt",
            "GOVERNOR REYES DECLARES STATE OF EMERGENCY AHEAD OF WINTER STORM",
        ),
        ("r2_minister.txt", "New bus routes for the Central Tablelands"),
        ("r2_on_behalf.txt", "Harbourside Aquarium welcomes rare leafy sea dragons"),
        ("r2_web_paste.txt", "Lakeshore College opens new nursing simulation centre"),
    ],
)
def test_labels_and_letterheads_above_the_headline_are_not_the_headline(name, headline):
    assert sample(name).headline == headline


@pytest.mark.parametrize(
    "label",
    [
        "MEDIA RELEASE / COMMUNIQUÉ DE PRESSE",
        "Press Release | Pressemitteilung",
        "★ NEWS RELEASE ★",
        "📣 Media Advisory",
        "News Release No. 25-017",
        "PRESS RELEASE PR/2025/44",
        "Press Release (2025) 042",
    ],
)
def test_framed_bilingual_and_referenced_labels_are_dropped(label):
    parsed = parse(f"{label}\n\nCity opens new library\n\n{BODY}")

    assert parsed.headline == "City opens new library"
    assert parsed.dateline == "SPRINGFIELD"


@pytest.mark.parametrize(
    ("letterhead", "issuer"),
    [
        ("Northbrook Example Water plc", "Northbrook Example Water plc"),
        ("OFFICE OF THE MAYOR\nCITY OF SPRINGFIELD", "OFFICE OF THE MAYOR"),
        ("MINISTRY OF EXAMPLE HEALTH", "MINISTRY OF EXAMPLE HEALTH"),
    ],
)
def test_letterheads_with_a_legal_form_or_office_of_are_the_issuer(letterhead, issuer):
    parsed = parse(f"{letterhead}\n\nPress Release\n\nCity opens new library\n\n{BODY}")

    assert parsed.headline == "City opens new library"
    assert parsed.organizations[0].name == issuer
    assert len(parsed.organizations) == 1


def test_issued_on_behalf_of_names_the_issuer():
    parsed = sample("r2_on_behalf.txt")

    assert parsed.organizations[0].name == "Harbourside Example Aquarium"
    other = parse(
        f"Distributed on behalf of Example Rail Ltd by Acme Comms\n\nRail fares frozen\n\n{BODY}"
    )
    assert (other.headline, other.organizations[0].name) == (
        "Rail fares frozen",
        "Example Rail Ltd",
    )


@pytest.mark.parametrize(
    "office_holder",
    [
        "The Hon. Sarah Mitchell MP\nMinister for Regional Transport",
        "Senator Jane Roe\nSecretary of Example Affairs",
        "Cllr John Doe\nMayor of Springfield",
    ],
)
def test_an_issuing_office_holder_is_dropped_from_the_headline_with_a_warning(office_holder):
    parsed = parse(f"{office_holder}\n\nMEDIA RELEASE\n\nCity opens new library\n\n{BODY}")

    assert parsed.headline == "City opens new library"
    assert any("issuing office holder" in w for w in parsed.warnings)
    assert sample("r2_minister.txt").dated == date(2025, 4, 9)


# Rule *wrapped headline*


@pytest.mark.parametrize(
    ("lines", "headline"),
    [
        (
            "Northfield Example Transit Authority Board Approves Five-Year Capital Plan\n"
            "Including Electric Bus Fleet",
            "Northfield Example Transit Authority Board Approves Five-Year Capital Plan "
            "Including Electric Bus Fleet",
        ),
        (
            "Springfield City Council Adopts Climate Plan\nWith Net Zero Target for 2040",
            "Springfield City Council Adopts Climate Plan With Net Zero Target for 2040",
        ),
        (
            "Example Water Board Names New Chief Executive\nFollowing National Search",
            "Example Water Board Names New Chief Executive Following National Search",
        ),
        (
            "Greenvale commissions wind farm off the\nNorthumberland coast",
            "Greenvale commissions wind farm off the Northumberland coast",
        ),
    ],
)
def test_a_wrapped_title_case_headline_is_one_headline_not_a_letterhead(lines, headline):
    parsed = parse(f"PRESS RELEASE\n\n{lines}\n\n{BODY}")

    assert parsed.headline == headline
    assert parsed.subheadline == ""
    assert not any("letterhead" in w for w in parsed.warnings)
    assert sample("r2_wrapped_headline.txt").headline.endswith("and Two New Rail Stations")


# Rules *page leftovers* and *web leftovers*


def test_a_pasted_pdf_loses_page_numbers_running_headers_and_line_break_hyphens():
    parsed = sample("r2_pdf_paste.txt")

    assert parsed.headline == (
        "Greenvale commissions 200 MW offshore wind farm off the Northumberland coast"
    )
    assert (parsed.dateline, parsed.dated) == ("LONDON", date(2025, 9, 2))
    text = " ".join(parsed.paragraphs)
    assert "environmental impact" in text
    assert "Page" not in text and "- Press Release" not in text
    assert any("running header" in w for w in parsed.warnings)


@pytest.mark.parametrize("page", ["Page 2", "- 2 -", "2/3", "Page 2 of 3"])
def test_page_numbers_and_the_header_after_them_are_dropped(page):
    text = (
        "City opens new library\n\nSPRINGFIELD, March 3, 2025 – The city opened a\n"
        "library with a chil-\ndren's room.\n\n"
        f"{page}\nCity of Springfield – News\n\nIt has 40,000 books.\n\n-30-\n"
    )
    parsed = parse(text)

    assert parsed.paragraphs == [
        "The city opened a library with a children's room.",
        "It has 40,000 books.",
    ]


def test_a_pasted_web_page_loses_its_crumbs_and_gives_its_date():
    parsed = sample("r2_web_paste.txt")

    assert (parsed.dateline, parsed.dated) == ("TORONTO", date(2025, 3, 14))
    assert parsed.paragraphs[-1].startswith('"Our students')
    assert not any("Share" in p or "Related" in p or "Back to top" in p for p in parsed.paragraphs)


@pytest.mark.parametrize(
    "crumbs",
    [
        "Home » Newsroom » Releases",
        "Home / News",
    ],
)
def test_web_page_leftovers_are_dropped_with_warnings(crumbs):
    text = (
        f"{crumbs}\n\nCity opens new library\n\nPublished on 3 March 2025 | Newsroom\n\n"
        "Share\nFacebook X LinkedIn\n\nThe city opened a library.\n\nIt has 40,000 books.\n\n"
        "Top of page\n\nRelated news\nCouncil adopts budget\nPark reopens\n"
    )
    parsed = parse(text)

    assert parsed.headline == "City opens new library"
    assert parsed.dated == date(2025, 3, 3)
    assert parsed.paragraphs == ["The city opened a library.", "It has 40,000 books."]
    assert any("web-page crumbs" in w for w in parsed.warnings)


# Rule *Markdown*


def test_a_markdown_release_reads_its_markup():
    parsed = sample("r2_markdown.txt")

    assert parsed.headline == "Oakridge Example Robotics launches warehouse picking arm"
    assert parsed.subheadline == "Pickr 2 handles 1,200 items an hour"
    html = _body_html(parsed.paragraphs, markdown=True)
    assert "<strong>Pickr 2</strong>" in html
    assert "<h2>Key features</h2>" in html
    assert '<a href="https://oakridge.example.com/pickr2">product page</a>' in html
    assert "About" not in html
    organization = parsed.organizations[0]
    assert organization.name == "Oakridge Example Robotics, Inc."
    assert "[" not in organization.boilerplate
    assert "**" not in parsed.summary


@pytest.mark.parametrize(
    ("dek", "plain"),
    [("_Eight productions_", "Eight productions"), ("*Eight productions*", "Eight productions"),
     ("**Eight productions**", "Eight productions")],
)  # fmt: skip
def test_markdown_marks_leave_the_headline_and_dek(dek, plain):
    parsed = parse(f"# City opens new library\n\n{dek}\n\n{BODY}")

    assert (parsed.headline, parsed.subheadline) == ("City opens new library", plain)
    assert sample("r2_italic_dek.txt").subheadline == (
        "Eight productions, including three world premieres"
    )


def test_markdown_links_are_sanitized_and_markup_escaped():
    parsed = parse(
        "# City opens library\n\nIt has *many* books, see [site](javascript:alert(1)) "
        "and __this__ <b>x</b>.\n\nMore at [the page](https://city.example/lib).\n"
    )
    html = _body_html(parsed.paragraphs, markdown=True)

    assert "<em>many</em>" in html and "<strong>this</strong>" in html
    assert "javascript:" not in html.replace("[site](javascript:", "")
    assert "&lt;b&gt;" in html
    assert '<a href="https://city.example/lib">the page</a>' in html


def test_plain_text_with_stars_and_underscores_is_not_markdown():
    parsed = parse(f"City opens library\n\n{BODY}\nTerms* apply to file_name_here.\n")

    assert not parsed.markdown
    assert "Terms* apply to file_name_here." in _body_html(parsed.paragraphs)


# Rule *byline*


@pytest.mark.parametrize(
    ("byline", "name", "organization"),
    [
        ("By Jane Roe", "Jane Roe", ""),
        ("By Dr. Amara Okonjo, Example Health Trust", "Dr. Amara Okonjo", "Example Health Trust"),
        ("BY JOHN DOE", "JOHN DOE", ""),
    ],
)
def test_a_byline_under_the_headline_is_the_author(byline, name, organization):
    parsed = parse(f"City opens new library\n\n{byline}\n\n{BODY}")

    assert parsed.author_name == name
    assert parsed.author_organization == organization
    if name:
        assert parsed.subheadline == ""


@pytest.mark.django_db
def test_the_byline_organization_is_the_author_organization(tmp_path):
    path = tmp_path / "byline.txt"
    path.write_bytes((LAYOUTS / "r2_byline.txt").read_bytes())

    import_text_file(path)

    release = Release.objects.get()
    assert release.subheadline == ""
    assert release.author.name == "Megan Foster"
    assert release.author.organization.name == "Tidewater Example Health System"


# Rule *UTF-16*


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_with_a_byte_order_mark_is_read_with_a_warning(tmp_path, bom, codec):
    path = tmp_path / "unicode.txt"
    path.write_bytes(bom + f"Café opens\r\n\r\n{BODY}".encode(codec))

    import_text_file(path)

    release = Release.objects.get()
    assert release.headline == "Café opens"
    assert any("UTF-16" in w for w in release.import_warnings)
    sample_path = tmp_path / "kiel.txt"
    sample_path.write_bytes((LAYOUTS / "r2_utf16_bom.txt").read_bytes())
    import_text_file(sample_path)
    assert Release.objects.filter(dateline="Kiel").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_refused_asking_for_utf8(tmp_path, codec):
    path = tmp_path / "unicode.txt"
    path.write_bytes(f"City opens library\n\n{BODY}".encode(codec))

    with pytest.raises(ReleaseImportError) as caught:
        import_text_file(path)

    assert "looks like UTF-16" in str(caught.value) and "UTF-8" in str(caught.value)
    assert "NUL" not in str(caught.value).split("(")[0]


# Rules *date line* ("Issued on") and *lower-case dateline*


@pytest.mark.parametrize(
    "line", ["Issued on 17 Jun. 2025", "Posted on June 17, 2025", "Issued on: 17 June 2025"]
)
def test_issued_on_is_the_date_not_a_dateline(line):
    parsed = parse(f"{line}\n\nCity opens new library\n\nThe city opened a library.\n\nMore.\n")

    assert (parsed.dated, parsed.dateline) == (date(2025, 6, 17), "")
    assert sample("r2_issued_on.txt").dated == date(2025, 6, 17)


@pytest.mark.parametrize(
    ("opening", "place", "dated"),
    [
        ("riverside, calif., nov. 3, 2025 – the food bank", "riverside, calif.", date(2025, 11, 3)),
        ("springfield, march 3, 2025 -- the city", "springfield", date(2025, 3, 3)),
    ],
)
def test_a_lower_case_dateline_is_read(opening, place, dated):
    parsed = parse(f"city opens library\n\n{opening} opened.\n\nmore.\n")

    assert (parsed.dateline, parsed.dated) == (place, dated)
    assert sample("r2_lowercase.txt").dateline == "riverside, calif."


def test_a_lower_case_sentence_is_no_dateline():
    parsed = parse("City opens library\n\nthe mayor said – it opens today.\n\nMore.\n")

    assert parsed.dateline == ""


# Rules *related links*, *photo captions*, *notes about an organization*


@pytest.mark.parametrize("heading", ["Related links:", "More information:", "Links:"])
def test_urls_one_a_line_under_a_label_are_a_list_of_links(heading):
    parsed = parse(
        f"City opens library\n\n{BODY}\n{heading}\nhttps://city.example/a\nhttps://city.example/b\n"
    )
    html = _body_html(parsed.paragraphs)

    assert '<li><a href="https://city.example/a">https://city.example/a</a></li>' in html
    assert html.count("<li>") == 2
    assert "<ul>" in _body_html(sample("r2_related_links.txt").paragraphs)


@pytest.mark.parametrize(
    "caption",
    [
        "Photo: The new library. (Credit: City of Springfield)",
        "Pictured: The mayor at the opening.",
    ],
)
def test_a_photo_caption_stays_a_paragraph_with_a_warning(caption):
    parsed = parse(f"City opens library\n\n{BODY}\n{caption}\n\nMore to come.\n")

    assert caption in parsed.paragraphs
    assert any("photo caption" in w for w in parsed.warnings)
    assert any("photo caption" in w for w in sample("r2_photo_notes.txt").warnings)


@pytest.mark.parametrize(
    "note",
    [
        "2. The Coastal Example Trust is a registered charity (No. 1234567).",
        "- Coastal Example Trust is a charity that restores salt marsh.",
    ],
)
def test_a_numbered_note_saying_what_an_organization_is_is_its_boilerplate(note):
    parsed = parse(
        f"Trust restores marsh\n\n{BODY}\n###\n\nNotes to editors\n1. Photos on request.\n{note}\n"
    )

    trust = next(o for o in parsed.organizations if o.name == "Coastal Example Trust")
    assert trust.boilerplate.endswith(note.split(" ", 1)[1])
    assert not any("Coastal" in str(p) for p in parsed.paragraphs)
    sampled = sample("r2_photo_notes.txt")
    assert next(o for o in sampled.organizations if o.name == "Coastal Example Trust").boilerplate
