"""ninjs as other systems send it, and this site's own export read back over the
database it came from: whose URLs are this site's, what ninjs cannot say, values
that cannot be kept, and files that cannot be read."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from releases.exports.ninjs import release_to_ninjs
from releases.exports.reading import read_for_export
from releases.importers import ReleaseImportError
from releases.importers.ninjs import import_ninjs_file
from releases.importers.structured import import_json_file
from releases.models import Author, Contact, Organization, Release, Status
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory, image_bytes
from tests.test_import_ninjs import item, write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

BASE_URL = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NEWSROOM_BASE_URL = BASE_URL


def own_export(release: Release) -> dict:
    return release_to_ninjs(
        next(iter(read_for_export(Release.objects.filter(pk=release.pk)))), BASE_URL
    )


# -- another host's URL is not this site's --------------------------------------------


def test_another_hosts_release_url_is_a_new_release_not_the_local_one_of_that_slug(tmp_path):
    local = ReleaseFactory(headline="Harbour reopens", slug="harbour-reopens")
    wire = item(
        uri="https://wire.example/releases/harbour-reopens/",
        headlines=[{"role": "main", "value": "Wire story about something else"}],
    )

    result = import_ninjs_file(write(tmp_path, "wire.json", wire))

    assert len(result.created) == 1
    local.refresh_from_db()
    assert local.headline == "Harbour reopens"
    created = result.created[0]
    assert created.ninjs_uri == "https://wire.example/releases/harbour-reopens/"
    # Imported again: the same release by its uri.
    assert len(import_ninjs_file(tmp_path / "wire.json").unchanged) == 1


@pytest.mark.parametrize(
    "uri",
    [
        "http://news.example.org.evil.example/releases/harbour-reopens/",
        "https://wire.example:8443/releases/harbour-reopens/",
        "//wire.example/releases/harbour-reopens/",
    ],
)
def test_lookalike_hosts_do_not_match_by_slug(tmp_path, uri):
    ReleaseFactory(headline="Harbour reopens", slug="harbour-reopens")

    result = import_ninjs_file(write(tmp_path, "wire.json", item(uri=uri)))

    assert len(result.created) == 1
    assert Release.objects.count() == 2


def test_this_sites_own_release_url_still_matches_by_slug(tmp_path):
    local = ReleaseFactory(headline="Harbour reopens", slug="harbour-reopens")
    own = item(uri=f"{BASE_URL}/releases/harbour-reopens/")

    result = import_ninjs_file(write(tmp_path, "own.json", own))

    assert result.created == []
    assert result.updated == [local] or result.unchanged == [local]


def test_another_hosts_author_and_organisation_pages_are_other_people(tmp_path):
    chris = AuthorFactory(name="Chris Lee", slug="chris-lee")
    board = OrganizationFactory(name="Harbour Board", slug="hb")
    wire = item(
        people=[
            {
                "name": "Someone Else",
                "rel": "author",
                "uri": "https://wire.example/authors/chris-lee/",
            }
        ],
        organisations=[
            {"name": "Other Org", "rel": "issuer", "uri": "https://wire.example/organizations/hb/"}
        ],
    )

    import_ninjs_file(write(tmp_path, "wire.json", wire))

    release = Release.objects.get()
    assert release.author != chris
    assert release.author.name == "Someone Else"
    assert release.author.ninjs_uri == "https://wire.example/authors/chris-lee/"
    assert list(release.organizations.all()) != [board]
    assert Organization.objects.get(name="Other Org").ninjs_uri.startswith("https://wire.example")


def test_another_hosts_media_url_never_links_a_stored_file(tmp_path):
    owner = ReleaseFactory(featured_image_alt="The harbour")
    owner.featured_image.save("harbour.png", ContentFile(image_bytes((64, 64))), save=True)
    name = owner.featured_image.name
    picture = {
        "name": "featured-image",
        "type": "picture",
        "uri": f"https://evil.example/media/{name}",
        "renditions": [{"name": "original", "href": f"https://evil.example/media/{name}"}],
    }

    result = import_ninjs_file(write(tmp_path, "evil.json", item(associations=[picture])))

    release = result.created[0]
    assert not release.featured_image
    assert any("not imported" in warning for warning in result.warnings)


# -- what ninjs cannot say never overwrites a release ---------------------------------


def reimport_own_export(tmp_path, release: Release) -> tuple[Release, list[str]]:
    result = import_ninjs_file(write(tmp_path, "own.json", own_export(release)))
    return Release.objects.get(pk=release.pk), result.warnings


@pytest.mark.parametrize(
    "traits",
    [{"in_review": True}, {"draft": True}, {"scheduled": True}, {"embargoed": True}],
    ids=["in review", "draft", "scheduled", "embargoed"],
)
def test_own_export_of_a_release_that_is_not_public_reads_back_unchanged(tmp_path, traits):
    release = ReleaseFactory(**traits)
    Release.objects.filter(pk=release.pk).update(created_at=timezone.now() - timedelta(days=30))
    before = Release.objects.get(pk=release.pk)

    after, warnings = reimport_own_export(tmp_path, before)

    assert (after.status, after.published_at, after.embargoed_until) == (
        before.status,
        before.published_at,
        before.embargoed_until,
    )
    assert after.created_at == before.created_at
    assert after.updated_at == before.updated_at
    assert warnings == []


def test_own_export_of_a_withdrawn_release_keeps_its_withdrawal_time(tmp_path):
    release = ReleaseFactory(
        withdrawn=True,
        withdrawal_reason="Issued in error",
        withdrawn_at=timezone.now() - timedelta(days=3),
    )
    release.corrections.create(noted_at=timezone.now(), note="A late note")
    before = Release.objects.get(pk=release.pk)

    after, _ = reimport_own_export(tmp_path, before)

    assert after.status == Status.WITHDRAWN
    assert after.withdrawn_at == before.withdrawn_at
    assert after.updated_at == before.updated_at


def test_a_withheld_item_over_a_public_release_makes_it_a_draft_and_says_so(tmp_path):
    release = ReleaseFactory()
    data = own_export(release)
    data["pubStatus"] = "withheld"

    result = import_ninjs_file(write(tmp_path, "held.json", data))

    assert Release.objects.get(pk=release.pk).status == Status.DRAFT
    assert any("withheld" in warning for warning in result.warnings)


# -- JSON nested too deep -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"uri": "urn:x", "headlines": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"a": ' * 50_000 + "1" + "}" * 50_000,
    ],
    ids=["open arrays", "inside an item", "objects"],
)
@pytest.mark.parametrize("importer", [import_ninjs_file, import_json_file])
def test_json_nested_too_deep_is_a_located_error(tmp_path, text, importer):
    path = tmp_path / "deep.json"
    path.write_text(text)

    with pytest.raises(ReleaseImportError) as failure:
        importer(path)

    assert str(failure.value) == f"{path}, line 1: not valid JSON (nested too deep)"


def test_a_file_nested_too_deep_does_not_stop_the_next_file(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000)
    good = write(tmp_path, "good.json", item())
    stdout, stderr = io.StringIO(), io.StringIO()

    with pytest.raises(Exception, match="1 of 2 "):
        call_command(
            "import_releases",
            str(deep),
            str(good),
            "--format",
            "ninjs",
            stdout=stdout,
            stderr=stderr,
        )

    assert "line 1: not valid JSON (nested too deep)" in stderr.getvalue()
    assert Release.objects.count() == 1


def test_an_ndjson_line_nested_too_deep_names_its_line(tmp_path):
    path = tmp_path / "items.ninjs"
    path.write_text(json.dumps(item()) + "\n" + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "\n")

    with pytest.raises(ReleaseImportError, match="line 2: not valid JSON"):
        import_ninjs_file(path)

    assert Release.objects.count() == 0


# -- organisations: the uri is the identity -------------------------------------------


def test_an_organisation_of_the_same_name_and_another_uri_is_another_organisation(tmp_path):
    first = item(organisations=[{"name": "Harbour Board", "rel": "issuer", "uri": "urn:org:hb"}])
    other = item(
        uri="urn:x:other",
        organisations=[
            {"name": "Harbour Board", "rel": "issuer", "uri": "urn:org:other-harbour-board"}
        ],
    )

    import_ninjs_file(write(tmp_path, "first.json", first))
    import_ninjs_file(write(tmp_path, "other.json", other))

    assert list(Organization.objects.order_by("pk").values_list("name", "slug", "ninjs_uri")) == [
        ("Harbour Board", "harbour-board", "urn:org:hb"),
        ("Harbour Board", "harbour-board-2", "urn:org:other-harbour-board"),
    ]
    issuer = Release.objects.get(ninjs_uri="urn:x:other").organizations.get()
    assert issuer.ninjs_uri == "urn:org:other-harbour-board"


def test_issuer_and_co_issuer_of_one_name_and_two_uris_are_two_organisations(tmp_path):
    data = item(
        organisations=[
            {"name": "Harbour Board", "rel": "issuer", "uri": "urn:org:hb"},
            {"name": "Harbour Board", "rel": "co-issuer", "uri": "urn:org:hb2"},
        ]
    )

    import_ninjs_file(write(tmp_path, "both.json", data))

    assert Release.objects.get().organizations.count() == 2


def test_two_agencies_organisations_of_one_name_stay_apart_and_each_is_found_again(tmp_path):
    items = [
        item(uri=f"urn:x:{n}", organisations=[{"name": "City Council", "uri": f"urn:org:{n}"}])
        for n in (1, 2, 1)
    ]

    import_ninjs_file(write(tmp_path, "councils.json", items[:2]))
    import_ninjs_file(write(tmp_path, "again.json", items[2:]))

    assert sorted(Organization.objects.values_list("ninjs_uri", flat=True)) == [
        "urn:org:1",
        "urn:org:2",
    ]


def test_an_organisation_of_the_same_name_without_a_uri_is_the_local_one(tmp_path):
    local = OrganizationFactory(name="Harbour Board")

    import_ninjs_file(
        write(tmp_path, "plain.json", item(organisations=[{"name": "Harbour Board"}]))
    )

    assert Release.objects.get().organizations.get() == local


# -- one bad contact value never refuses the file -------------------------------------


def test_invalid_contact_values_are_left_out_with_a_warning_naming_their_entry(tmp_path):
    data = item(
        organisations=[
            {
                "name": "Bad Email Org",
                "contactInfo": [
                    {"type": "web", "value": "not a url"},
                    {"type": "email", "name": "Jo", "value": "not-an-email"},
                    {"type": "phone", "name": "Jo", "value": "12"},
                    {"type": "email", "name": "N" * 300, "value": "n@example.org"},
                ],
            }
        ]
    )

    result = import_ninjs_file(write(tmp_path, "bad.json", data))

    assert len(result.created) == 1
    text = "\n".join(result.warnings)
    assert "organisations[0]: the website “not a url” is not a valid URL" in text
    assert "organisations[0].contactInfo[1]: “not-an-email” is not a valid e-mail" in text
    assert "organisations[0].contactInfo[2]: “12” is not a phone number" in text
    assert "organisations[0].contactInfo[3].name was cut to 200 characters" in text
    assert Organization.objects.get().website == ""
    assert sorted(Contact.objects.values_list("email", flat=True)) == ["", "n@example.org"]


def test_an_over_long_organisation_name_is_cut_with_a_warning(tmp_path):
    data = item(organisations=[{"name": "Board " * 60}])

    result = import_ninjs_file(write(tmp_path, "long.json", data))

    assert len(Organization.objects.get().name) <= 200
    assert any("organisations[0].name was cut" in warning for warning in result.warnings)


def test_a_contact_name_that_is_a_number_is_read_as_text(tmp_path):
    data = item(
        organisations=[
            {
                "name": "Ints Ltd",
                "contactInfo": [
                    {"type": "email", "name": 123, "role": ["x"], "value": "a@b.example"}
                ],
            }
        ]
    )

    result = import_ninjs_file(write(tmp_path, "ints.json", data))

    assert Contact.objects.get().name == "123"
    assert any("contactInfo[0].role" in warning for warning in result.warnings)


def test_an_over_long_author_name_is_cut_with_a_warning(tmp_path):
    data = item(people=[{"name": "x" * 300, "rel": "author"}])

    result = import_ninjs_file(write(tmp_path, "author.json", data))

    assert len(Author.objects.get().name) == 200
    assert any("people[0].name was cut" in warning for warning in result.warnings)


def test_what_must_be_refused_names_its_own_entry(tmp_path):
    data = item(organisations=[{"name": "Fine"}, {"name": "  ", "rel": "issuer"}])

    with pytest.raises(ReleaseImportError) as failure:
        import_ninjs_file(write(tmp_path, "refused.json", data))

    assert failure.value.field == "organisations[1].name"


# -- files, corrections, headlines ----------------------------------------------------


def test_attachments_of_the_same_bytes_under_other_names_are_all_kept(tmp_path):
    (tmp_path / "files").mkdir()
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (tmp_path / "files" / name).write_bytes(b"%PDF-1.4 same bytes")
    associations = [
        {
            "name": f"attachment-{n}",
            "rel": "attachment",
            "type": "text",
            "title": title,
            "renditions": [{"name": "original", "href": f"files/{name}"}],
        }
        for n, (title, name) in enumerate(
            [("English fact sheet", "a.pdf"), ("Copy for print", "b.pdf"), ("Copy", "a.pdf")], 1
        )
    ]
    path = write(tmp_path, "kit.json", item(associations=associations))

    import_ninjs_file(path)
    again = import_ninjs_file(path)

    titles = Release.objects.get().attachments.order_by("position").values_list("title", flat=True)
    assert list(titles) == ["English fact sheet", "Copy for print", "Copy"]
    assert len(again.unchanged) == 1


def test_an_agency_correction_is_noted_at_the_items_version_with_a_warning(tmp_path):
    data = item(
        descriptions=[{"role": "correction", "value": "Corrects spelling of name in 3rd para."}]
    )
    path = write(tmp_path, "corr.json", data)

    result = import_ninjs_file(path)

    correction = Release.objects.get().corrections.get()
    assert correction.note == "Corrects spelling of name in 3rd para."
    assert correction.noted_at.isoformat() == "2025-03-10T08:15:00+00:00"
    assert any("has no date" in warning for warning in result.warnings)
    assert len(import_ninjs_file(path).unchanged) == 1


def test_a_correction_in_our_own_form_is_read_at_noon_of_its_day(tmp_path):
    data = item(descriptions=[{"role": "correction", "value": "Updated 9 March 2025: Fixed."}])

    result = import_ninjs_file(write(tmp_path, "ours.json", data))

    assert Release.objects.get().corrections.get().note == "Fixed."
    assert result.warnings == []


@pytest.mark.parametrize(
    ("version", "written", "noted_at"),
    [
        # Noted before noon on the day of the item's last change: that change.
        ("2025-03-10T08:15:00Z", "10 March 2025", "2025-03-10T08:15:00+00:00"),
        ("2025-03-10T00:00:01Z", "10 March 2025", "2025-03-10T00:00:01+00:00"),
        # After noon that day, or on an earlier day: noon of its day.
        ("2025-03-10T18:40:00Z", "10 March 2025", "2025-03-10T12:00:00+00:00"),
        ("2025-03-10T08:15:00Z", "9 March 2025", "2025-03-09T12:00:00+00:00"),
    ],
)
def test_a_correction_of_our_own_form_is_never_later_than_the_items_version(
    tmp_path, version, written, noted_at
):
    data = item(
        versionCreated=version,
        descriptions=[{"role": "correction", "value": f"Updated {written}: Fixed."}],
    )

    import_ninjs_file(write(tmp_path, "ours.json", data))

    assert Release.objects.get().corrections.get().noted_at.isoformat() == noted_at


def test_a_headline_cut_to_its_length_gets_one_warning(tmp_path):
    data = item(headlines=[{"role": "main", "value": "H" * 400}])

    result = import_ninjs_file(write(tmp_path, "long.json", data))

    assert [w for w in result.warnings if "headline" in w] == [
        w for w in result.warnings if "was cut to 255" in w
    ]
    assert len([w for w in result.warnings if "headline" in w]) == 1
