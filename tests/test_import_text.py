"""The plain-text importer: the parser's rules alone, then the drafts it writes."""

import html
import re
import shutil
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from releases.importers import ReleaseImportError
from releases.importers.text import (
    ParsedContact,
    ParsedOrganization,
    import_text_file,
    parse_text_release,
)
from releases.importers.text.parsed import Heading
from releases.models import (
    Author,
    Contact,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    ReleaseSlug,
    Status,
)
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    UserFactory,
)

SAMPLES = Path(__file__).parent / "samples" / "text"
BODY = "The board approved the plan on Tuesday after a public consultation."


def parse(text: str, **kwargs):
    return parse_text_release(text, source="release.txt", **kwargs)


def release_text(*paragraphs: str, headline: str = "Council approves new cycle lanes") -> str:
    return "\n\n".join([headline, *paragraphs]) + "\n"


# -- headline, subheadline, paragraphs ---------------------------------------------------


def test_first_line_is_the_headline_and_blank_lines_separate_paragraphs():
    parsed = parse(release_text("First paragraph.", "Second\nparagraph, wrapped."))

    assert parsed.headline == "Council approves new cycle lanes"
    assert parsed.subheadline == ""
    assert parsed.paragraphs == ["First paragraph.", "Second paragraph, wrapped."]
    assert parsed.summary == "First paragraph."


def test_second_line_before_the_first_blank_line_is_the_subheadline():
    parsed = parse("Council approves new cycle lanes\nWork starts in June\n\n" + BODY)

    assert parsed.subheadline == "Work starts in June"
    assert parsed.paragraphs == [BODY]


def test_short_line_without_final_period_after_the_headline_is_the_subheadline():
    parsed = parse(release_text("Work starts in June on three routes", BODY))

    assert parsed.subheadline == "Work starts in June on three routes"
    assert parsed.paragraphs == [BODY]


@pytest.mark.parametrize(
    "second",
    [
        "The work starts in June.",  # a sentence: the first paragraph
        "Work starts in June on three routes " * 5,  # too long
        "- Work starts in June",  # a bullet
    ],
)
def test_other_second_blocks_are_paragraphs(second):
    parsed = parse(release_text(second, BODY))

    assert parsed.subheadline == ""
    assert len(parsed.paragraphs) == 2


def test_lone_short_line_is_the_body_when_nothing_follows_it():
    parsed = parse(release_text("Work starts in June"))

    assert parsed.subheadline == ""
    assert parsed.paragraphs == ["Work starts in June"]


def test_headline_wrapped_by_the_mail_program_is_joined():
    parsed = parse("Council approves new cycle lanes\nacross the city centre\n\n" + BODY)

    assert parsed.headline == "Council approves new cycle lanes across the city centre"
    assert parsed.subheadline == ""


def test_hard_wrapped_first_paragraph_under_the_headline_is_not_a_subheadline():
    parsed = parse("Council approves new cycle lanes\nThe board approved the plan on\nTuesday.")

    assert parsed.subheadline == ""
    assert parsed.paragraphs == ["The board approved the plan on Tuesday."]


def test_subheadline_line_may_be_followed_by_the_dateline_without_a_blank_line():
    parsed = parse("Council approves new cycle lanes\nWork starts in June\nLONDON — " + BODY)

    assert (parsed.subheadline, parsed.dateline) == ("Work starts in June", "LONDON")
    assert parsed.paragraphs == [BODY]


def test_bullet_lines_keep_their_own_line():
    parsed = parse(release_text("Passengers should:\n- allow extra time;\n- check the planner."))

    assert parsed.paragraphs == ["Passengers should:\n- allow extra time;\n- check the planner."]


def test_line_endings_byte_order_mark_and_odd_spaces_are_normalized():
    parsed = parse("\ufeffCouncil  approves\u00a0lanes\r\n\r\nFirst\tparagraph.\rSame one.\r\n")

    assert parsed.headline == "Council approves lanes"
    assert parsed.paragraphs == ["First paragraph. Same one."]


# -- artefacts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "artefact",
    [
        "IMG_2041.jpg",
        "photo-final (2).png",
        "DSC 0042.JPEG",
        "For immediate release",
        "FOR IMMEDIATE RELEASE:",
        "FOR IMMEDIATE RELEASE – 3 March 2025",
        "PRESS RELEASE",
        "News release:",
    ],
)
def test_artefact_lines_are_dropped(artefact):
    parsed = parse(release_text(BODY, artefact, "Closing paragraph.", artefact))

    assert parsed.paragraphs == [BODY, "Closing paragraph."]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "end_mark", ["ENDS", "-ends-", "– ENDS –", "###", "# # #", "-30-", "-end-"]
)
def test_end_marks_are_dropped_and_text_after_them_is_a_footer(end_mark):
    # cases/README (dash-list-and-mailing-footer): what follows the end mark is not body.
    parsed = parse(release_text(BODY, end_mark, "Closing paragraph.", end_mark))

    assert parsed.paragraphs == [BODY]
    assert parsed.warnings == ["line 7: dropped after the end mark: “Closing paragraph.”"]


def test_release_line_above_the_headline_is_dropped():
    parsed = parse("FOR IMMEDIATE RELEASE\n\n" + release_text(BODY))

    assert parsed.headline == "Council approves new cycle lanes"


def test_artefact_inside_a_paragraph_block_splits_it():
    parsed = parse(release_text(f"{BODY}\nIMG_2041.jpg\nClosing paragraph."))

    assert parsed.paragraphs == [BODY, "Closing paragraph."]


def test_embargo_line_sets_the_embargo_with_a_warning():
    # cases/README: "EMBARGOED UNTIL <date, time, zone>" sets the embargo to that instant.
    parsed = parse("EMBARGOED UNTIL 00:01 GMT, 4 March 2025\n\n" + release_text(BODY))

    assert parsed.headline == "Council approves new cycle lanes"
    assert parsed.embargoed_until == datetime(2025, 3, 4, 0, 1, tzinfo=UTC)
    assert parsed.warnings == [
        "line 1: “EMBARGOED UNTIL 00:01 GMT, 4 March 2025”: embargo set to 4 March 2025 "
        "00:01 UTC; check it"
    ]


def test_notes_to_editors_heading_is_kept_as_a_heading_over_the_notes_at_the_end():
    parsed = parse(release_text(BODY, "Notes to editors:", "1. The plan is online."))

    assert parsed.paragraphs == [BODY, "Notes to editors", "1. The plan is online."]
    assert isinstance(parsed.paragraphs[1], Heading)


def test_file_names_and_end_words_within_sentences_are_kept():
    text = "The photo IMG_2041.jpg shows the site.\n\nThe consultation ends on Friday."
    parsed = parse(release_text(text))

    assert parsed.paragraphs == ["The photo IMG_2041.jpg shows the site.", text.split("\n\n")[1]]


# -- dateline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "dateline", "dated"),
    [
        ("LONDON, 3 March 2025 — The board approved", "LONDON", "2025-03-03"),
        ("LONDON, 3 March 2025 - The board approved", "LONDON", "2025-03-03"),
        ("LONDON, United Kingdom, 3rd March 2025 – The board approved", "LONDON, United Kingdom",
         "2025-03-03"),
        ("GENEVA (Reuters-style) – The board approved", "GENEVA", None),
        ("NEW YORK, March 3, 2025 /Newswire/ -- The board approved", "NEW YORK", "2025-03-03"),
        ("São Paulo, Monday 3 March 2025: The board approved", "São Paulo", "2025-03-03"),
        ("Geneva, 2025-03-03 — The board approved", "Geneva", "2025-03-03"),
        ("ZÜRICH — The board approved", "ZÜRICH", None),
    ],
)  # fmt: skip
def test_dateline_at_the_start_of_the_first_paragraph_is_taken_out(first, dateline, dated):
    parsed = parse(release_text(f"{first} the plan.", "Second paragraph."))

    assert parsed.dateline == dateline
    assert str(parsed.dated) == str(dated)
    assert parsed.paragraphs == ["The board approved the plan.", "Second paragraph."]
    assert parsed.summary == "The board approved the plan."


def test_dateline_on_a_line_of_its_own_is_taken_out():
    parsed = parse(release_text("LONDON, 3 March 2025", BODY))

    assert (parsed.dateline, parsed.paragraphs) == ("LONDON", [BODY])


@pytest.mark.parametrize(
    "first",
    [
        "Northfield Water Authority – the region’s supplier – approved the plan.",
        "NOTE: the plan was approved.",
        "Residents - about 300 of them - approved the plan.",
    ],
)
def test_openings_that_are_not_datelines_are_left_alone(first):
    parsed = parse(release_text(first, BODY))

    assert parsed.dateline == ""
    assert parsed.paragraphs[0] == first


def test_dateline_is_only_looked_for_in_the_first_paragraph():
    parsed = parse(release_text(BODY, "LONDON — More news."))

    assert parsed.dateline == ""
    assert parsed.paragraphs == [BODY, "LONDON — More news."]


# -- contacts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "contact"),
    [
        (
            "Jane Roe is contactable at: E: jane@example.org; T: +44 20 7946 0000",
            ParsedContact("Jane Roe", "jane@example.org", "+442079460000"),
        ),
        (
            "Jane Roe, Press Officer, is contactable at: E: Jane@Example.org; "
            "T: +44 (0)20 7946-0000",
            ParsedContact("Jane Roe", "jane@example.org", "+442079460000", "Press Officer"),
        ),
        (
            "Dr. Jane Roe can be reached on +41 22 555 01 23",
            ParsedContact("Dr. Jane Roe", "", "+41225550123"),
        ),
        (
            "For media enquiries contact John Smith, Head of Press, on +1 202 555 0143 or "
            "john.smith@example.com",
            ParsedContact("John Smith", "john.smith@example.com", "+12025550143", "Head of Press"),
        ),
        (
            "For further information, please contact John Smith at john.smith@example.com.",
            ParsedContact("John Smith", "john.smith@example.com"),
        ),
        (
            "For more information about the plan, contact: John Smith, Head of Press at the "
            "Example Centre, tel. +1 202 555 0143",
            ParsedContact("John Smith", "", "+12025550143", "Head of Press", "Example Centre"),
        ),
        (
            "Media contact: Grace Lin, Communications Officer, grace.lin@example.org",
            ParsedContact("Grace Lin", "grace.lin@example.org", "", "Communications Officer"),
        ),
    ],
)
def test_contact_sentences_become_contacts_and_leave_the_body(line, contact):
    parsed = parse(release_text(BODY, line))

    assert parsed.contacts == [contact]
    assert parsed.paragraphs == [BODY]


def test_contact_sentence_on_its_own_line_inside_a_paragraph_block_is_taken_out():
    parsed = parse(release_text(BODY, "ENDS\nJane Roe is contactable at: E: jane@example.org"))

    assert [c.name for c in parsed.contacts] == ["Jane Roe"]
    assert parsed.paragraphs == [BODY]


def test_contact_sentences_under_a_contact_heading_are_read_as_sentences():
    block = (
        "Media contacts:\n"
        "Jane Roe is contactable at: E: jane@example.org\n"
        "For press enquiries contact John Smith on +1 202 555 0143"
    )
    parsed = parse(release_text(BODY, block))

    assert parsed.contacts == [
        ParsedContact("Jane Roe", "jane@example.org"),
        ParsedContact("John Smith", "", "+12025550143"),
    ]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("For more information, contact the Example Centre at press@example.org.",
         "Example Centre"),
        ("For more information, contact your local library on +44 20 7946 0000.", None),
    ],
)  # fmt: skip
def test_contact_needs_a_name(line, name):
    parsed = parse(release_text(BODY, line))

    assert [c.name for c in parsed.contacts] == ([name] if name else [])
    assert len(parsed.paragraphs) == (1 if name else 2)


def test_contact_block_under_a_heading_gives_one_contact_per_person():
    block = (
        "Media contacts:\n"
        "Claire Dubois\nHead of Media Relations\nclaire.dubois@example.ch\nTel. +41 22 555 01 23\n"
        "Marc Keller, Spokesperson\n+41 44 555 01 99"
    )
    parsed = parse(release_text(BODY, block, "Luc Moreau\nluc.moreau@example.ch"))

    assert parsed.contacts == [
        ParsedContact("Claire Dubois", "claire.dubois@example.ch", "+41225550123",
                      "Head of Media Relations"),
        ParsedContact("Marc Keller", "", "+41445550199", "Spokesperson"),
        ParsedContact("Luc Moreau", "luc.moreau@example.ch"),
    ]  # fmt: skip
    assert parsed.paragraphs == [BODY]


def test_paragraph_after_a_contact_block_is_body_again():
    parsed = parse(release_text(BODY, "Press contact:\nJane Roe\njane@example.org", "The end."))

    assert parsed.paragraphs == [BODY, "The end."]


@pytest.mark.parametrize(
    "placeholder", ["[email protected]", "[email\u00a0protected]", "[email&#160;protected]"]
)
def test_email_obfuscation_placeholder_leaves_the_email_empty_with_a_warning(placeholder):
    parsed = parse(
        release_text(BODY, f"Jane Roe is contactable at: E: {placeholder}; T: +44 20 7946 0000")
    )

    assert parsed.contacts == [ParsedContact("Jane Roe", "", "+442079460000")]
    assert parsed.warnings == [
        "line 5: the e-mail of Jane Roe was hidden by “[email protected]”; left empty"
    ]


@pytest.mark.parametrize(
    "written",
    [
        "jane.roe [at] example [dot] org",
        "jane.roe(at)example(dot)org",
        "jane.roe {AT} example {DOT} org",
    ],
)
def test_at_and_dot_obfuscation_is_undone(written):
    parsed = parse(release_text(BODY, f"Jane Roe is contactable at: E: {written}"))

    assert parsed.contacts[0].email == "jane.roe@example.org"


def test_invalid_phone_is_dropped_with_a_warning_and_the_contact_kept():
    parsed = parse(
        release_text(BODY, "Jane Roe is contactable at: E: jane@example.org; T: +44 20 7946")
    )

    assert parsed.contacts == [
        ParsedContact("Jane Roe", "jane@example.org", notes="T: +44 20 7946")
    ]
    assert parsed.warnings == [
        "line 5: “+44 20 7946” is not a valid phone number; Jane Roe kept without it "
        "(the number as written is in the contact's private notes)"
    ]


def test_phone_without_country_code_is_read_in_the_default_region():
    line = "Jane Roe is contactable at: E: jane@example.org; T: 020 7946 0000"

    assert parse(release_text(BODY, line), region="GB").contacts[0].phone == "+442079460000"
    assert parse(release_text(BODY, line)).contacts[0].phone == ""


def test_sentence_about_contacting_without_an_address_stays_in_the_body():
    line = "For more information about the plan, please contact your local library."
    parsed = parse(release_text(BODY, line))

    assert parsed.contacts == []
    assert parsed.paragraphs == [BODY, line]


# -- author --------------------------------------------------------------------------------


def test_trailing_paragraph_about_a_person_is_the_author_bio():
    bio = "Priya Natarajan is a science writer at the Example Centre."
    parsed = parse(release_text(BODY, "Closing paragraph.", bio))

    assert (parsed.author_name, parsed.author_bio) == ("Priya Natarajan", bio)
    assert parsed.paragraphs == [BODY, "Closing paragraph."]


def test_author_bio_before_the_end_mark_and_notes_is_found():
    bio = "Priya Natarajan is the editor of the council’s newsletter."
    parsed = parse(release_text(BODY, bio, "ENDS", "Notes to editors", "1. The plan is online."))

    assert parsed.author_name == "Priya Natarajan"
    assert parsed.paragraphs == [BODY, "Notes to editors", "1. The plan is online."]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The Example Centre is an independent research institute.",  # an organization
        "Example Research Institute is a charity.",  # an organization without "The"
        "It is a plan that has been a long time coming.",
        "Priya Natarajan is a science writer. " * 12,  # not short
    ],
)
def test_other_trailing_paragraphs_are_not_an_author(paragraph):
    parsed = parse(release_text(BODY, paragraph))

    assert parsed.author_name == ""
    assert parsed.paragraphs[-1] == paragraph.strip()


def test_only_paragraph_is_never_taken_for_the_author():
    parsed = parse(release_text("Priya Natarajan is a science writer at the Example Centre."))

    assert parsed.author_name == ""


# -- organizations -------------------------------------------------------------------------


def test_organizations_with_an_acronym_are_found_in_the_order_they_are_named():
    text = (
        "Today Northfield Water Authority (NWA) and the Example Centre for Freshwater "
        "Research (ECFR) launched a study. NWA said the Example Centre (EC) would help."
    )
    parsed = parse(release_text(text))

    assert parsed.organizations == [
        ParsedOrganization("Northfield Water Authority", "NWA"),
        ParsedOrganization("Example Centre for Freshwater Research", "ECFR"),
        ParsedOrganization("Example Centre", "EC"),
    ]


@pytest.mark.parametrize(
    ("text", "organization"),
    [
        ("funded by the Institut für Wasserforschung (IfW).",
         ("Institut für Wasserforschung", "IfW")),
        ("at the European Organization for Nuclear Research (CERN).",
         ("European Organization for Nuclear Research", "CERN")),
        ("said the London School of Hygiene & Tropical Medicine (LSHTM).",
         ("London School of Hygiene & Tropical Medicine", "LSHTM")),
        ("On Monday, The Example Trust (TET) said", ("Example Trust", "TET")),
    ],
)  # fmt: skip
def test_organization_names_follow_the_acronym(text, organization):
    parsed = parse(release_text(f"The plan was {text}"))

    assert [(o.name, o.short_name) for o in parsed.organizations] == [organization]


@pytest.mark.parametrize(
    "text",
    [
        "uses Artificial Intelligence (AI) to plan routes.",
        "said Jane Roe, Chief Executive Officer (CEO).",
        "grew with Gross Domestic Product (GDP).",
        "was shared with Reuters (Reuters).",
        "costs £3m (about $3.8m).",
    ],
)
def test_terms_and_titles_with_acronyms_are_not_organizations(text):
    assert parse(release_text(f"The plan {text}")).organizations == []


def test_the_same_organization_named_twice_is_listed_once():
    text = "The Example Centre (EC) agreed. Later the example centre (EC) signed."
    assert parse(release_text(text)).organizations == [ParsedOrganization("Example Centre", "EC")]


def test_about_paragraph_is_the_organizations_boilerplate_and_leaves_the_body():
    about = "The Example Centre (EC) is an independent research institute."
    parsed = parse(
        release_text(f"The Example Centre (EC) {BODY}", f"About the Example Centre\n{about}")
    )

    assert parsed.organizations == [ParsedOrganization("Example Centre", "EC", about)]
    assert parsed.paragraphs == [f"The Example Centre (EC) {BODY}"]


@pytest.mark.parametrize(
    "about",
    [
        "About EC: The Example Centre is an independent research institute.",
        "About the Example Centre — The Example Centre is an independent research institute.",
        "About the Example Centre (EC)\n\nThe Example Centre is an independent research institute.",
    ],
)
def test_about_paragraph_forms(about):
    parsed = parse(release_text(f"The Example Centre (EC) {BODY}", about))

    assert parsed.organizations == [
        ParsedOrganization(
            "Example Centre", "EC", "The Example Centre is an independent research institute."
        )
    ]
    assert len(parsed.paragraphs) == 1


def test_organization_only_named_in_an_about_paragraph_is_added_after_the_others():
    parsed = parse(
        release_text(
            f"The Example Centre (EC) {BODY}",
            "About Northfield Water Authority\n"
            "The Northfield Water Authority (NWA) supplies water.",
        )
    )

    assert [(o.name, o.short_name) for o in parsed.organizations] == [
        ("Example Centre", "EC"),
        ("Northfield Water Authority", "NWA"),
    ]


def test_about_as_an_ordinary_word_stays_in_the_body():
    parsed = parse(release_text(BODY, "About 300 residents replied."))

    assert parsed.paragraphs == [BODY, "About 300 residents replied."]


def test_contact_organization_is_the_named_one_or_the_issuer():
    parsed = parse(
        release_text(
            f"The Example Centre (EC) and Northfield Water Authority (NWA) agreed. {BODY}",
            "Jane Roe, Press Officer, NWA, is contactable at: E: jane@example.org",
            "John Smith is contactable at: E: john@example.org",
        )
    )

    assert [(c.name, c.role, c.organization) for c in parsed.contacts] == [
        ("Jane Roe", "Press Officer", "Northfield Water Authority"),
        ("John Smith", "", "Example Centre"),
    ]


# -- files that are not releases ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty"),
        ("\n   \n\t\n", 1, "the file is empty"),
        ("\n\nCouncil approves new cycle lanes\n", 3, "a headline but no body"),
        ("Council approves new cycle lanes\n\nIMG_2041.jpg\n\nENDS\n", 1, "a headline but no body"),
        ("ENDS\n###\n", 1, "no headline"),
        ("Headline\n\nBody\nmore\x00\x00", 4, "not a text file"),
        ("x" * 300 + "\n\nBody.", 1, "too long for a headline"),
    ],
)
def test_files_that_are_not_releases_are_refused_with_their_line(text, line, message):
    with pytest.raises(ReleaseImportError) as caught:
        parse(text)

    assert (caught.value.path, caught.value.line) == ("release.txt", line)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"release.txt, line {line}: ")


# -- importing files into the database -----------------------------------------------------

pytestmark_db = pytest.mark.django_db


def paragraphs_of(body: str) -> list[str]:
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", body, flags=re.DOTALL)]


def model_counts() -> dict[str, int]:
    models = (Release, Organization, Contact, Author, ReleaseOrganization, ReleaseContact)
    return {model.__name__: model.objects.count() for model in (*models, ReleaseSlug)}


def import_sample(name: str, tmp_path: Path):
    """Import a copy of a sample (the copy's path is the source it keeps)."""
    path = tmp_path / name
    shutil.copyfile(SAMPLES / name, path)
    result = import_text_file(path)
    return result.releases[0], result, path


def links(release, name):
    model = {"organization": ReleaseOrganization, "contact": ReleaseContact}[name]
    return [
        getattr(link, name)
        for link in model.objects.filter(release=release).select_related(name).order_by("position")
    ]


@pytestmark_db
def test_simple_release_becomes_a_draft_with_its_organization_and_contact(tmp_path):
    release, result, path = import_sample("simple.txt", tmp_path)

    assert result.created == [release]
    assert result.warnings == []
    assert release.status == Status.DRAFT
    assert release.published_at is None
    assert release.headline == "Riverside Library extends weekend opening hours"
    assert release.slug == "riverside-library-extends-weekend-opening-hours"
    assert (release.subheadline, release.dateline) == ("", "")
    # Where it came from is private (the server's path); source_url is public.
    assert release.import_source == path.resolve().as_uri()
    assert release.source_url == ""
    assert release.summary.startswith("Riverside Library will open on Sundays from 6 April")
    assert release.body == (
        "<p>Riverside Library will open on Sundays from 6 April, the Marston Borough Council "
        "(MBC) announced today. The library will be open from 10:00 to 16:00, with the "
        "children's section and the study rooms available throughout.</p>\n"
        "<p>The change follows a consultation in which more than 1,200 residents took part. "
        "Two in three asked for longer opening at weekends, most often so that students could "
        "use the study rooms before examinations.</p>\n"
        "<p>The extra hours are funded from the council's community budget for the next two "
        "years, after which the arrangement will be reviewed.</p>"
    )
    [council] = links(release, "organization")
    assert (council.name, council.short_name, council.slug) == (
        "Marston Borough Council",
        "MBC",
        "mbc",
    )
    [contact] = links(release, "contact")
    assert (contact.name, contact.email, contact.phone.as_e164, contact.organization) == (
        "Amara Okafor",
        "amara.okafor@example.org",
        "+442079460321",
        council,
    )
    assert release.author is None


@pytestmark_db
def test_subheadline_dateline_and_quotes_are_kept_and_the_about_paragraph_is_boilerplate(
    tmp_path,
):
    release, result, _ = import_sample("dateline_quotes.txt", tmp_path)

    assert release.headline == (
        "Coastal survey finds seagrass meadows recovering along the Wenlow estuary"
    )
    assert release.subheadline == "Volunteers mapped 42 hectares of new growth over three summers"
    assert release.dateline == "WENLOW"
    paragraphs = paragraphs_of(release.body)
    assert len(paragraphs) == 5
    assert (
        paragraphs[0]
        == release.summary
        == (
            "Seagrass meadows in the Wenlow estuary have grown by almost a fifth since 2021, "
            "according to a survey published today by the Wenlow Estuary Trust (WET)."
        )
    )
    assert paragraphs[2].startswith("“These meadows store carbon, shelter young fish")
    assert paragraphs[3].endswith(
        "“The next step is to protect the bays where the recovery is strongest.”"
    )
    assert paragraphs[4] == "The full survey and its maps are available on the Trust’s website."
    assert "ENDS" not in release.body and "About" not in release.body
    [trust] = links(release, "organization")
    assert (trust.name, trust.short_name) == ("Wenlow Estuary Trust", "WET")
    assert trust.boilerplate == (  # rich text: stored as HTML (issue 9)
        "<p>The Wenlow Estuary Trust (WET) is a charity that protects the wildlife and heritage "
        "of the Wenlow estuary. It was founded in 1987 and works with 600 volunteers.</p>"
    )
    [contact] = links(release, "contact")
    assert (contact.name, contact.role, contact.email, contact.phone.as_e164) == (
        "Grace Lin",
        "Communications Officer",
        "grace.lin@example.org",
        "+442079460855",
    )
    assert contact.organization == trust
    assert result.warnings == []


@pytestmark_db
def test_image_names_and_end_marks_are_dropped_and_a_hidden_email_left_empty(tmp_path):
    release, result, _ = import_sample("artefacts_placeholder.txt", tmp_path)

    assert release.headline == "Harbour ferry returns to service after engine refit"
    assert release.subheadline == ""
    assert paragraphs_of(release.body) == [
        "Passengers can once again cross the harbour by ferry from Monday, after the "
        "Kelvinmouth Harbour Board (KHB) completed a six-month refit of the vessel’s engines.",
        "The refit replaced both diesel engines with hybrid units that run on battery power "
        "inside the harbour walls. The board expects fuel use to fall by about a third, and "
        "noise at the landing stages to drop noticeably.",
        "Timetables are unchanged, with crossings every 20 minutes from 07:00 to 19:00.",
    ]
    for artefact in ("IMG_2041", ".png", "###", "immediate", "protected", "MacLeod"):
        assert artefact not in release.body
    [contact] = links(release, "contact")
    assert (contact.name, contact.email, contact.phone.as_e164) == (
        "Fiona MacLeod",
        "",
        "+442079460112",
    )
    assert result.warnings == [
        "line 15: the e-mail of Fiona MacLeod was hidden by “[email protected]”; left empty"
    ]


@pytestmark_db
def test_joint_release_creates_both_organizations_in_order_the_first_the_issuer(tmp_path):
    release, _, _ = import_sample("joint_release.txt", tmp_path)

    authority, centre = links(release, "organization")
    assert (authority.name, authority.short_name) == ("Northfield Water Authority", "NWA")
    assert (centre.name, centre.short_name) == ("Example Centre for Freshwater Research", "ECFR")
    assert release.issuer == authority
    assert list(
        ReleaseOrganization.objects.filter(release=release).values_list("position", flat=True)
    ) == [0, 1]
    assert authority.boilerplate.startswith("<p>Northfield Water Authority supplies drinking water")
    assert centre.boilerplate.startswith("<p>The Example Centre for Freshwater Research (ECFR) is")
    assert release.subheadline == (
        "Three-year programme will sample 60 sites along the Northfield and its tributaries"
    )
    assert release.dateline == "NORTHFIELD"
    paragraphs = paragraphs_of(release.body)
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("Northfield Water Authority (NWA) and the Example Centre")
    assert paragraphs[4:] == [
        "1. The study is funded jointly by both organizations, with a total budget of "
        "£1.8 million.",
        "2. Sampling begins in June; the first quarterly map will be published in October.",
    ]
    [contact] = links(release, "contact")
    assert (contact.name, contact.role, contact.organization) == (
        "Daniel Reyes",
        "Head of Press",
        authority,
    )
    assert (contact.email, contact.phone.as_e164) == ("daniel.reyes@example.org", "+442079460990")


@pytestmark_db
def test_two_contact_formats_and_a_trailing_author_bio(tmp_path):
    release, result, _ = import_sample("contacts_author.txt", tmp_path)

    assert release.subheadline == "Transport board responds to shift workers’ petition"
    assert release.author.name == "Priya Natarajan"
    assert release.author.bio == (  # rich text: stored as HTML (issue 9)
        "<p>Priya Natarajan is a transport reporter who writes the board’s weekly service "
        "bulletin.</p>"
    )
    paragraphs = paragraphs_of(release.body)
    assert len(paragraphs) == 4
    assert paragraphs[-1] == "The extended service will be reviewed after twelve months."
    assert "Natarajan" not in release.body and "Whitfield" not in release.body
    [board] = links(release, "organization")
    assert (board.name, board.short_name) == ("Lakeside Transport Board", "LTB")
    contacts = links(release, "contact")
    assert [(c.name, c.role, c.email, c.phone.as_e164, c.organization) for c in contacts] == [
        ("Sam Whitfield", "Press Officer", "sam.whitfield@example.com", "+12025550143", board),
        ("John Smith", "Head of Communications", "john.smith@example.com", "+12025550178", board),
    ]
    assert result.warnings == []


@pytestmark_db
def test_wire_style_release_with_embargo_line_bullets_and_a_contact_block(tmp_path):
    release, result, _ = import_sample("wire_style.txt", tmp_path)

    assert release.headline == "Alpine rail tunnel to close for two weekends of safety work"
    assert (release.subheadline, release.dateline) == ("", "GENEVA")
    assert release.summary == (
        "The Valmont Rail Infrastructure Company (VRIC) will close the Col du Valmont tunnel on "
        "two weekends in July while engineers replace the overhead line and test new evacuation "
        "lighting."
    )
    assert (
        "<p>Replacement buses will run between Valmont and Saint-Aubin every 15 minutes. The "
        "company advises passengers to:</p>\n<ul><li>allow 40 extra minutes for the journey;"
        "</li><li>check the timetable planner before setting out;</li><li>book bicycle spaces "
        "in advance.</li></ul>"
    ) in release.body
    company, office = links(release, "organization")
    assert (company.short_name, office.short_name) == ("VRIC", "CTO")
    claire, marc = links(release, "contact")
    assert (claire.email, claire.phone.as_e164, claire.organization) == (
        "claire.dubois@example.ch",
        "+41225550123",
        company,
    )
    assert (marc.role, marc.email, marc.phone, marc.organization) == (
        "Spokesperson",
        "marc.keller@example.ch",
        "",
        office,
    )
    # cases/README: an "EMBARGOED UNTIL" line sets the embargo (it was dropped before).
    assert release.embargoed_until == datetime(2025, 6, 11, 23, 1, tzinfo=UTC)
    assert result.warnings == [
        "line 1: “EMBARGOED UNTIL 00:01 CET, 12 June 2025”: embargo set to 11 June 2025 "
        "23:01 UTC; check it",
        "line 21: “+41 22 555 01” is not a valid phone number; Marc Keller kept without it "
        "(the number as written is in the contact's private notes)",
    ]


@pytestmark_db
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_reimporting_a_sample_changes_nothing(name, tmp_path):
    release, _, path = import_sample(name, tmp_path)
    before = model_counts()
    body, updated_at = release.body, release.updated_at

    result = import_text_file(path)

    assert result.unchanged == [release]
    assert result.created == result.updated == []
    assert model_counts() == before
    release.refresh_from_db()
    assert (release.body, release.updated_at) == (body, updated_at)


@pytestmark_db
def test_reimporting_a_changed_file_updates_the_draft_in_place(tmp_path):
    release, _, path = import_sample("simple.txt", tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("weekend opening hours", "Sunday opening"),
        encoding="utf-8",
    )
    before = model_counts()

    result = import_text_file(path)

    assert result.updated == [release]
    release.refresh_from_db()
    assert release.headline == "Riverside Library extends Sunday opening"
    assert model_counts() == before
    assert len(links(release, "contact")) == 1


@pytestmark_db
def test_release_taken_over_by_an_editor_is_not_overwritten(tmp_path):
    release, _, path = import_sample("simple.txt", tmp_path)
    release.headline = "Library opens on Sundays"
    release.updated_by = UserFactory()
    release.save()
    before = model_counts()

    result = import_text_file(path)

    assert result.unchanged == [release]
    assert result.warnings == [
        "already imported as “Library opens on Sundays” (edited since): left as it is"
    ]
    release.refresh_from_db()
    assert release.headline == "Library opens on Sundays"
    assert model_counts() == before


@pytestmark_db
def test_same_text_from_another_file_is_the_same_release(tmp_path):
    # Issue 10: a file sent again under another name makes no second draft (rule *sent
    # again*, tests/test_import_text_front_matter.py).
    first, _, _ = import_sample("simple.txt", tmp_path)
    (tmp_path / "copy").mkdir()
    second, _, _ = import_sample("simple.txt", tmp_path / "copy")

    assert second.pk == first.pk
    assert Release.objects.count() == 1
    assert Organization.objects.count() == 1
    assert Contact.objects.count() == 1


@pytestmark_db
def test_source_given_is_kept_instead_of_the_file_uri(tmp_path):
    path = tmp_path / "simple.txt"
    shutil.copyfile(SAMPLES / "simple.txt", path)

    result = import_text_file(path, source="https://example.org/press/library.txt")

    assert result.releases[0].source_url == "https://example.org/press/library.txt"


@pytestmark_db
def test_existing_organization_is_matched_by_name_and_its_boilerplate_kept(tmp_path):
    council = OrganizationFactory(
        name="marston borough council", short_name="", boilerplate="Written by an editor."
    )

    release, _, _ = import_sample("simple.txt", tmp_path)

    assert links(release, "organization") == [council]
    council.refresh_from_db()
    assert (council.short_name, council.boilerplate) == ("MBC", "<p>Written by an editor.</p>")


@pytestmark_db
def test_existing_organization_without_boilerplate_gets_the_about_paragraph(tmp_path):
    trust = OrganizationFactory(name="Wenlow Estuary Trust", short_name="WET", boilerplate="")

    import_sample("dateline_quotes.txt", tmp_path)

    trust.refresh_from_db()
    assert trust.boilerplate.startswith("<p>The Wenlow Estuary Trust (WET) is a charity")


@pytestmark_db
def test_existing_organization_is_matched_by_its_short_name_with_a_warning(tmp_path):
    council = OrganizationFactory(name="Marston Council", short_name="mbc")

    release, result, _ = import_sample("simple.txt", tmp_path)

    assert links(release, "organization") == [council]
    assert result.warnings == [
        "“Marston Borough Council (MBC)” matched to the existing organization "
        "“Marston Council” by its short name"
    ]


@pytestmark_db
def test_existing_contacts_and_author_are_matched_not_duplicated(tmp_path):
    sam = ContactFactory(name="Sam Whitfield", email="sam.whitfield@example.com", role="")
    priya = AuthorFactory(name="Priya Natarajan", bio="")

    release, _, _ = import_sample("contacts_author.txt", tmp_path)

    assert links(release, "contact")[0] == sam
    assert release.author == priya
    sam.refresh_from_db()
    priya.refresh_from_db()
    assert sam.role == "Press Officer"  # a blank filled in
    assert sam.phone.as_e164 == "+442079460000"  # what the editor had is kept
    assert priya.bio.startswith("<p>Priya Natarajan is a transport reporter")
    assert Contact.objects.count() == 2
    assert Author.objects.count() == 1


@pytestmark_db
def test_contact_without_email_is_matched_by_name_and_phone(tmp_path):
    fiona = ContactFactory(name="Fiona MacLeod", email="", phone="+442079460112")

    release, _, _ = import_sample("artefacts_placeholder.txt", tmp_path)

    assert links(release, "contact") == [fiona]
    assert Contact.objects.count() == 1


@pytestmark_db
def test_text_is_escaped_in_the_body(tmp_path):
    path = tmp_path / "markup.txt"
    path.write_text(
        release_text('The <script>alert("x")</script> plan & <b>more</b>.', BODY),
        encoding="utf-8",
    )

    release = import_text_file(path).releases[0]

    assert "<script>" not in release.body and "<b>" not in release.body
    assert paragraphs_of(release.body)[0] == 'The <script>alert("x")</script> plan & <b>more</b>.'


@pytestmark_db
def test_imported_release_is_found_by_its_organization_name(tmp_path):
    from releases.search import search_releases

    release, _, _ = import_sample("joint_release.txt", tmp_path)

    assert list(search_releases(Release.objects.all(), "Freshwater")) == [release]
    if connection.vendor == "postgresql":
        assert Release.objects.filter(pk=release.pk, search_vector__isnull=False).exists()


@pytestmark_db
@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", 1, "the file is empty"),
        (b"Headline only\n", 1, "a headline but no body"),
        (b"Headline\n\nBody\n\x00\x01\x02", 4, "not a text file"),
        # UTF-16 without a byte-order mark (with one it is read: rule *UTF-16*).
        (b"H\x00e\x00a\x00d\x00\n\x00", 1, "looks like UTF-16"),
        # 0x81 is in neither: cases/README (Windows-1252 is read, with a warning).
        (b"Headline\n\nCaf\x81 opens.\n", 3, "neither UTF-8 nor Windows-1252"),
    ],
)
def test_bad_files_are_refused_naming_file_and_line_and_leave_nothing(
    content, line, message, tmp_path
):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = model_counts()

    with pytest.raises(ReleaseImportError) as caught:
        import_text_file(path)

    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert message in str(caught.value)
    assert model_counts() == before


@pytestmark_db
def test_missing_file_is_refused_naming_it(tmp_path):
    with pytest.raises(ReleaseImportError) as caught:
        import_text_file(tmp_path / "missing.txt")

    assert caught.value.path == str(tmp_path / "missing.txt")
    assert "cannot read the file" in str(caught.value)


@pytestmark_db
def test_two_names_of_one_existing_organization_link_it_once(tmp_path):
    centre = OrganizationFactory(name="Example Centre", short_name="ECR")
    path = tmp_path / "two-names.txt"
    path.write_text(
        release_text(
            "The Example Centre (EC) and the Example Centre for Research (ECR) agreed the plan.",
            "Jane Roe, Press Officer, ECR, is contactable at: E: jane@example.org",
        ),
        encoding="utf-8",
    )

    release = import_text_file(path).releases[0]

    assert links(release, "organization") == [centre]
    assert links(release, "contact")[0].organization == centre


# -- the command -------------------------------------------------------------------------


@pytestmark_db
def test_command_imports_the_good_files_and_reports_the_bad_one_at_the_end(tmp_path):
    good = [tmp_path / "simple.txt", tmp_path / "joint_release.txt"]
    for path in good:
        shutil.copyfile(SAMPLES / path.name, path)
    bad = tmp_path / "bad.txt"
    bad.write_text("Headline with nothing under it\n\nENDS\n", encoding="utf-8")
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_releases", good[0], bad, good[1], format="text", stdout=stdout, stderr=stderr
        )

    assert "not imported" in str(caught.value) and str(bad) in str(caught.value)
    assert str(good[0]) not in str(caught.value)
    assert f"{bad}, line 1: a headline but no body" in stderr.getvalue()
    assert sorted(Release.objects.values_list("import_source", flat=True)) == sorted(
        path.resolve().as_uri() for path in good
    )
    assert not Release.objects.filter(headline__startswith="Headline with nothing").exists()
    assert Organization.objects.count() == 3

    before = model_counts()
    call_command("import_releases", *good, format="text", stdout=StringIO())
    assert model_counts() == before


@pytestmark_db
def test_command_leaves_nothing_of_a_file_that_fails_while_writing(tmp_path, monkeypatch):
    from releases.importers.text import writing

    path = tmp_path / "simple.txt"
    shutil.copyfile(SAMPLES / "simple.txt", path)

    def fail(*args, **kwargs):
        raise ReleaseImportError("contact refused", field="contacts")

    monkeypatch.setattr(writing, "_contact_record", fail)

    with pytest.raises(CommandError):
        call_command("import_releases", path, format="text", stdout=StringIO(), stderr=StringIO())

    # The organization was written before the contact failed, and rolled back with it.
    assert model_counts() == dict.fromkeys(model_counts(), 0)
