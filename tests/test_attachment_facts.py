"""Attachments: title, description, type (judged from the content) and size, recorded
when the file is saved and shown on the release page and in the admin."""

import io
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from releases.file_facts import type_from_content, type_label
from releases.models import Attachment
from releases.templatetags.contacts import file_facts
from tests.factories import ReleaseFactory, editor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.7\n" + b"0" * 5000


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), (90, 30, 10)).save(buffer, format="JPEG")
    return buffer.getvalue()


def saved(name: str, data: bytes, **kwargs) -> Attachment:
    attachment = Attachment(release=kwargs.pop("release", None) or ReleaseFactory(), **kwargs)
    attachment.title = attachment.title or "A file"
    attachment.file.save(name, ContentFile(data), save=True)
    return attachment


def test_type_and_size_are_recorded_when_the_file_is_saved():
    attachment = saved("report.pdf", PDF)
    attachment.refresh_from_db()
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))


def test_the_content_decides_the_type_not_the_name():
    assert saved("report.doc", PDF).content_type == "application/pdf"
    assert saved("photo.pdf", jpeg()).content_type == "image/jpeg"
    assert saved("notes.jpg", b"just some text").content_type == "image/jpeg"  # name only
    assert saved("notes.txt", b"just some text").content_type == "text/plain"


def test_an_upload_is_judged_before_it_is_stored_and_stored_whole():
    data = jpeg()
    attachment = Attachment(release=ReleaseFactory(), title="Photo")
    attachment.file = SimpleUploadedFile("photo.bin", data, content_type="text/plain")
    attachment.save()
    assert (attachment.content_type, attachment.size) == ("image/jpeg", len(data))
    with attachment.file.open("rb") as handle:
        assert handle.read() == data


def test_a_replaced_file_is_judged_again_and_an_unchanged_one_is_not():
    attachment = saved("report.pdf", PDF)
    attachment = Attachment.objects.get(pk=attachment.pk)
    attachment.title = "Renamed"
    attachment.file.delete(save=False)  # if read again, the facts would be lost
    attachment.file.name = Attachment.objects.get(pk=attachment.pk).file.name
    attachment.save()
    assert attachment.size == len(PDF)
    attachment.file.save("photo.jpg", ContentFile(jpeg()), save=True)
    assert attachment.content_type == "image/jpeg"


def test_office_documents_are_named_by_their_kind():
    zip_head = b"PK\x03\x04" + b"\x00" * 30
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert type_from_content(zip_head, "brief.docx") == docx
    assert type_from_content(zip_head, "brief.exe") == "application/zip"
    assert type_label(docx) == "Word document"
    assert type_label("application/x-unknown-thing", "deck.key") == "KEY"


def test_release_page_shows_title_description_type_and_size(client):
    release = ReleaseFactory()
    saved("report.pdf", PDF, release=release, title="Survey report", description="All <data>.")
    saved("reef.jpg", jpeg(), release=release, title="Reef photo", position=1)
    html = client.get(release.get_absolute_url()).content.decode()
    assert 'download type="application/pdf">Survey report</a>' in html
    assert '<span class="file-facts" dir="ltr">(PDF, 4.9\xa0KB)</span>' in html
    assert "<p>All &lt;data&gt;.</p>" in html
    assert 'Reef photo</a> <span class="file-facts" dir="ltr">(JPEG image, ' in html


def test_file_facts_of_a_stored_file_reads_its_name():
    attachment = saved("reef.jpg", jpeg())
    assert file_facts(attachment.file).startswith("JPEG image, ")


def test_admin_inline_shows_description_and_facts(client):
    attachment = saved("report.pdf", PDF, title="Survey report", description="Read me")
    client.force_login(editor())
    url = reverse("admin:releases_release_change", args=[attachment.release_id])
    html = client.get(url).content.decode()
    assert 'name="attachments-0-description"' in html
    assert "Read me</textarea>" in html
    assert "PDF, 4.9\xa0KB" in html


def test_migration_fills_in_existing_attachments(media_root):
    attachment = saved("report.pdf", PDF)
    Attachment.objects.filter(pk=attachment.pk).update(content_type="", size=None)
    missing = Attachment.objects.create(
        release=attachment.release, title="Gone", file="attachments/x/gone.pdf"
    )
    Attachment.objects.filter(pk=missing.pk).update(content_type="", size=None)

    import_module("releases.migrations.0016_attachment_facts").record_facts(apps, None)
    attachment.refresh_from_db()
    missing.refresh_from_db()
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))
    assert (missing.content_type, missing.size) == ("application/pdf", None)
