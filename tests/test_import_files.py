"""File references in imported items: refused outside the field's media, never another
row's file, a warning when missing (``releases.importers.files``)."""

import hashlib
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from releases.models import Attachment, Release
from tests.factories import ReleaseFactory, image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def item(**overrides) -> dict:
    data = {
        "slug": "night-buses",
        "headline": "Night buses",
        "status": "published",
        "published_at": "2024-03-12T09:30:00Z",
        "featured_image_alt": "A bus",
    }
    data.update(overrides)
    return data


def run_import(tmp_path, *items) -> tuple[str, str, CommandError | None]:
    path = tmp_path / "releases.json"
    path.write_text(json.dumps(list(items), indent=2))
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_releases", str(path), "--format", "json", stdout=stdout, stderr=stderr)
    except CommandError as error:
        return stdout.getvalue(), stderr.getvalue(), error
    return stdout.getvalue(), stderr.getvalue(), None


@pytest.mark.parametrize(
    "name",
    [
        "../newsroom.sqlite3",
        "releases/../../newsroom.sqlite3",
        "/etc/passwd",
        "releases//x.jpg",
        "releases\\..\\x.jpg",
        "kept/abc_photo.jpg",
        "organizations/abc/logo.png",
    ],
)
def test_a_featured_image_outside_the_fields_media_is_refused(tmp_path, name):
    _out, err, error = run_import(tmp_path, item(featured_image=name))

    assert error is not None
    assert 'line 2, field "featured_image"' in err
    assert "releases/" in err
    assert not Release.objects.exists()


def test_another_releases_file_is_refused_not_made_public(tmp_path):
    draft = ReleaseFactory(draft=True, featured_image_alt="Secret")
    draft.featured_image.save("night-bus.jpg", ContentFile(image_bytes((64, 48))))

    _out, err, error = run_import(tmp_path, item(featured_image=draft.featured_image.name))

    assert error is not None
    assert 'field "featured_image"' in err and "another row's file" in err
    assert Release.objects.published().count() == 0


def test_a_rendition_of_another_releases_file_is_refused(tmp_path):
    draft = ReleaseFactory(draft=True, featured_image_alt="Secret")
    draft.featured_image.save("night-bus.jpg", ContentFile(image_bytes((1200, 800))))
    rendition = draft.featured_image_renditions[0]["name"]

    _out, err, error = run_import(tmp_path, item(featured_image=rendition))

    assert error is not None and "another row's file" in err


def test_another_releases_attachment_is_refused(tmp_path):
    other = ReleaseFactory(draft=True)
    secret = Attachment.objects.create(
        release=other, title="Secret", file=ContentFile(b"%PDF-1.4\n", name="secret.pdf")
    )
    attachments = [{"title": "Mine", "file": secret.file.name}]

    _out, err, error = run_import(tmp_path, item(attachments=attachments))

    assert error is not None
    assert 'field "attachments[0].file"' in err
    assert Attachment.objects.count() == 1


def test_an_attachment_path_with_dot_dot_is_refused(tmp_path):
    attachments = [{"title": "Mine", "file": "attachments/../../newsroom.sqlite3"}]

    _out, err, error = run_import(tmp_path, item(attachments=attachments))

    assert error is not None and 'field "attachments[0].file"' in err


def test_a_missing_file_is_a_warning_not_a_broken_image(tmp_path):
    out, _err, error = run_import(tmp_path, item(featured_image="releases/abc/gone.jpg"))

    assert error is None
    release = Release.objects.get()
    assert not release.featured_image
    assert release.import_warnings == [
        "featured_image: gone.jpg is missing from the media storage; it was left out"
    ]
    assert "check: night-buses: featured_image: gone.jpg is missing" in out


def test_a_file_named_by_url_and_not_beside_the_json_is_a_warning(tmp_path):
    image = {
        "file_name": "far.jpg",
        "content_type": "image/jpeg",
        "size": 10,
        "sha256": "0" * 64,
        "href": "https://elsewhere.example/photos/far.jpg",
    }
    _out, _err, error = run_import(tmp_path, item(featured_image=image))

    assert error is None
    release = Release.objects.get()
    assert not release.featured_image
    assert "not in the bundle nor beside the file" in release.import_warnings[0]


def test_an_unowned_stored_file_is_taken(tmp_path, media_root):
    """A file in the field's folder that no row holds (a release deleted before its
    export is imported again) is the release's."""
    (media_root / "releases" / "tok").mkdir(parents=True)
    (media_root / "releases" / "tok" / "bus.jpg").write_bytes(image_bytes((64, 48)))

    _out, _err, error = run_import(tmp_path, item(featured_image="releases/tok/bus.jpg"))

    assert error is None
    assert Release.objects.get().featured_image.name == "releases/tok/bus.jpg"


def test_a_bundle_member_that_does_not_match_its_checksum_is_refused(tmp_path):
    (tmp_path / "files" / ("0" * 64)).mkdir(parents=True)
    (tmp_path / "files" / ("0" * 64) / "bus.jpg").write_bytes(image_bytes((64, 48)))
    image = {"file_name": "bus.jpg", "sha256": "0" * 64, "href": f"files/{'0' * 64}/bus.jpg"}

    _out, err, error = run_import(tmp_path, item(featured_image=image))

    assert error is not None and "does not match its checksum" in err
    assert not Release.objects.exists()


def test_a_failed_import_leaves_no_stored_file_behind(tmp_path, media_root):
    data = image_bytes((64, 48))
    sha = hashlib.sha256(data).hexdigest()
    (tmp_path / "files" / sha).mkdir(parents=True)
    (tmp_path / "files" / sha / "bus.jpg").write_bytes(data)
    image = {"file_name": "bus.jpg", "sha256": sha, "href": f"files/{sha}/bus.jpg"}

    _out, _err, error = run_import(
        tmp_path, item(featured_image=image), item(slug="second", headline="")
    )

    assert error is not None
    assert not Release.objects.exists()
    # The first item's image and its renditions were stored, then deleted again.
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def run_ninjs_import(tmp_path, item: dict) -> tuple[str, str, CommandError | None]:
    path = tmp_path / "item.json"
    path.write_text(json.dumps(item))
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_releases", str(path), "--format", "ninjs", stdout=stdout, stderr=stderr
        )
    except CommandError as error:
        return stdout.getvalue(), stderr.getvalue(), error
    return stdout.getvalue(), stderr.getvalue(), None


@pytest.mark.parametrize("rel", ["featured_image", "attachment-1"])
def test_a_ninjs_association_naming_a_drafts_media_url_makes_nothing_public(tmp_path, rel):
    draft = ReleaseFactory(draft=True, featured_image_alt="Secret")
    draft.featured_image.save("night-bus.jpg", ContentFile(image_bytes((64, 48))))
    secret_url = draft.featured_image.url
    item = {
        "uri": "urn:example:night-buses",
        "type": "text",
        "headline": "Night buses",
        "versioncreated": "2024-03-12T09:30:00Z",
        "pubstatus": "usable",
        "body_html": "<p>Buses run all night.</p>",
        "associations": {
            rel: {"uri": f"http://testserver{secret_url}", "type": "picture", "title": "Bus"}
        },
    }
    out, err, error = run_ninjs_import(tmp_path, item)

    # Refused, or imported without that file: never the draft's file under a public release.
    assert error is not None or Release.objects.published().count() == 1, (out, err)
    for release in Release.objects.published():
        assert release.featured_image.name != draft.featured_image.name
        assert draft.featured_image.name not in {a.file.name for a in release.attachments.all()}
    assert Release.objects.get(pk=draft.pk).status == "draft"
