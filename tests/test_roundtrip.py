"""Export → import into an empty database → export again gives the same bytes."""

import hashlib
import io
import json
import shutil
import zipfile
from datetime import timedelta

import jsonschema
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from releases.models import (
    Attachment,
    Author,
    Contact,
    Correction,
    Organization,
    Release,
    ReleaseSlug,
)
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    image_bytes,
)
from tests.test_exports import NINJS_SCHEMA, build_newsroom

pytestmark = pytest.mark.django_db

BASE_URL = "https://news.example.org"


@pytest.fixture(autouse=True)
def _this_site_is_the_exports_base(settings):
    # Only URLs on this site's own base are its releases and files (the importers
    # match nothing else by slug or /media/ path): the exports here are of this site.
    settings.NEWSROOM_BASE_URL = BASE_URL


def export(format_name: str) -> str:
    stdout = io.StringIO()
    call_command(
        "export_releases",
        "--format",
        format_name,
        "--status",
        "all",
        "--base-url",
        BASE_URL,
        stdout=stdout,
    )
    return stdout.getvalue()


def import_file(path, format_name: str) -> str:
    stdout = io.StringIO()
    call_command("import_releases", str(path), "--format", format_name, stdout=stdout)
    return stdout.getvalue()


def empty_the_database() -> None:
    Release.objects.all().delete()
    ReleaseSlug.objects.all().delete()
    Contact.objects.all().delete()
    Author.objects.all().delete()
    Organization.objects.all().delete()
    Tag.objects.all().delete()


def test_json_round_trip_is_byte_identical(tmp_path):
    build_newsroom()
    first = export("json")
    path = tmp_path / "releases.json"
    path.write_text(first, encoding="utf-8")

    empty_the_database()
    import_file(path, "json")

    assert export("json") == first


def test_ndjson_round_trip_is_byte_identical(tmp_path):
    build_newsroom()
    first = export("ndjson")
    path = tmp_path / "releases.ndjson"
    path.write_text(first, encoding="utf-8")

    empty_the_database()
    import_file(path, "json")

    assert export("ndjson") == first


def test_ninjs_round_trip_is_byte_identical(tmp_path):
    """ninjs → import → ninjs gives the same bytes. The first export may list items in
    another order than the second: scheduled and embargoed releases (withheld) come
    back as drafts, which an export lists first."""
    build_newsroom()
    original = export("ninjs")
    path = tmp_path / "original.ninjs.json"
    path.write_text(original, encoding="utf-8")
    empty_the_database()
    import_file(path, "ninjs")
    first = export("ninjs")
    path = tmp_path / "first.ninjs.json"
    path.write_text(first, encoding="utf-8")

    empty_the_database()
    import_file(path, "ninjs")

    assert export("ninjs") == first
    by_uri = lambda items: sorted(items, key=lambda item: item["uri"])  # noqa: E731
    assert by_uri(json.loads(first)) == by_uri(json.loads(original))


def test_ninjs_round_trip_keeps_what_ninjs_carries(tmp_path):
    """The parts ninjs has no place for (docs/export-formats.md) come back empty."""
    releases = build_newsroom()
    public = releases["public"]
    corrections = [(c.noted_at.date(), c.note) for c in public.corrections.all()]
    path = tmp_path / "releases.ninjs.json"
    path.write_text(export("ninjs"), encoding="utf-8")

    empty_the_database()
    import_file(path, "ninjs")

    imported = Release.objects.get(slug=public.slug)
    assert imported.headline == public.headline
    assert imported.published_at == public.published_at
    assert list(imported.organizations.order_by("releaseorganization__position")) == list(
        Organization.objects.filter(name__in=["Zeta Health Trust", "Alpha Foundation"]).order_by(
            "-name"
        )
    )
    # ninjs carries each correction's day and note, not its time (noon of that day).
    assert corrections
    assert [(c.noted_at.date(), c.note) for c in imported.corrections.all()] == corrections
    assert imported.author.bio == ""
    assert Organization.objects.get(name="Zeta Health Trust").boilerplate == ""
    assert Organization.objects.get(name="Zeta Health Trust").location == "Geneva, Switzerland"


def test_importing_an_export_again_changes_nothing(tmp_path):
    build_newsroom()
    first = export("json")
    path = tmp_path / "releases.json"
    path.write_text(first, encoding="utf-8")
    counts = [m.objects.count() for m in (Release, Organization, Author, Contact, Tag)]

    report = import_file(path, "json")

    assert "0 created, 0 updated, 6 unchanged" in report
    assert [m.objects.count() for m in (Release, Organization, Author, Contact, Tag)] == counts
    assert export("json") == first


def test_importing_an_older_export_brings_a_release_back_to_it(tmp_path):
    release = ReleaseFactory(headline="The original headline", tags=["one"])
    path = tmp_path / "releases.json"
    path.write_text(export("json"), encoding="utf-8")
    release.headline = "Edited since"
    release.save()
    release.tags.set(["two"])

    report = import_file(path, "json")

    assert "0 created, 1 updated, 0 unchanged" in report
    release.refresh_from_db()
    assert release.headline == "The original headline"
    assert [tag.name for tag in release.tags.all()] == ["one"]


def test_ids_taken_by_other_releases_are_not_reused(tmp_path):
    release = ReleaseFactory(slug="first-release")
    path = tmp_path / "releases.json"
    path.write_text(export("json"), encoding="utf-8")
    taken_id = release.pk
    release.delete()
    other = ReleaseFactory(pk=taken_id, slug="another-release")

    import_file(path, "json")

    imported = Release.objects.get(slug="first-release")
    assert imported.pk != other.pk
    # New releases still get fresh ids after those the import chose.
    assert ReleaseFactory().pk > max(imported.pk, other.pk)


def test_import_keeps_free_ids_and_later_releases_get_new_ones(tmp_path):
    release = ReleaseFactory(slug="first-release")
    release_id = release.pk
    path = tmp_path / "releases.json"
    path.write_text(export("json"), encoding="utf-8")
    empty_the_database()

    import_file(path, "json")

    assert Release.objects.get(slug="first-release").pk == release_id
    assert ReleaseFactory().pk > release_id


# -- with files: a bundle --------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build_release_with_files() -> Release:
    """A release with everything, files included: a featured image, an image and a PDF
    in its media kit, two corrections."""
    release = ReleaseFactory(
        headline="Night buses run all week",
        author=AuthorFactory(name="Ada Reporter", bio="Ada covers transport."),
        organizations=[OrganizationFactory(name="City Transit"), OrganizationFactory()],
        contacts=[ContactFactory(name="Jane Roe"), ContactFactory(name="Omar Diallo")],
        tags=["Transport", "Night"],
        featured_image=ContentFile(image_bytes((640, 400)), name="night-bus.jpg"),
        featured_image_alt="A bus at night",
        featured_image_caption="Line 12 at midnight.",
        featured_image_credit="Photo: City Transit",
    )
    Attachment.objects.create(
        release=release,
        title="Route map",
        description="All night lines.",
        position=0,
        file=ContentFile(image_bytes((800, 600), format="PNG"), name="route-map.png"),
    )
    Attachment.objects.create(
        release=release,
        title="Fact sheet",
        position=1,
        file=ContentFile(PDF, name="facts.pdf"),
    )
    Correction.objects.create(
        release=release, noted_at=release.published_at + timedelta(days=1), note="New times."
    )
    Correction.objects.create(
        release=release, noted_at=release.published_at + timedelta(days=2), note="Line 9 added."
    )
    return release


def export_bundle(path, format_name: str = "json") -> dict[str, bytes]:
    call_command(
        "export_releases",
        "--format",
        format_name,
        "--status",
        "all",
        "--base-url",
        BASE_URL,
        "--bundle",
        str(path),
    )
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def empty_the_storage(media_root) -> None:
    shutil.rmtree(media_root)
    media_root.mkdir()


@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize("format_name", ["json", "ndjson"])
def test_bundle_round_trip_is_byte_identical_files_and_all(tmp_path, media_root, format_name):
    build_release_with_files()
    first = export_bundle(tmp_path / "first.zip", format_name)

    empty_the_database()
    empty_the_storage(media_root)
    import_file(tmp_path / "first.zip", "json")

    second = export_bundle(tmp_path / "second.zip", format_name)
    assert second == first  # the export's bytes and every file's
    # The ZIP too: members stamped with the releases' own latest time, not the clock's.
    assert (tmp_path / "second.zip").read_bytes() == (tmp_path / "first.zip").read_bytes()
    document = first[f"releases.{format_name}"].decode()
    data = json.loads(document) if format_name == "json" else [json.loads(document)]
    (item,) = data
    assert [a["title"] for a in item["attachments"]] == ["Route map", "Fact sheet"]
    assert [c["note"] for c in item["corrections"]] == ["New times.", "Line 9 added."]
    for entry in [item["featured_image"], *(a["file"] for a in item["attachments"])]:
        assert entry["href"] == f"files/{entry['sha256']}/{entry['file_name']}"
        assert hashlib.sha256(first[entry["href"]]).hexdigest() == entry["sha256"]
        assert len(first[entry["href"]]) == entry["size"]


@pytest.mark.usefixtures("media_root")
def test_files_imported_from_a_bundle_go_through_the_model_fields(tmp_path, media_root):
    original = build_release_with_files()
    export_bundle(tmp_path / "bundle.zip")
    empty_the_database()
    empty_the_storage(media_root)

    import_file(tmp_path / "bundle.zip", "json")

    release = Release.objects.get(slug=original.slug)
    assert release.featured_image.name != original.featured_image.name  # its own copy
    assert release.featured_image_renditions  # made when stored
    image, pdf = release.attachments.order_by("position")
    assert (image.content_type, pdf.content_type) == ("image/png", "application/pdf")
    assert pdf.size == len(PDF)
    assert image.renditions
    assert release.import_warnings == []


@pytest.mark.usefixtures("media_root")
def test_importing_a_bundle_again_changes_nothing(tmp_path):
    build_release_with_files()
    export_bundle(tmp_path / "bundle.zip")
    names = sorted(Attachment.objects.values_list("file", flat=True))

    report = import_file(tmp_path / "bundle.zip", "json")

    assert "0 created, 0 updated, 1 unchanged" in report
    assert sorted(Attachment.objects.values_list("file", flat=True)) == names


@pytest.mark.usefixtures("media_root")
def test_plain_json_finds_files_beside_it_by_checksum(tmp_path, media_root):
    """Files named by URL are never downloaded: an unpacked bundle beside the JSON
    (``files/<sha256>/<name>``) is where they are taken from."""
    build_release_with_files()
    export_bundle(tmp_path / "bundle.zip")
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        archive.extractall(tmp_path / "unpacked")
    plain = tmp_path / "unpacked" / "releases.json"
    plain.write_text(export("json"), encoding="utf-8")  # absolute URLs, with checksums
    first = export("json")
    empty_the_database()
    empty_the_storage(media_root)

    import_file(plain, "json")

    release = Release.objects.get()
    assert release.featured_image.read() == image_bytes((640, 400))
    assert release.attachments.count() == 2
    assert (
        json.loads(export("json"))[0]["attachments"][1]["file"]["sha256"]
        == (json.loads(first)[0]["attachments"][1]["file"]["sha256"])
    )


@pytest.mark.usefixtures("media_root")
def test_ninjs_bundle_carries_attachments_with_checksums(tmp_path):
    release = build_release_with_files()
    bundle = export_bundle(tmp_path / "bundle.zip", "ninjs")

    (item,) = json.loads(bundle["releases.ninjs.json"])
    jsonschema.validate(item, NINJS_SCHEMA)
    featured, route_map, facts = item["associations"]
    assert (route_map["name"], route_map["title"]) == ("attachment-1", "Route map")
    assert facts["renditions"][0]["contentType"] == "application/pdf"
    for association in (featured, route_map, facts):
        (sha,) = [i["value"] for i in association["altIds"] if i["role"] == "sha256"]
        name = association["renditions"][0]["title"]
        assert hashlib.sha256(bundle[f"files/{sha}/{name}"]).hexdigest() == sha
    assert featured["uri"] == f"{BASE_URL}{release.featured_image.url}"


def files_by_checksum(document: bytes) -> bytes:
    """``document`` with each stored file's URL (its storage name has a random token)
    replaced by the file's checksum: the same files, wherever they are stored."""
    items = json.loads(document)
    for item in items:
        for association in item.get("associations", []):
            (sha,) = [i["value"] for i in association["altIds"] if i["role"] == "sha256"]
            association["uri"] = sha
            for rendition in association["renditions"]:
                rendition["href"] = sha
    return json.dumps(items).encode()


@pytest.mark.usefixtures("media_root")
def test_ninjs_bundle_round_trip_brings_the_files_back(tmp_path, media_root):
    build_release_with_files()
    first = export_bundle(tmp_path / "first.zip", "ninjs")

    empty_the_database()
    empty_the_storage(media_root)
    report = import_file(tmp_path / "first.zip", "ninjs")

    assert "1 created" in report
    release = Release.objects.get()
    assert release.import_warnings == []
    assert release.featured_image.read() == image_bytes((640, 400))
    assert release.featured_image_renditions  # stored through the model field
    assert [a.title for a in release.attachments.order_by("position")] == [
        "Route map",
        "Fact sheet",
    ]
    second = export_bundle(tmp_path / "second.zip", "ninjs")
    # The files come back at the URLs the first export gave: the bytes are identical.
    assert second == first
    assert (tmp_path / "second.zip").read_bytes() == (tmp_path / "first.zip").read_bytes()
    document = "releases.ninjs.json"
    assert files_by_checksum(second[document]) == files_by_checksum(first[document])
    (item,) = json.loads(second[document])
    assert len(item["associations"]) == 3
    # Again: the files already stored are kept, none is copied twice.
    stored = sorted(Attachment.objects.values_list("file", flat=True))
    import_file(tmp_path / "second.zip", "ninjs")
    assert sorted(Attachment.objects.values_list("file", flat=True)) == stored
    assert Release.objects.get().featured_image.name == release.featured_image.name


def test_only_whole_names_of_the_folders_form_are_restored():
    from releases.uploads import attachment_path

    token = "AbCdEfGhIjKlMnOp"
    assert attachment_path(None, f"attachments/{token}/kit.pdf") == f"attachments/{token}/kit.pdf"
    for name in [
        f"releases/{token}/kit.pdf",  # another field's folder
        "attachments/short/kit.pdf",
        f"attachments/{token}/../kit.pdf",
        f"attachments/{token}/a/kit.pdf",
        "kit.pdf",
        f"attachments/{token[:-1]}!/kit.pdf",
    ]:
        made = attachment_path(None, name)
        assert made != name and made.startswith("attachments/")
        assert made.endswith("/kit.pdf")


@pytest.mark.usefixtures("media_root")
def test_unpacked_ninjs_bundle_finds_its_files_by_checksum(tmp_path, media_root):
    build_release_with_files()
    export_bundle(tmp_path / "bundle.zip", "ninjs")
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        archive.extractall(tmp_path / "unpacked")
    empty_the_database()
    empty_the_storage(media_root)

    import_file(tmp_path / "unpacked" / "releases.ninjs.json", "ninjs")

    release = Release.objects.get()
    assert release.import_warnings == []
    assert release.featured_image.read() == image_bytes((640, 400))
    assert release.attachments.count() == 2


def build_releases_in_every_state() -> None:
    """Drafts (one with a featured image), in review, scheduled, embargoed, withdrawn,
    a media kit with the same bytes under other names and titles, and corrections at
    sub-second times. Creation times are set so the export's order (publication time,
    nulls first, then creation time) is the same when scheduled and embargoed
    releases come back as drafts (ninjs cannot say "scheduled": docs/export-formats.md)."""
    now = timezone.now().replace(microsecond=0)
    draft = ReleaseFactory(
        draft=True,
        headline="A draft with a picture",
        featured_image=ContentFile(image_bytes((320, 200)), name="draft.jpg"),
        featured_image_alt="The draft's picture",
        featured_image_caption="Caption.",
        featured_image_credit="Photo: Us",
    )
    review = ReleaseFactory(in_review=True, headline="In review")
    scheduled = ReleaseFactory(scheduled=True, headline="Scheduled")
    embargoed = ReleaseFactory(
        embargoed=True, headline="Embargoed", published_at=now - timedelta(minutes=1)
    )
    withdrawn = ReleaseFactory(
        withdrawn=True,
        headline="Withdrawn",
        withdrawal_reason="Issued in error.",
        published_at=now - timedelta(days=3),
        withdrawn_at=now - timedelta(days=2, microseconds=-123456),
    )
    kit = ReleaseFactory(headline="Same bytes twice", published_at=now - timedelta(days=4))
    for position, (title, name) in enumerate(
        [("Fact sheet", "facts.pdf"), ("Copy for print", "print.pdf"), ("Copy", "facts.pdf")]
    ):
        Attachment.objects.create(
            release=kit, title=title, position=position, file=ContentFile(PDF, name=name)
        )
    Correction.objects.create(
        release=kit, noted_at=now - timedelta(days=1, microseconds=-250000), note="Fixed."
    )
    order = [draft, review, scheduled, embargoed]
    for age, release in enumerate(order, 1):
        Release.objects.filter(pk=release.pk).update(created_at=now - timedelta(days=10 * age))
    for release in (withdrawn, kit):
        Release.objects.filter(pk=release.pk).update(created_at=now - timedelta(days=50))


def test_ninjs_bundle_round_trip_of_every_state_is_byte_identical(tmp_path, media_root):
    build_releases_in_every_state()
    first = export_bundle(tmp_path / "first.zip", "ninjs")

    empty_the_database()
    empty_the_storage(media_root)
    import_file(tmp_path / "first.zip", "ninjs")

    assert Attachment.objects.count() == 3  # the same bytes under other names are kept
    second = export_bundle(tmp_path / "second.zip", "ninjs")
    assert second == first
    # Imported again over what it made: nothing changes.
    assert "0 created, 0 updated, 6 unchanged" in import_file(tmp_path / "second.zip", "ninjs")


def test_ninjs_import_over_its_own_database_keeps_every_state(tmp_path, media_root):
    build_releases_in_every_state()
    before = export("json")
    (tmp_path / "own.json").write_text(export("ninjs"))

    report = import_file(tmp_path / "own.json", "ninjs")

    assert "0 created, 0 updated, 6 unchanged" in report
    assert export("json") == before


def test_plain_ninjs_keeps_the_featured_image_texts_when_its_file_cannot_come(tmp_path, media_root):
    build_release_with_files()
    (tmp_path / "plain.json").write_text(export("ninjs"))
    empty_the_database()
    empty_the_storage(media_root)

    import_file(tmp_path / "plain.json", "ninjs")

    release = Release.objects.get()
    assert not release.featured_image
    assert (
        release.featured_image_alt,
        release.featured_image_caption,
        release.featured_image_credit,
    ) == ("A bus at night", "Line 12 at midnight.", "Photo: City Transit")
