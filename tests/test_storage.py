"""Uploaded files on any storage backend: the settings that choose it, and the
visibility rule and media kit on a storage that is not the local disk."""

import io
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from newsroom.s3 import PrivateS3Storage
from newsroom.storage import media_storage
from releases.models import Attachment
from tests.factories import ReleaseFactory

S3_VARIABLES = (
    "NEWSROOM_MEDIA_STORAGE",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_LOCATION",
    "AWS_S3_MAX_MEMORY_SIZE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
)


@pytest.fixture
def env(monkeypatch):
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_files_are_on_the_local_disk_by_default(env):
    assert media_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    env(NEWSROOM_MEDIA_STORAGE="Filesystem")
    assert media_storage()["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_s3_storage_is_private_and_signed(env):
    env(
        NEWSROOM_MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://minio.internal:9000/",
        AWS_S3_REGION_NAME="eu-west-1",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_LOCATION="/media/",
        AWS_ACCESS_KEY_ID="id",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    config = media_storage()
    assert config["BACKEND"] == "newsroom.s3.PrivateS3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "newsroom-media"
    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert options["region_name"] == "eu-west-1"
    assert options["addressing_style"] == "path"
    assert options["location"] == "media"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    # Credentials stay in the environment, where boto3 reads them.
    assert "secret" not in repr(options)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"NEWSROOM_MEDIA_STORAGE": "ftp"}, "NEWSROOM_MEDIA_STORAGE"),
        ({"NEWSROOM_MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        (
            {"NEWSROOM_MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "Bad_Bucket"},
            "AWS_STORAGE_BUCKET_NAME",
        ),
        (
            {
                "NEWSROOM_MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "media",
                "AWS_S3_ENDPOINT_URL": "minio:9000",
            },
            "AWS_S3_ENDPOINT_URL",
        ),
        (
            {
                "NEWSROOM_MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "media",
                "AWS_S3_ADDRESSING_STYLE": "sideways",
            },
            "AWS_S3_ADDRESSING_STYLE",
        ),
        (
            {
                "NEWSROOM_MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "media",
                "AWS_ACCESS_KEY_ID": "id",
            },
            "AWS_SECRET_ACCESS_KEY",
        ),
        (
            {
                "NEWSROOM_MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "media",
                "AWS_S3_MAX_MEMORY_SIZE": "lots",
            },
            "AWS_S3_MAX_MEMORY_SIZE",
        ),
    ],
)
def test_a_bad_storage_setting_stops_start_up_naming_it(env, values, named):
    env(**values)
    with pytest.raises(ImproperlyConfigured, match=named):
        media_storage()


def test_s3_cannot_be_combined_with_x_accel_redirect(env):
    env(NEWSROOM_MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="media")
    with pytest.raises(ImproperlyConfigured, match="MEDIA_ACCEL_REDIRECT"):
        media_storage(accel_redirect="/protected-media/")


def test_s3_file_urls_go_through_the_site_not_the_bucket(settings):
    storage = PrivateS3Storage(bucket_name="media", querystring_auth=True)
    # No network: the URL is built from the name alone.
    assert storage.url("attachments/tok/Über report.pdf") == (
        "/media/attachments/tok/%C3%9Cber%20report.pdf"
    )


# -- a storage that is not the disk ---------------------------------------------------


@pytest.fixture
def in_memory(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not-used"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return default_storage


def add_attachment(release, name: str, data: bytes) -> Attachment:
    attachment = Attachment(release=release, title=name)
    attachment.file.save(name, ContentFile(data), save=True)
    return attachment


@pytest.mark.django_db
def test_visibility_holds_on_a_non_filesystem_storage(client, in_memory, settings):
    public = add_attachment(ReleaseFactory(), "public.pdf", b"%PDF-1.4 public")
    draft = add_attachment(ReleaseFactory(draft=True), "draft.pdf", b"%PDF-1.4 draft")
    embargoed = add_attachment(ReleaseFactory(embargoed=True), "held.pdf", b"%PDF-1.4 held")

    assert in_memory.exists(public.file.name)
    assert not settings.MEDIA_ROOT.exists()  # nothing written to disk
    response = client.get(public.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 public"
    assert public.size == len(b"%PDF-1.4 public")
    assert public.content_type == "application/pdf"
    assert client.get(draft.file.url).status_code == 404
    assert client.get(embargoed.file.url).status_code == 404


@pytest.mark.django_db
def test_media_kit_on_a_non_filesystem_storage(client, in_memory):
    release = ReleaseFactory(featured_image_alt="A photo")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, format="JPEG")
    release.featured_image.save("photo.jpg", ContentFile(buffer.getvalue()), save=True)
    add_attachment(release, "facts.pdf", b"%PDF-1.4 facts")
    add_attachment(release, "notes.txt", "Notes ü".encode())
    url = reverse("releases:download_media_kit", kwargs={"slug": release.slug})
    data = b"".join(client.get(url).streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    assert files[f"{release.slug}/attachments/facts.pdf"] == b"%PDF-1.4 facts"
    assert files[f"{release.slug}/attachments/notes.txt"] == "Notes ü".encode()
    assert files[f"{release.slug}/{release.slug}.pdf"].startswith(b"%PDF")
    assert files[f"{release.slug}/images/photo.jpg"] == buffer.getvalue()
    assert b"Alt text: A photo" in files[f"{release.slug}/images/captions-and-credits.txt"]
