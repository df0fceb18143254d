"""``manage.py import_releases --format json|ninjs``: what comes in, what is refused,
and that a bad file leaves nothing behind while the others are imported."""

import io
import json
import re
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from releases.importers import ReleaseImportError
from releases.importers.ninjs import import_ninjs_file
from releases.importers.structured import import_json_file
from releases.models import Author, Contact, Organization, Release, Status
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

MARCH = "2024-03-12T09:30:00Z"


def release_data(**overrides) -> dict:
    data = {
        "slug": "clinics-open",
        "headline": "Clinics open",
        "summary": "Twelve clinics.",
        "body": "<p>Body.</p>",
        "status": "published",
        "published_at": MARCH,
        "author": {"name": "Ada Reporter", "slug": "ada", "bio": "Ada writes."},
        "organizations": [{"name": "Zeta Trust", "short_name": "ZT"}, {"name": "Alpha"}],
        "contacts": [
            {
                "name": "Jane Roe",
                "role": "Press",
                "organization": "Zeta Trust",
                "email": "jane@example.org",
                "phone": "+41 22 791 22 22",
            }
        ],
        "tags": ["Health"],
        "corrections": [{"noted_at": "2024-03-13T10:00:00Z", "note": "Fixed."}],
    }
    data.update(overrides)
    return data


def ninjs_item(**overrides) -> dict:
    item = {
        "uri": "urn:example:release:1",
        "type": "text",
        "pubStatus": "usable",
        "versionCreated": "2024-03-12T10:00:00Z",
        "firstCreated": MARCH,
        "headlines": [{"role": "main", "value": "Clinics open"}],
        "bodies": [{"role": "main", "contentType": "text/html", "value": "<p>Body.</p>"}],
    }
    item.update(overrides)
    return item


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    return str(path)


def item_lines(path) -> list[int]:
    """The lines on which the items of an indented JSON array start."""
    with open(path) as file:
        return [number for number, line in enumerate(file, 1) if line == "  {\n"]


def run(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_releases", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def run_failing(*args) -> tuple[str, str, CommandError]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_releases", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue(), failure.value


# -- JSON --------------------------------------------------------------------------------


def test_json_release_comes_in_with_its_people_in_order(tmp_path):
    path = write(tmp_path, "one.json", [release_data()])

    stdout, _ = run(path, "--format", "json")

    release = Release.objects.get(slug="clinics-open")
    assert "1 created" in stdout
    assert release.status == Status.PUBLISHED
    assert release.published_at == datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
    assert release.author.name == "Ada Reporter"
    assert [o.name for o in release.organizations.order_by("releaseorganization__position")] == [
        "Zeta Trust",
        "Alpha",
    ]
    contact = release.contacts.get()
    assert (contact.organization.name, str(contact.phone)) == ("Zeta Trust", "+41227912222")
    assert [t.name for t in release.tags.all()] == ["Health"]
    assert release.corrections.get().note == "Fixed."


def test_existing_organizations_authors_and_contacts_are_linked_not_duplicated(tmp_path):
    zeta = OrganizationFactory(name="Zeta Trust", boilerplate="Our own words.")
    path = write(tmp_path, "one.json", [release_data(slug="a"), release_data(slug="b")])

    run(path, "--format", "json")

    assert Organization.objects.filter(name="Zeta Trust").get() == zeta
    assert Organization.objects.get(name="Zeta Trust").boilerplate == "<p>Our own words.</p>"
    assert Author.objects.count() == 1
    assert Contact.objects.count() == 1
    assert Release.objects.count() == 2


def test_reimporting_the_same_file_does_not_duplicate(tmp_path):
    path = write(tmp_path, "one.json", [release_data()])
    run(path, "--format", "json")
    updated_at = Release.objects.get().updated_at

    stdout, _ = run(path, "--format", "json")

    assert "0 created, 0 updated, 1 unchanged" in stdout
    assert Release.objects.count() == 1
    assert Contact.objects.count() == 1
    assert Release.objects.get().updated_at == updated_at


def test_people_and_organizations_without_a_slug_are_never_merged(tmp_path):
    path = write(
        tmp_path,
        "releases.json",
        [
            release_data(
                slug=f"item-{n}",
                headline=f"Item {n}",
                author={"name": f"Author {n}"},
                organizations=[{"name": f"Issuer {n}"}],
                contacts=[],
            )
            for n in (1, 2, 3)
        ],
    )
    import_json_file(path)

    for n in (1, 2, 3):
        release = Release.objects.get(slug=f"item-{n}")
        assert release.author.name == f"Author {n}"
        assert release.issuer.name == f"Issuer {n}"
    slugs = {*Author.objects.values_list("slug", flat=True)}
    slugs |= {*Organization.objects.values_list("slug", flat=True)}
    assert not any("missing" in slug.lower() for slug in slugs), slugs


def test_items_without_a_slug_are_matched_by_their_headline(tmp_path):
    data = release_data()
    del data["slug"]
    path = write(tmp_path, "one.json", [data])
    run(path, "--format", "json")

    run(path, "--format", "json")

    assert list(Release.objects.values_list("slug", flat=True)) == ["clinics-open"]


def test_left_out_keys_leave_the_release_as_it_is(tmp_path):
    run(write(tmp_path, "full.json", [release_data()]), "--format", "json")

    run(
        write(tmp_path, "partial.json", {"slug": "clinics-open", "headline": "New headline"}),
        "--format",
        "json",
    )

    release = Release.objects.get()
    assert release.headline == "New headline"
    assert release.summary == "Twelve clinics."
    assert release.corrections.count() == 1
    assert release.contacts.count() == 1


def test_invalid_json_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "broken.json", '[\n  {"headline": "A"},\n  {"headline": "B",,}\n]\n')

    _, stderr, error = run_failing(path, "--format", "json")

    assert f"{path}, line 3: not valid JSON" in stderr
    assert "1 of 1 file not imported" in str(error)
    assert Release.objects.count() == 0


def test_ndjson_errors_name_the_line_of_the_item(tmp_path):
    lines = [json.dumps(release_data(slug=f"r{i}")) for i in range(3)]
    lines[2] = json.dumps(release_data(slug="r2", headline=""))
    path = write(tmp_path, "releases.ndjson", "\n".join(lines) + "\n")

    _, stderr, _ = run_failing(path, "--format", "json")

    assert f'{path}, line 3, field "headline": this field cannot be empty' in stderr
    assert Release.objects.count() == 0  # the two good lines went too


def test_missing_headline_is_reported_with_the_field(tmp_path):
    data = release_data()
    del data["headline"]
    path = write(tmp_path, "one.json", [release_data(slug="good"), data])

    _, stderr, _ = run_failing(path, "--format", "json")

    line = item_lines(path)[1]
    assert f'{path}, line {line}, field "headline": this field is required' in stderr
    assert Release.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"status": "live"}, "status"),
        ({"published_at": "12 March 2024"}, "published_at"),
        ({"published_at": "2024-03-12T09:30:00"}, "published_at"),
        ({"status": "published", "published_at": None}, "published_at"),
        ({"slug": "not a slug"}, "slug"),
        ({"tags": "Health"}, "tags"),
        ({"author": "Ada"}, "author"),
        ({"contacts": [{"name": "Jane", "phone": "not a number"}]}, "contacts[0].phone"),
        ({"contacts": [{"name": "Jane", "email": "jane-at-example"}]}, "contacts[0].email"),
        ({"organizations": [{"short_name": "ZT"}]}, "organizations[0].name"),
        ({"corrections": [{"note": "x"}]}, "corrections[0].noted_at"),
    ],
)
def test_invalid_values_name_their_field_and_leave_nothing(tmp_path, overrides, field):
    path = write(tmp_path, "one.json", [release_data(**overrides)])

    with pytest.raises(ReleaseImportError) as failure:
        import_json_file(path)

    assert failure.value.field == field
    assert failure.value.line == 2
    assert Release.objects.count() == 0
    assert Organization.objects.count() == 0


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    first = write(tmp_path, "first.json", [release_data(slug="first")])
    bad = write(tmp_path, "bad.json", [release_data(slug="bad"), release_data(status="nope")])
    missing = str(tmp_path / "missing.json")
    last = write(tmp_path, "last.json", [release_data(slug="last")])

    stdout, stderr, error = run_failing(first, bad, missing, last, "--format", "json")

    assert sorted(Release.objects.values_list("slug", flat=True)) == ["first", "last"]
    line = item_lines(bad)[1]
    assert f'{bad}, line {line}, field "status": unknown status “nope”' in stderr
    assert f"{missing}: cannot read the file" in stderr
    assert f"{first}: 1 created" in stdout
    assert f"{last}: 1 created" in stdout
    assert str(error) == f"2 of 4 files not imported: {bad}, {missing}"


def test_a_failing_import_exits_non_zero_from_the_shell(tmp_path):
    from django.core.management import ManagementUtility

    path = write(tmp_path, "bad.json", "{")
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "import_releases", path, "--format", "json"]).execute()
    assert exit_.value.code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "line 1: the file is empty"),
        ("[1]", "line 1: expected an object (a release), not a number"),
        ('[{"headline": "A"}] x', "line 1: not valid JSON: text after the array"),
        ('[{"headline": "A"} {"headline": "B"}]', "line 1: not valid JSON: expected “,” or “]”"),
    ],
)
def test_malformed_files_are_reported(tmp_path, content, message):
    path = write(tmp_path, "x.json", content)
    with pytest.raises(ReleaseImportError, match=re.escape(message)):
        import_json_file(path)


def test_not_utf8_is_reported_with_the_line(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('[\n{"headline": "Caf\xe9"}]'.encode("latin-1"))
    with pytest.raises(ReleaseImportError, match="line 2: not UTF-8"):
        import_json_file(path)


# -- ninjs -------------------------------------------------------------------------------


def test_usable_ninjs_with_a_past_time_is_published_then(tmp_path):
    path = write(tmp_path, "item.json", ninjs_item())

    import_ninjs_file(path)

    release = Release.objects.get()
    assert release.status == Status.PUBLISHED
    assert release.published_at == datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
    assert release.is_published
    assert release.slug == "clinics-open"


def test_usable_ninjs_without_first_created_is_published_at_version_created(tmp_path):
    item = ninjs_item()
    del item["firstCreated"]
    import_ninjs_file(write(tmp_path, "item.json", item))

    assert Release.objects.get().published_at == datetime(2024, 3, 12, 10, 0, tzinfo=UTC)


def test_withheld_ninjs_is_a_draft(tmp_path):
    import_ninjs_file(write(tmp_path, "item.json", ninjs_item(pubStatus="withheld")))

    release = Release.objects.get()
    assert release.status == Status.DRAFT
    assert release.published_at is None


def test_canceled_ninjs_is_withdrawn_with_the_reason(tmp_path):
    import_ninjs_file(
        write(tmp_path, "item.json", ninjs_item(pubStatus="canceled", edNote="Wrong figures."))
    )

    release = Release.objects.get()
    assert release.status == Status.WITHDRAWN
    assert release.withdrawn_at == datetime(2024, 3, 12, 10, 0, tzinfo=UTC)
    assert release.withdrawal_reason == "Wrong figures."


def test_unknown_pub_status_is_refused_with_the_field(tmp_path):
    path = write(tmp_path, "items.json", [ninjs_item(), ninjs_item(pubStatus="published")])

    _, stderr, _ = run_failing(path, "--format", "ninjs")

    line = item_lines(path)[1]
    assert f'{path}, line {line}, field "pubStatus": unknown pubStatus “published”' in stderr
    assert Release.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"headlines": []}, "headlines"),
        ({"headlines": "Clinics"}, "headlines"),
        ({"type": "picture"}, "type"),
        ({"firstCreated": "yesterday"}, "firstCreated"),
        ({"embargoedUntil": "2024-03-01T00:00:00Z"}, "embargoedUntil"),
        ({"organisations": [{"rel": "issuer"}]}, "organisations[0].name"),
    ],
)
def test_bad_ninjs_fields_are_named(tmp_path, overrides, field):
    with pytest.raises(ReleaseImportError) as failure:
        import_ninjs_file(write(tmp_path, "item.json", ninjs_item(**overrides)))
    assert failure.value.field == field
    assert Release.objects.count() == 0


def test_ninjs_from_another_provider_is_read(tmp_path):
    item = {
        "uri": "http://wire.example.com/2024/item-77",
        "headlines": [{"value": "Port reopens"}],
        "descriptions": [{"role": "summary", "value": "Ships sail again."}],
        "bodies": [{"contentType": "text/plain", "value": "First <para>.\n\nSecond para."}],
        "by": "Wire Staff",
        "located": "Rotterdam",
        "language": "nl",
        "subjects": [{"name": "Shipping"}, {"uri": "http://cv.iptc.org/newscodes/x"}],
        "organisations": [
            {
                "name": "Port Authority",
                "contactInfo": [
                    {"type": "email", "name": "Piet", "value": "mailto:piet@port.example"},
                    {"type": "mobile", "name": "Piet", "value": "tel:+31612345678"},
                ],
            }
        ],
    }

    import_ninjs_file(write(tmp_path, "wire.json", item))

    release = Release.objects.get()
    assert (release.headline, release.summary, release.dateline, release.language) == (
        "Port reopens",
        "Ships sail again.",
        "Rotterdam",
        "nl",
    )
    assert release.body == "<p>First &lt;para&gt;.</p>\n<p>Second para.</p>"
    assert release.author.name == "Wire Staff"
    assert [t.name for t in release.tags.all()] == ["Shipping"]
    contact = release.contacts.get()
    assert (contact.name, contact.email, str(contact.phone)) == (
        "Piet",
        "piet@port.example",
        "+31612345678",
    )
    assert contact.organization == release.organizations.get()


def test_reimporting_ninjs_does_not_duplicate(tmp_path):
    path = write(tmp_path, "item.json", ninjs_item())
    import_ninjs_file(path)

    result = import_ninjs_file(path)

    assert (len(result.created), len(result.unchanged)) == (0, 1)
    assert Release.objects.count() == 1


# -- text --------------------------------------------------------------------------------


def test_text_format_goes_to_the_text_importer(tmp_path, monkeypatch):
    from releases.importers import ImportResult, text

    seen = []

    def fake_import(path, **kwargs):
        seen.append(str(path))
        return ImportResult(path=str(path), warnings=["dropped a lone image file name"])

    monkeypatch.setattr(text, "import_text_file", fake_import)
    path = write(tmp_path, "release.txt", "Headline\n\nBody.\n")

    stdout, _ = run(path, "--format", "text")

    assert seen == [path]
    assert f"{path}: 0 created" in stdout
    assert "  check: dropped a lone image file name" in stdout


def test_text_import_errors_are_reported_like_the_others(tmp_path, monkeypatch):
    from releases.importers import text

    def failing_import(path, **kwargs):
        Organization.objects.create(name="Half-imported")
        raise ReleaseImportError("no headline", path=path, line=1)

    monkeypatch.setattr(text, "import_text_file", failing_import)
    path = write(tmp_path, "release.txt", "\n")

    _, stderr, _ = run_failing(path, "--format", "text")

    assert f"{path}, line 1: no headline" in stderr
    assert not Organization.objects.filter(name="Half-imported").exists()
