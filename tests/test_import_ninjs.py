"""``import_releases --format ninjs``: every ninjs version, item identity, people and
organisations by uri, pictures beside the item, the IPTC conformance suite, and the
export validated with format checking really on."""

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from releases.exports.ninjs import release_to_ninjs
from releases.exports.reading import read_for_export
from releases.importers import ReleaseImportError
from releases.importers.ninjs import import_ninjs_file
from releases.importers.structured import import_json_file
from releases.models import Author, Organization, Release, Status
from tests.factories import image_bytes
from tests.standards import CASES_DIR, NINJS_CONFORMANCE_DIR, NINJS_SCHEMA_3_1

pytestmark = pytest.mark.django_db

BASE_URL = "https://news.example.org"
SUITE = NINJS_CONFORMANCE_DIR / "validation" / "test_suite"
SHOULD_PASS = sorted(SUITE.glob("*/should_pass/*.json"))
EXAMPLES = sorted(
    (NINJS_CONFORMANCE_DIR / "documentation" / "includes" / "examples").glob("[0-9]*/*.json")
)


def write(folder: Path, name: str, content) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    return path


def item(**overrides) -> dict:
    data = {
        "uri": "urn:newsml:wire.example:2025:1",
        "type": "text",
        "versionCreated": "2025-03-10T08:15:00Z",
        "headlines": [{"role": "main", "value": "Harbour reopens"}],
        "bodies": [{"role": "main", "contentType": "text/html", "value": "<p>Ships sail.</p>"}],
    }
    data.update(overrides)
    return data


def ninjs_validator() -> jsonschema.Draft202012Validator:
    """The 3.1 schema with the installed (non-GPL) format checkers on."""
    schema = json.loads(NINJS_SCHEMA_3_1.read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def is_release_item(data: dict) -> bool:
    """A text item (the default type) with a headline or title; a composite with one
    is read as its own text part."""
    return data.get("type", "text") in ("text", "composite") and any(
        key in ("headline", "headlines", "title") or key.startswith("headline_") for key in data
    )


@pytest.mark.parametrize(
    "path", SHOULD_PASS + EXAMPLES, ids=lambda p: str(p.relative_to(NINJS_CONFORMANCE_DIR))
)
def test_iptc_suite_text_items_with_a_headline_import_and_the_others_are_refused_by_name(
    path, media_root
):
    data = json.loads(path.read_text())
    if is_release_item(data):
        result = import_ninjs_file(path)
        assert len(result.created) == 1
    else:
        with pytest.raises(ReleaseImportError) as failure:
            import_ninjs_file(path)
        message = str(failure.value)
        assert str(path) in message
        assert f"“{data.get('uri')}”" in message


def test_a_suite_item_lists_what_it_could_not_take(media_root):
    result = import_ninjs_file(SUITE / "3.0" / "should_pass" / "006_genre.json")

    release = result.created[0]
    assert any(warning.startswith("not taken: genres") for warning in release.import_warnings)
    assert any("not taken: genres" in warning for warning in result.warnings)


# -- the field cases (tests/cases/ninjs, README) --------------------------------------


def test_a_1x_item_is_read_like_3x():
    result = import_ninjs_file(CASES_DIR / "ninjs" / "ninjs-1x-item.json")

    release = result.created[0]
    assert release.headline == "Harbour pilots agree new rota"
    assert release.slug == "harbour-pilots-rota"
    assert release.summary == "The pilots' association agreed a new rota on Tuesday."
    assert release.body.count("<p>") == 2
    assert release.author.name == "Jo Marsh"
    assert release.language == "en"
    assert release.status == Status.PUBLISHED
    assert release.published_at == datetime(2025, 3, 11, 8, 55, tzinfo=UTC)  # firstcreated
    assert release.ninjs_uri == "urn:newsml:wire.example:20250311:harbour-pilots"  # its guid
    assert [tag.name for tag in release.tags.all()] == ["economy, business and finance"]
    assert release.ninjs_subjects == [
        {"name": "economy, business and finance", "literal": "04000000"}
    ]


def test_lowercase_2x_dates_date_the_release_and_a_linked_picture_is_a_warning():
    result = import_ninjs_file(CASES_DIR / "ninjs" / "lowercase-2x-dates.json")

    release = result.created[0]
    assert release.status == Status.PUBLISHED
    assert release.published_at == datetime(2025, 3, 10, 8, 15, tzinfo=UTC)
    assert not release.featured_image
    assert any("https://wire.example/img/dredger.jpg" in w for w in release.import_warnings)


@pytest.mark.parametrize(
    "dates", [{}, {"versionCreated": None}, {"pubStatus": "usable", "versionCreated": ""}]
)
def test_an_item_without_any_date_is_a_draft_with_a_warning_never_published_now(tmp_path, dates):
    data = item(**dates)
    del data["versionCreated"]

    release = import_ninjs_file(write(tmp_path, "undated.json", data)).created[0]

    assert release.status == Status.DRAFT
    assert release.published_at is None
    assert any("no date" in warning for warning in release.import_warnings)


# -- versions' spellings ----------------------------------------------------------------


def test_2x_lowercase_names_are_read(tmp_path):
    data = {
        "uri": "urn:x:2",
        "headlines": [{"role": "main", "value": "Ferry timetable changes"}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": "One.\n\nTwo."}],
        "descriptions": [{"role": "lead", "contenttype": "text/html", "value": "<b>Lead</b> text"}],
        "firstcreated": "2025-01-02T10:00:00+01:00",
        "versioncreated": "2025-01-03T10:00:00+01:00",
        "pubstatus": "usable",
        "embargoed": "2025-01-02T12:00:00+01:00",
        "places": [{"name": "Kiel", "rel": "located"}],
    }

    release = import_ninjs_file(write(tmp_path, "2x.json", data)).created[0]

    assert release.body == "<p>One.</p>\n<p>Two.</p>"
    assert release.summary == "Lead text"  # the lead, as plain text
    assert release.published_at == datetime(2025, 1, 2, 9, 0, tzinfo=UTC)
    assert release.embargoed_until == datetime(2025, 1, 2, 11, 0, tzinfo=UTC)
    assert release.dateline == "Kiel"


def test_title_is_the_headline_when_there_is_none(tmp_path):
    data = item(title="Council meets on Tuesday")
    del data["headlines"]

    release = import_ninjs_file(write(tmp_path, "titled.json", data)).created[0]

    assert release.headline == "Council meets on Tuesday"


def test_a_non_ascii_slugline_gives_a_slug(tmp_path):
    data = item(slugline="Förderung-Hafen ö", language="de")

    release = import_ninjs_file(write(tmp_path, "de.json", data)).created[0]

    assert release.slug == "forderung-hafen-o"


def test_a_nitf_body_is_sanitized_html(tmp_path):
    nitf = (
        "<nitf><head><title>x</title></head><body><body.head><hedline><hl1>Not the body"
        "</hl1></hedline></body.head><body.content><hl2>Background</hl2><p>Ships <em>sail</em>."
        '</p><script>alert(1)</script><media media-type="image"><media-reference source="a.jpg"/>'
        "</media></body.content></body></nitf>"
    )
    data = item(bodies=[{"role": "main", "contentType": "application/nitf+xml", "value": nitf}])

    release = import_ninjs_file(write(tmp_path, "nitf.json", data)).created[0]

    assert "<h3>Background</h3>" in release.body
    assert "<p>Ships <em>sail</em>.</p>" in release.body
    assert "script" not in release.body and "alert" not in release.body
    assert "Not the body" not in release.body


def test_a_1x_body_xml_is_read_as_nitf(tmp_path):
    data = {
        "uri": "urn:x:xml",
        "headline": "Quay closes",
        "versioncreated": "2025-01-01T00:00:00Z",
        "body_xml": "<nitf><body><body.content><p>Closed.</p></body.content></body></nitf>",
    }

    release = import_ninjs_file(write(tmp_path, "xml.json", data)).created[0]

    assert release.body == "<p>Closed.</p>"


def test_descriptions_of_every_role_are_read(tmp_path):
    data = item(
        descriptions=[
            {"role": "caption", "value": "A caption."},
            {"role": "text", "value": "The text description."},
        ]
    )

    release = import_ninjs_file(write(tmp_path, "d.json", data)).created[0]

    assert release.summary == "The text description."
    assert any("caption" in warning for warning in release.import_warnings)


# -- identity -----------------------------------------------------------------------


def test_reimporting_the_same_uri_updates_that_release(tmp_path):
    import_ninjs_file(write(tmp_path, "v1.json", item()))

    changed = item(headlines=[{"role": "main", "value": "Harbour reopens fully"}])
    result = import_ninjs_file(write(tmp_path, "v2.json", changed))

    assert len(result.updated) == 1
    release = Release.objects.get()
    assert release.headline == "Harbour reopens fully"
    assert release.slug == "harbour-reopens"  # the URL stays
    assert len(import_ninjs_file(tmp_path / "v2.json").unchanged) == 1


def test_two_items_with_the_same_headline_and_other_uris_are_two_releases(tmp_path):
    items = [item(uri="urn:a:1"), item(uri="urn:a:2")]

    result = import_ninjs_file(write(tmp_path, "two.json", items))

    assert len(result.created) == 2
    assert sorted(Release.objects.values_list("slug", "ninjs_uri")) == [
        ("harbour-reopens", "urn:a:1"),
        ("harbour-reopens-2", "urn:a:2"),
    ]


def test_each_item_keeps_its_own_author(tmp_path):
    items = [
        item(uri="urn:a:1", by="Jo Marsh"),
        item(uri="urn:a:2", people=[{"name": "Sam Vale", "rel": "author", "uri": "urn:p:sam"}]),
        item(uri="urn:a:3"),
    ]

    import_ninjs_file(write(tmp_path, "three.json", items))

    authors = dict(Release.objects.values_list("ninjs_uri", "author__name"))
    assert authors == {"urn:a:1": "Jo Marsh", "urn:a:2": "Sam Vale", "urn:a:3": None}
    assert Author.objects.get(name="Sam Vale").ninjs_uri == "urn:p:sam"


def test_people_match_by_uri_first_then_exact_name(tmp_path):
    items = [
        item(uri="urn:a:1", people=[{"name": "Sam Vale", "rel": "author", "uri": "urn:p:1"}]),
        # The same person renamed: the uri says who it is.
        item(uri="urn:a:2", people=[{"name": "Samuel Vale", "rel": "author", "uri": "urn:p:1"}]),
        # Another person of the same name.
        item(uri="urn:a:3", people=[{"name": "Sam Vale", "rel": "author", "uri": "urn:p:2"}]),
        item(uri="urn:a:4", by="Sam Vale"),
    ]

    import_ninjs_file(write(tmp_path, "people.json", items))

    by_item = dict(Release.objects.values_list("ninjs_uri", "author__ninjs_uri"))
    assert by_item == {
        "urn:a:1": "urn:p:1",
        "urn:a:2": "urn:p:1",
        "urn:a:3": "urn:p:2",
        "urn:a:4": "urn:p:1",
    }
    assert Author.objects.count() == 2


def test_mentioned_people_and_organisations_are_not_authors_or_issuers(tmp_path):
    data = item(
        people=[{"name": "Mayor Quill", "rel": "mentions"}],
        organisations=[
            {"name": "Harbour Board", "rel": "issuer", "uri": "urn:o:hb"},
            {"name": "Ferry Union", "rel": "about"},
            {"name": "Pilots Guild", "rel": "http://cv.iptc.org/newscodes/x/Interviewee"},
        ],
    )

    release = import_ninjs_file(write(tmp_path, "rel.json", data)).created[0]

    assert release.author is None
    assert [o.name for o in release.organizations.all()] == ["Harbour Board"]
    assert not Organization.objects.filter(name__in=["Ferry Union", "Pilots Guild"]).exists()
    warning = next(w for w in release.import_warnings if w.startswith("mentioned"))
    assert "Mayor Quill" in warning and "Ferry Union" in warning
    assert Organization.objects.get(name="Harbour Board").ninjs_uri == "urn:o:hb"


# -- composites and files -------------------------------------------------------------


def test_a_composite_takes_its_text_part_and_pictures_beside_it(tmp_path, media_root):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "dredger.jpg").write_bytes(image_bytes(size=(800, 400)))
    (tmp_path / "chart.png").write_bytes(image_bytes(size=(300, 200), format="PNG"))
    composite = {
        "uri": "urn:pkg:1",
        "type": "composite",
        "versionCreated": "2025-03-10T08:15:00Z",
        "associations": [
            {
                "name": "story",
                "uri": "urn:story:1",
                "type": "text",
                "headlines": [{"role": "main", "value": "Dredging starts"}],
                "bodies": [{"role": "main", "value": "<p>It starts.</p>"}],
            },
            {
                "name": "photo",
                "uri": "https://wire.example/dredger.jpg",
                "type": "picture",
                "descriptions": [{"role": "caption", "value": "The dredger at work."}],
                "renditions": [
                    {"name": "thumb", "href": "https://wire.example/t.jpg", "width": 80},
                    {"name": "original", "href": "img/dredger.jpg", "width": 800},
                ],
            },
            {"name": "chart", "uri": "chart.png", "type": "graphic", "title": "Depths"},
            {"name": "map", "uri": "https://wire.example/map.jpg", "type": "picture"},
            {"name": "escape", "uri": "../outside.jpg", "type": "picture"},
        ],
    }
    (tmp_path.parent / "outside.jpg").write_bytes(image_bytes(size=(10, 10)))
    path = write(tmp_path, "composite.json", composite)

    release = import_ninjs_file(path).created[0]

    assert release.headline == "Dredging starts"
    assert release.ninjs_uri == "urn:pkg:1"
    assert release.featured_image.name.endswith(".jpg")
    assert release.featured_image_caption == "The dredger at work."
    assert release.featured_image_alt == "The dredger at work."
    assert [a.title for a in release.attachments.all()] == ["Depths"]
    warnings = " ".join(release.import_warnings)
    assert "https://wire.example/map.jpg" in warnings
    assert "../outside.jpg" in warnings  # outside the item's folder: not read
    # Again: nothing new is stored.
    result = import_ninjs_file(path)
    assert len(result.unchanged) == 1
    assert Release.objects.get().attachments.count() == 1


# -- the export, validated with format checking on ---------------------------------------


def test_the_validator_really_checks_uri_and_date_time_formats():
    validator = ninjs_validator()
    good = {"uri": "https://news.example.org/releases/x/", "versionCreated": "2025-03-10T08:15:00Z"}
    assert not list(validator.iter_errors(good))

    bad_uri = dict(good, uri="not a uri")
    bad_time = dict(good, versionCreated="10 March 2025")

    assert [e.validator for e in validator.iter_errors(bad_uri)] == ["format"]
    assert [e.validator for e in validator.iter_errors(bad_time)] == ["format"]


def test_subjects_keep_their_codes_and_uris_through_import_and_export(tmp_path):
    subjects = [
        {
            "name": "Ports",
            "uri": "http://cv.iptc.org/newscodes/mediatopic/20000278",
            "rel": "about",
        },
        {"uri": "http://cv.iptc.org/newscodes/mediatopic/04000000"},
        {"name": "Shipping"},
    ]
    import_ninjs_file(write(tmp_path, "s.json", item(subjects=subjects)))
    release = next(read_for_export(Release.objects.all()))

    exported = release_to_ninjs(release, BASE_URL)

    ninjs_validator().validate(exported)
    assert exported["subjects"][:2] == subjects[:2]
    assert exported["subjects"][2]["name"] == "Shipping"
    assert exported["subjects"][2]["uri"].startswith(BASE_URL + "/tags/")


@pytest.mark.parametrize(
    "path",
    [p for p in SHOULD_PASS + EXAMPLES if is_release_item(json.loads(p.read_text()))],
    ids=lambda p: str(p.relative_to(NINJS_CONFORMANCE_DIR)),
)
def test_every_imported_suite_item_exports_valid_ninjs(path, media_root):
    import_ninjs_file(path)
    release = next(read_for_export(Release.objects.all()))

    ninjs_validator().validate(release_to_ninjs(release, BASE_URL))


def test_the_command_reports_each_items_warnings(tmp_path):
    path = write(tmp_path, "wire.json", item(genres=[{"name": "Current"}], urgency=3))
    stdout = io.StringIO()

    call_command("import_releases", str(path), "--format", "ninjs", stdout=stdout)

    output = stdout.getvalue()
    assert "1 created" in output
    assert "  check: item “urn:newsml:wire.example:2025:1”: not taken: genres" in output
    assert "not taken: urgency 3" in output


def test_a_uri_too_long_to_keep_is_refused_by_name(tmp_path):
    path = write(tmp_path, "long.json", item(uri="urn:x:" + "a" * 600))

    with pytest.raises(ReleaseImportError, match="uri longer than 500") as failure:
        import_ninjs_file(path)

    assert failure.value.field == "uri"
    assert not Release.objects.exists()


COMPOSITE_WITH_HEADLINE = {
    "uri": "urn:x:comp3",
    "type": "composite",
    "pubStatus": "usable",
    "firstCreated": "2025-04-03T10:00:00Z",
    "headlines": [{"role": "main", "value": "Third dredger arrives"}],
    "associations": [
        {
            "name": "story",
            "type": "text",
            "descriptions": [{"role": "summary", "value": "It came by sea."}],
            "bodies": [{"role": "main", "contentType": "text/html", "value": "<p>Third.</p>"}],
        }
    ],
}


def test_a_composite_with_its_own_headline_takes_the_body_of_its_text_part(tmp_path):
    release = import_ninjs_file(write(tmp_path, "c.json", COMPOSITE_WITH_HEADLINE)).created[0]

    assert release.headline == "Third dredger arrives"
    assert release.body == "<p>Third.</p>"
    assert release.summary == "It came by sea."
    assert any("text part “story”" in w for w in release.import_warnings)


def test_a_1x_composite_with_its_own_headline_takes_the_body_of_its_text_part(tmp_path):
    item = {
        "guid": "urn:x:comp1",
        "type": "composite",
        "headline": "Fourth dredger arrives",
        "description_text": "Its own summary.",
        "associations": {"story": {"type": "text", "body_html": "<p>Fourth.</p>"}},
    }

    release = import_ninjs_file(write(tmp_path, "c.json", item)).created[0]

    assert (release.headline, release.body) == ("Fourth dredger arrives", "<p>Fourth.</p>")
    assert release.summary == "Its own summary."  # the composite's own is kept


def test_a_composite_without_any_text_imports_with_a_warning(tmp_path):
    item = {**COMPOSITE_WITH_HEADLINE, "associations": [{"name": "pic", "type": "picture"}]}

    release = import_ninjs_file(write(tmp_path, "c.json", item)).created[0]

    assert release.body == ""
    assert any("the composite has no text" in w for w in release.import_warnings)


@pytest.mark.parametrize(
    ("slugline", "slug"),
    [
        ("Fähre-Tarif ø ß", "fahre-tarif-o-ss"),
        ("Łódź Æble Þing œuvre", "lodz-aeble-thing-oeuvre"),
        ("Straße Đakovo ıspanak", "strasse-dakovo-ispanak"),
    ],
)
def test_a_slugline_keeps_letters_without_accents_spelled_out(tmp_path, slugline, slug):
    item = {"uri": f"urn:s:{slug}", "headline": "Ferry fares", "slugline": slugline}

    release = import_ninjs_file(write(tmp_path, "s.json", item)).created[0]

    assert release.slug == slug
    assert not any("slug" in w for w in release.import_warnings)


@pytest.mark.parametrize(
    ("slugline", "slug"),
    [
        ("Φέρι τιμές", "feri-times"),
        ("Паром тарифы", "parom-tarify"),
        ("渡轮票价", "du-lun-piao-jia"),
        ("Ferry Паром", "ferry-parom"),
    ],
)
def test_a_slugline_in_another_script_is_spelled_in_latin_letters_with_a_warning(
    tmp_path, client, slugline, slug
):
    # Deliberately changed: these sluglines gave the headline's slug before anyascii.
    item = {
        "uri": "urn:s:other",
        "headline": "Fähre fares rise",
        "slugline": slugline,
        "firstCreated": "2025-04-03T10:00:00Z",
    }

    release = import_ninjs_file(write(tmp_path, "s.json", item)).created[0]

    assert release.slug == slug
    assert f"the slug “{slug}” spells “{slugline}” in Latin letters" in release.import_warnings
    assert client.get(release.get_absolute_url()).status_code == 200


def test_the_json_importer_spells_out_the_headlines_letters(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"headline": "Øresund ferry: Straße closed"}]))

    (release,) = import_json_file(path).created

    assert release.slug == "oresund-ferry-strasse-closed"
