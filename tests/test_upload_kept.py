"""A file chosen on a form that comes back with errors is kept (releases.kept_uploads)."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from releases.kept_uploads import LOST_MESSAGE, MAX_AGE, SALT, keep, purge_expired, read_kept
from releases.models import Attachment, Organization, Release
from tests.factories import editor
from tests.test_admin import ADD, management_form, release_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 90, 20)).save(buffer, format="JPEG")
    return buffer.getvalue()


def form_data(headline: str, **files) -> dict:
    data = release_form_data(headline=headline, featured_image_alt="A harbour at dawn")
    data.update(management_form("attachments", total=1))
    data.update({"attachments-0-title": "Fact sheet", "attachments-0-position": 0})
    data.update(files)
    return data


def hidden_tokens(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+__kept)" value="([^"]+)">', html))


def test_image_and_attachment_survive_a_form_error_and_are_saved_from_the_tokens(
    editor_client, media_root
):
    image = jpeg()
    response = editor_client.post(
        ADD,
        form_data(
            "",
            featured_image=SimpleUploadedFile("harbour.jpg", image, "image/jpeg"),
            **{"attachments-0-file": SimpleUploadedFile("facts.pdf", PDF, "application/pdf")},
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html  # the headline
    assert "Kept: <strong>harbour.jpg</strong> (choose another to replace it)" in html
    assert "Kept: <strong>facts.pdf</strong> (choose another to replace it)" in html
    tokens = hidden_tokens(html)
    assert set(tokens) == {"featured_image__kept", "attachments-0-file__kept"}
    assert not Release.objects.exists()

    response = editor_client.post(ADD, form_data("Harbour reopens", **tokens))
    assert response.status_code == 302, response.content.decode()[:3000]
    release = Release.objects.get()
    assert release.headline == "Harbour reopens"
    assert re.fullmatch(r"releases/[^/]+/harbour\.jpg", release.featured_image.name)
    assert release.featured_image.read() == image
    assert release.featured_image_renditions
    attachment = Attachment.objects.get(release=release)
    assert attachment.file.name.endswith("/facts.pdf")
    assert attachment.file.read() == PDF


def test_a_new_file_replaces_the_kept_one(editor_client):
    response = editor_client.post(
        ADD, form_data("", featured_image=SimpleUploadedFile("first.jpg", jpeg()))
    )
    tokens = hidden_tokens(response.content.decode())
    data = form_data("Harbour reopens", **tokens)
    data["featured_image"] = SimpleUploadedFile("second.jpg", jpeg())
    data["attachments-0-file"] = SimpleUploadedFile("facts.pdf", PDF)
    assert editor_client.post(ADD, data).status_code == 302
    assert Release.objects.get().featured_image.name.endswith("/second.jpg")


def test_clear_drops_the_kept_file(editor_client):
    response = editor_client.post(
        ADD, form_data("", featured_image=SimpleUploadedFile("first.jpg", jpeg()))
    )
    tokens = hidden_tokens(response.content.decode())
    data = form_data("Harbour reopens", **tokens, **{"featured_image-clear": "on"})
    data["attachments-0-file"] = SimpleUploadedFile("facts.pdf", PDF)
    assert editor_client.post(ADD, data).status_code == 302
    assert not Release.objects.get().featured_image


def test_a_refused_upload_is_not_kept(editor_client):
    response = editor_client.post(
        ADD, form_data("", featured_image=SimpleUploadedFile("fake.jpg", b"plain text"))
    )
    html = response.content.decode()
    assert "This file is not an image" in html
    assert "featured_image__kept" not in hidden_tokens(html)


def lost_file_errors(html: str) -> int:
    return html.count(LOST_MESSAGE)


def attachment_errors(response) -> list[dict]:
    """The errors of each attachment row of the release form sent back."""
    (formset,) = (
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "attachments"
    )
    return [dict(errors) for errors in formset.errors]


def test_a_forged_token_is_an_error_on_its_field_and_nothing_is_saved(editor_client):
    data = form_data("Harbour reopens", featured_image__kept="releases/x/secret.jpg")
    data["attachments-0-file"] = SimpleUploadedFile("facts.pdf", PDF)
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"featured_image": [LOST_MESSAGE]}
    assert not Release.objects.exists() and not Attachment.objects.exists()


def test_a_tampered_token_is_an_error_on_its_field(editor_client):
    response = editor_client.post(
        ADD, form_data("", featured_image=SimpleUploadedFile("harbour.jpg", jpeg()))
    )
    token = hidden_tokens(response.content.decode())["featured_image__kept"]
    name = signing.loads(token, salt=f"{SALT}:releases.release.featured_image")
    # The same signature over another stored file's name.
    value, rest = token.split(":", 1)
    forged = signing.b64_encode(f'"{name.replace("harbour", "other")}"'.encode()).decode()
    data = form_data("Harbour reopens", featured_image__kept=f"{forged}:{rest}")
    data["attachments-0-file"] = SimpleUploadedFile("facts.pdf", PDF)
    response = editor_client.post(ADD, data)
    assert response.context["adminform"].form.errors == {"featured_image": [LOST_MESSAGE]}
    assert value != forged and not Release.objects.exists()


def test_a_token_kept_for_another_field_is_an_error_on_the_field_it_is_sent_for(editor_client):
    response = editor_client.post(
        ADD,
        form_data(
            "",
            featured_image=SimpleUploadedFile("harbour.jpg", jpeg()),
            **{"attachments-0-file": SimpleUploadedFile("facts.pdf", PDF)},
        ),
    )
    tokens = hidden_tokens(response.content.decode())
    # Each token sent in the other's field: an image kept as the attachment, and back.
    data = form_data(
        "Harbour reopens",
        featured_image__kept=tokens["attachments-0-file__kept"],
        **{"attachments-0-file__kept": tokens["featured_image__kept"]},
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["adminform"].form.errors == {"featured_image": [LOST_MESSAGE]}
    assert attachment_errors(response) == [{"file": [LOST_MESSAGE]}]
    assert lost_file_errors(html) == 2
    assert not Release.objects.exists()


def test_a_token_past_its_max_age_is_an_error_and_the_same_token_within_it_is_not(
    editor_client, monkeypatch
):
    response = editor_client.post(
        ADD, form_data("", featured_image=SimpleUploadedFile("harbour.jpg", jpeg()))
    )
    token = hidden_tokens(response.content.decode())["featured_image__kept"]
    data = form_data("Harbour reopens", featured_image__kept=token)

    # The signer rejects a token older than its max_age: below zero, every token is.
    # (No upload is kept on this attempt: keeping purges kept files older than MAX_AGE.)
    monkeypatch.setattr("releases.kept_uploads.MAX_AGE", -1)
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"featured_image": [LOST_MESSAGE]}
    assert "featured_image__kept" not in hidden_tokens(response.content.decode())
    assert not Release.objects.exists()

    monkeypatch.setattr("releases.kept_uploads.MAX_AGE", 60)
    data["attachments-0-file"] = SimpleUploadedFile("facts.pdf", PDF)
    assert editor_client.post(ADD, data).status_code == 302
    assert Release.objects.get().featured_image.name.endswith("/harbour.jpg")


def test_a_token_signed_a_day_ago_has_expired(editor_client, monkeypatch):
    day_ago = int(time.time()) - MAX_AGE - 1
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(day_ago)
    )
    token = keep(SimpleUploadedFile("harbour.jpg", jpeg()), field="releases.release.featured_image")
    monkeypatch.undo()
    assert read_kept(token, field="releases.release.featured_image") is None
    data = form_data("Harbour reopens", featured_image__kept=token)
    data["attachments-0-file"] = SimpleUploadedFile("facts.pdf", PDF)
    response = editor_client.post(ADD, data)
    assert response.context["adminform"].form.errors == {"featured_image": [LOST_MESSAGE]}
    assert not Release.objects.exists()


def test_a_lost_token_on_an_otherwise_blank_extra_row_is_an_error(editor_client):
    data = form_data("Harbour reopens", **{"attachments-0-file": SimpleUploadedFile("a.pdf", PDF)})
    data.update(management_form("attachments", total=2))
    data["attachments-1-position"] = 1
    data["attachments-1-file__kept"] = "not-a-token"
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    assert [errors.get("file") for errors in attachment_errors(response)] == [None, [LOST_MESSAGE]]
    assert not Release.objects.exists()


def test_clear_or_a_new_file_wins_over_a_lost_token(editor_client):
    data = form_data(
        "Harbour reopens", featured_image__kept="forged", **{"featured_image-clear": "on"}
    )
    data["attachments-0-file"] = SimpleUploadedFile("facts.pdf", PDF)
    data["attachments-0-file__kept"] = "forged too"
    assert editor_client.post(ADD, data).status_code == 302
    release = Release.objects.get()
    assert not release.featured_image
    assert Attachment.objects.get(release=release).file.name.endswith("/facts.pdf")


def test_kept_files_are_never_served(client):
    name = signing.loads(keep(SimpleUploadedFile("harbour.jpg", jpeg())), salt=SALT)
    assert name.startswith("kept/") and default_storage.exists(name)
    assert client.get(f"/media/{name}").status_code == 404
    client.force_login(editor())
    assert client.get(f"/media/{name}").status_code == 404


def test_kept_files_expire_after_a_day(media_root):
    token = keep(SimpleUploadedFile("harbour.jpg", jpeg()))
    assert read_kept(token) is not None
    assert purge_expired(now=timezone.now() + dt.timedelta(hours=23)) == 0
    assert purge_expired(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert read_kept(token) is None


def test_the_organization_form_keeps_its_logo(editor_client, media_root):
    add = reverse("admin:releases_organization_add")
    response = editor_client.post(add, {"name": "", "logo": SimpleUploadedFile("logo.png", _png())})
    tokens = hidden_tokens(response.content.decode())
    assert set(tokens) == {"logo__kept"}
    assert editor_client.post(add, {"name": "Ocean Trust", **tokens}).status_code == 302
    organization = Organization.objects.get()
    assert organization.logo.name.endswith("/logo.png") and organization.logo_renditions


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (0, 90, 20)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_kept_note_is_escaped(editor_client):
    name = "<img src=x onerror=alert(1)>.jpg"
    response = editor_client.post(
        ADD, form_data("", featured_image=SimpleUploadedFile(name, jpeg()))
    )
    html = response.content.decode()
    assert "<img src=x onerror" not in html
    assert "Kept: <strong>&lt;img src=x onerror=alert(1)&gt;.jpg</strong>" in html
