"""ninjs values read as agencies write them: bylines, Superdesk's own properties, a
numeric uri, a language that is not a BCP 47 tag, NITF media and taglines; and the
command's count of files not imported."""

import pytest
from django.core.management import CommandError, call_command

from releases.importers import ReleaseImportError
from releases.importers.ninjs import import_ninjs_file
from releases.importers.ninjs.parties import read_byline
from releases.models import Author, Organization, Release
from tests.factories import AuthorFactory
from tests.test_import_ninjs import item, write

pytestmark = pytest.mark.django_db

# The tester's 1.x AP item (tmp/break_ninjs/inputs/01_ap_1x.json), reduced.
AP_1X = {
    "guid": "urn:publicid:ap.example:0a1b2c",
    "type": "text",
    "versioncreated": "2025-04-01T12:00:00Z",
    "pubstatus": "usable",
    "language": "en",
    "headline": "Governor signs water bill",
    "byline": "By JANE PLAINS, Associated Press",
    "body_html": "<p>SACRAMENTO, Calif. (AP) — The governor signed the bill.</p>",
}


@pytest.mark.parametrize(
    ("by", "name", "agency", "others"),
    [
        ("By JANE PLAINS, Associated Press", "Jane Plains", "Associated Press", []),
        ("BY JANE PLAINS / AP", "Jane Plains", "AP", []),
        ("Jane Plains and John Doe, Reuters", "Jane Plains", "Reuters", ["John Doe"]),
        ("Von Anna Schmidt, dpa", "Anna Schmidt", "dpa", []),
        (
            "Par Jean-Pierre Dupont et Marie Curie / AFP",
            "Jean-Pierre Dupont",
            "AFP",
            ["Marie Curie"],
        ),
        ("Por María López y José Ruiz, EFE", "María López", "EFE", ["José Ruiz"]),
        ("BY: SEÁN O'BRIEN", "Seán O'Brien", "", []),
        ("By AP", "AP", "", []),
    ],
)
def test_a_byline_is_read_as_agencies_write_it(by, name, agency, others):
    byline = read_byline(by)

    assert (byline.name, byline.agency, byline.others) == (name, agency, others)
    assert byline.read_as.startswith(f"the byline “{by}” is read as author “{name}”")


@pytest.mark.parametrize("by", ["Sally Desk", "Byron Vale", "Porter Dane", "Anna von Trapp"])
def test_a_plain_name_is_the_author_as_written_without_a_warning(by):
    byline = read_byline(by)

    assert (byline.name, byline.agency, byline.others, byline.read_as) == (by, "", [], "")


def test_the_ap_byline_gives_the_author_and_the_agency_as_the_authors_organization(tmp_path):
    (release,) = import_ninjs_file(write(tmp_path, "01.json", AP_1X)).created

    assert release.author.name == "Jane Plains"
    assert release.author.organization.name == "Associated Press"
    assert not release.organizations.exists()  # the agency is not the issuer
    assert (
        "the byline “By JANE PLAINS, Associated Press” is read as author “Jane Plains” of "
        "“Associated Press” (the author's organization when new)"
    ) in release.import_warnings


def test_two_names_in_a_byline_give_the_first_and_name_the_other(tmp_path):
    data = item(by="Jane Plains and John Doe, Reuters")

    (release,) = import_ninjs_file(write(tmp_path, "r.json", data)).created

    assert release.author.name == "Jane Plains"
    assert not Author.objects.filter(name="John Doe").exists()
    assert any(
        "“John Doe” not taken (a release has one author)" in w for w in release.import_warnings
    )


def test_a_byline_agency_reuses_an_organization_of_that_name(tmp_path):
    dpa = Organization.objects.create(name="DPA")

    (release,) = import_ninjs_file(
        write(tmp_path, "d.json", item(by="Von Anna Schmidt, dpa"))
    ).created

    assert release.author.name == "Anna Schmidt"
    assert release.author.organization == dpa
    assert Organization.objects.count() == 1


def test_an_existing_author_keeps_its_organization(tmp_path):
    known = AuthorFactory(name="Jane Plains", organization=None)

    (release,) = import_ninjs_file(write(tmp_path, "a.json", AP_1X)).created

    assert release.author == known
    known.refresh_from_db()
    assert known.organization is None


def test_reimporting_a_byline_item_changes_nothing(tmp_path):
    path = write(tmp_path, "01.json", AP_1X)
    import_ninjs_file(path)

    again = import_ninjs_file(path)

    assert again.created == again.updated == []
    assert (Author.objects.count(), Organization.objects.count()) == (1, 1)


# Superdesk's own properties (tmp/break_ninjs/inputs/20_superdesk.json) and two more.
@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("priority", 5, "not taken: priority 5"),
        ("service", [{"name": "Domestic", "code": "a"}], "not taken: service [{'name': 'Domestic'"),
        ("extra", {"x": 1}, "not taken: extra {'x': 1}"),
        ("keywords", ["ferry", "port"], "not taken: keywords ['ferry', 'port']"),
        ("signal", [{"name": "Warning"}], "not taken: signal [{'name': 'Warning'}]"),
    ],
)
def test_superdesk_properties_are_listed_as_not_taken(tmp_path, key, value, shown):
    (release,) = import_ninjs_file(write(tmp_path, "sd.json", item(**{key: value}))).created

    assert any(w.startswith(shown) for w in release.import_warnings)


@pytest.mark.parametrize("uri", [12345, 0, 987654321012])
def test_a_numeric_uri_is_read_as_its_digits_with_a_warning(tmp_path, uri):
    path = write(tmp_path, "n.json", item(uri=uri))

    (release,) = import_ninjs_file(path).created
    again = import_ninjs_file(path)

    assert release.ninjs_uri == str(uri)
    assert f"the uri {uri} is a number, not a string: read as “{uri}”" in release.import_warnings
    assert again.unchanged == [release] and Release.objects.count() == 1


@pytest.mark.parametrize("uri", [True, 1.5, ["urn:a"], {"id": 1}])
def test_a_uri_of_another_kind_is_refused_naming_the_field(tmp_path, uri):
    with pytest.raises(ReleaseImportError) as caught:
        import_ninjs_file(write(tmp_path, "u.json", item(uri=uri)))

    assert caught.value.field == "uri"
    assert "the uri must be a string" in str(caught.value)


@pytest.mark.parametrize(
    "language", ["xxxxxxxxx", "english", "en_US", "123", "de-DE-x-", "zh-Hant-TW-x-a"]
)
def test_a_language_that_is_not_a_bcp47_tag_gives_the_site_language(tmp_path, settings, language):
    settings.LANGUAGE_CODE = "en"

    (release,) = import_ninjs_file(write(tmp_path, "l.json", item(language=language))).created

    assert release.language == "en"
    assert any(
        f"the language “{language}”" in w and "the site's “en” is used" in w
        for w in release.import_warnings
    )


@pytest.mark.parametrize("language", ["de", "pt-BR", "zh-Hant", "sr-Latn-RS", "es-419", "gsw"])
def test_a_bcp47_language_is_kept(tmp_path, language):
    (release,) = import_ninjs_file(write(tmp_path, "l.json", item(language=language))).created

    assert release.language == language
    assert not any("language" in w for w in release.import_warnings)


def nitf(content: str, end: str = "") -> dict:
    value = f"<nitf><body><body.content>{content}</body.content>{end}</body></nitf>"
    return item(bodies=[{"role": "main", "contentType": "application/nitf+xml", "value": value}])


def test_nitf_media_without_caption_leaves_no_empty_figure(tmp_path):
    # The tester's 14_nitf.json: a media element with only a reference.
    data = nitf('<p>One.</p><media media-type="image"><media-reference source="x.jpg"/></media>')

    (release,) = import_ninjs_file(write(tmp_path, "n.json", data)).created

    assert release.body == "<p>One.</p>"
    assert "NITF media “x.jpg” not imported (no caption): left out" in release.import_warnings


def test_nitf_media_with_a_caption_leaves_the_caption_as_a_paragraph(tmp_path):
    data = nitf(
        '<p>One.</p><media media-type="image"><media-reference source="pier.jpg"/>'
        "<media-caption>The new pier &amp; the <em>old</em> one.</media-caption></media><p>Two.</p>"
    )

    (release,) = import_ninjs_file(write(tmp_path, "n.json", data)).created

    assert release.body == "<p>One.</p><p>The new pier &amp; the old one.</p><p>Two.</p>"
    assert "<figure" not in release.body
    assert any(
        "NITF media “pier.jpg” not imported: its caption" in w for w in release.import_warnings
    )


def test_nitf_media_of_several_kinds_all_leave_no_figure(tmp_path):
    data = nitf(
        '<media media-type="video"><media-object encoding="base64">AAAA</media-object></media>'
        '<p>Text.</p><media media-type="audio"/>'
    )

    (release,) = import_ninjs_file(write(tmp_path, "n.json", data)).created

    assert release.body == "<p>Text.</p>"
    assert sum("NITF media without a source" in w for w in release.import_warnings) == 2


@pytest.mark.parametrize(
    ("end", "last"),
    [
        ("<body.end><tagline>Reporting by X</tagline></body.end>", "<p>Reporting by X</p>"),
        (
            "<body.end><tagline>Reporting by <a href='#'>Ann Lee</a>; editing by Bo</tagline>"
            "<bibliography>Sources</bibliography></body.end>",
            "<p>Reporting by Ann Lee; editing by Bo</p>",
        ),
        (
            "<body.end><tagline>(c) 2025 &amp; more</tagline></body.end>",
            "<p>(c) 2025 &amp; more</p>",
        ),
    ],
)
def test_the_nitf_tagline_is_the_last_paragraph(tmp_path, end, last):
    (release,) = import_ninjs_file(write(tmp_path, "n.json", nitf("<p>Body.</p>", end))).created

    assert release.body == f"<p>Body.</p>{last}"


def test_the_command_counts_files_not_imported_with_the_noun_agreeing(tmp_path):
    good = write(tmp_path, "good.json", item())
    bad = write(tmp_path, "bad.json", "{not json")

    with pytest.raises(CommandError) as one_of_two:
        call_command("import_releases", str(good), str(bad), "--format", "ninjs")
    with pytest.raises(CommandError) as two_of_three:
        call_command("import_releases", str(good), str(bad), str(bad), "--format", "ninjs")
    with pytest.raises(CommandError) as one_of_one:
        call_command("import_releases", str(bad), "--format", "ninjs")

    assert str(one_of_two.value).startswith("1 of 2 files not imported: ")
    assert str(two_of_three.value).startswith("2 of 3 files not imported: ")
    assert str(one_of_one.value).startswith("1 of 1 file not imported: ")
