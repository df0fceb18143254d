"""Uploaded files follow their owner's visibility (issue 7 §2): releases.views.media.

Roles anonymous, reader (logged in, not staff), writer, editor × release states draft,
in review, scheduled, embargoed, public, withdrawn × featured image, attachment,
organization logo, author photo. Files are real (a Pillow PNG, a tiny PDF) and are
written through the model fields, so they get the paths new uploads get.
"""

import io
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import resolve
from django.utils import timezone
from PIL import Image

from releases.models import Attachment
from releases.services import release_duplicate, release_publish, release_withdraw
from releases.views import media
from tests.factories import (
    AuthorFactory,
    OrganizationFactory,
    ReleaseFactory,
    UserFactory,
    editor,
    writer,
)
from tests.test_settings import _failure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
ROLES = {
    "anonymous": None,
    "reader": UserFactory,
    "staff without rights": lambda: UserFactory(is_staff=True),
    "writer": writer,
    "editor": editor,
}
STAFF = {"writer", "editor"}
STATES = {
    "draft": {"draft": True},
    "in review": {"in_review": True},
    "scheduled": {"scheduled": True},
    "embargoed": {"embargoed": True},
    "public": {},
    "withdrawn": {"withdrawn": True},
}
KINDS = ("featured image", "attachment", "organization logo", "author photo")


def _png(color=(20, 60, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _release_with_files(**traits):
    """A release in the given state whose organization and author appear nowhere else."""
    organization = OrganizationFactory()
    organization.logo.save("logo.png", ContentFile(_png((200, 0, 0))))
    author = AuthorFactory()
    author.photo.save("portrait.png", ContentFile(_png((0, 200, 0))))
    release = ReleaseFactory(
        organizations=[organization], author=author, featured_image_alt="A test card", **traits
    )
    release.featured_image.save("photo.png", ContentFile(_png()))
    attachment = Attachment(release=release, title="Fact sheet", position=0)
    attachment.file.save("fact sheet.pdf", ContentFile(PDF))
    return {
        "featured image": release.featured_image.url,
        "attachment": attachment.file.url,
        "organization logo": organization.logo.url,
        "author photo": author.photo.url,
    }


def _client_as(client, role):
    if ROLES[role] is not None:
        client.force_login(ROLES[role]())
    return client


def _expected(role: str, state: str, kind: str) -> set[int]:
    people = kind in ("organization logo", "author photo")
    if state == "public":
        return {200}
    if role in STAFF:
        # Staff always see logos and photos; a withdrawn release's own files are gone.
        return {200} if people or state != "withdrawn" else {410}
    # A withdrawn release that was public answers 410 like its page (the one withdrawn
    # before it went public: test_withdrawn_never_public_release_file_is_404_for_anonymous).
    return {410} if state == "withdrawn" and not people else {404}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_who_gets_which_file(client, role, state):
    urls = _release_with_files(**STATES[state])
    client = _client_as(client, role)
    for kind in KINDS:
        response = client.get(urls[kind])
        assert response.status_code in _expected(role, state, kind), (kind, response)
        if response.status_code == 200:
            b"".join(response.streaming_content)


def test_issue_input_embargoed_attachment_at_its_guessable_path_is_404(client):
    """The reported case: an embargoed release's attachment at attachments/<year>/<name>."""
    release = ReleaseFactory(embargoed=True)
    name = default_storage.save(f"attachments/{timezone.now():%Y}/media-kit.pdf", ContentFile(PDF))
    Attachment.objects.create(release=release, title="Kit", file=name)

    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(release.get_absolute_url()).status_code == 404

    release.embargoed_until = timezone.now() - timedelta(minutes=1)
    release.save()
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("kind", ["featured image", "organization logo", "author photo"])
def test_public_image_is_inline_cacheable_and_inert(client, kind):
    url = _release_with_files()[kind]
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == f"public, max-age={media.PUBLIC_MAX_AGE}"
    # Decided without the session: a shared cache may give it to everyone.
    assert "Cookie" not in response.get("Vary", "")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_public_attachment_is_downloaded_under_its_name(client):
    response = client.get(_release_with_files()["attachment"])

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"fact_sheet.pdf\"; filename*=UTF-8''fact_sheet.pdf"
    )
    assert response["Content-Length"] == str(len(PDF))


def test_non_ascii_file_name_is_sent_in_filename_star_with_an_ascii_fallback(client):
    release = ReleaseFactory(featured_image_alt="A test card")
    attachment = Attachment(release=release, title="Übersicht")
    attachment.file.save("Übersicht 2024.pdf", ContentFile(PDF))

    response = client.get(attachment.file.url)

    assert response["Content-Disposition"] == (
        "attachment; filename=\"Ubersicht_2024.pdf\"; filename*=UTF-8''%C3%9Cbersicht_2024.pdf"
    )


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("page.html", b"<script>alert(1)</script>", "text/html"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', None),
        ("notes.txt", b"plain", "text/plain"),
        ("archive.svg.gz", b"\x1f\x8b", "application/octet-stream"),
        ("no-extension", b"\x00\x01", "application/octet-stream"),
    ],
)
def test_active_content_is_downloaded_and_sandboxed(client, filename, content, content_type):
    release = ReleaseFactory(featured_image_alt="A test card")
    attachment = Attachment(release=release, title="File")
    attachment.file.save(filename, ContentFile(content))

    response = client.get(attachment.file.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    if content_type:
        assert response["Content-Type"] == content_type


def test_svg_stored_as_a_featured_image_is_not_shown_inline(client):
    """An import can store any name as an image; only raster images are inline."""
    name = default_storage.save("releases/imported/logo.svg", ContentFile(b"<svg/>"))
    release = ReleaseFactory(featured_image=name, featured_image_alt="Logo")

    response = client.get(release.featured_image.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")


@pytest.mark.parametrize("state", ["draft", "scheduled", "embargoed"])
@pytest.mark.parametrize("role", sorted(STAFF))
@pytest.mark.parametrize("kind", KINDS)
def test_preview_files_are_private_and_never_stored(client, role, state, kind):
    url = _release_with_files(**STATES[state])[kind]
    response = _client_as(client, role).get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "public" not in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_public_file_is_public_for_staff_too(client):
    url = _release_with_files()["featured image"]
    response = _client_as(client, "editor").get(url)
    assert response["Cache-Control"] == f"public, max-age={media.PUBLIC_MAX_AGE}"


def test_release_going_public_makes_its_files_public_by_itself(client):
    release = ReleaseFactory(scheduled=True, featured_image_alt="A test card")
    release.featured_image.save("photo.png", ContentFile(_png()))
    url = release.featured_image.url
    assert client.get(url).status_code == 404

    release.published_at = timezone.now() - timedelta(seconds=1)
    release.save()
    assert client.get(url).status_code == 200


def test_withdrawing_a_release_takes_its_files_down(client):
    release = ReleaseFactory(featured_image_alt="A test card")
    release.featured_image.save("photo.png", ContentFile(_png()))
    url = release.featured_image.url
    assert client.get(url).status_code == 200

    release.status = "withdrawn"
    release.withdrawn_at = timezone.now()
    release.save()
    response = client.get(url)
    assert response.status_code == 410
    assert response["X-Content-Type-Options"] == "nosniff"


def test_withdrawn_never_public_release_file_is_404_for_anonymous(client):
    release = ReleaseFactory(embargoed=True, withdrawn=True, featured_image_alt="x")
    release.featured_image.save("photo.png", ContentFile(_png()))
    assert client.get(release.featured_image.url).status_code == 404
    assert _client_as(client, "editor").get(release.featured_image.url).status_code == 410


def test_a_file_shared_with_a_public_release_is_public(client):
    """A duplicated draft keeps the image name: the public original still serves it."""
    public = ReleaseFactory(featured_image_alt="A test card")
    public.featured_image.save("photo.png", ContentFile(_png()))
    ReleaseFactory(draft=True, featured_image=public.featured_image.name, featured_image_alt="x")
    assert client.get(public.featured_image.url).status_code == 200


def test_a_file_no_row_names_is_404_even_for_editors(client):
    name = default_storage.save("attachments/old/leftover.pdf", ContentFile(PDF))
    assert _client_as(client, "editor").get(f"/media/{name}").status_code == 404


def test_a_row_whose_file_is_missing_is_404(client):
    release = ReleaseFactory(featured_image="releases/gone/photo.png", featured_image_alt="x")
    assert client.get(release.featured_image.url).status_code == 404


def test_uploads_get_a_random_folder_and_keep_their_name():
    first, second = (
        ReleaseFactory(featured_image_alt="A test card"),
        ReleaseFactory(featured_image_alt="A test card"),
    )
    first.featured_image.save("photo.png", ContentFile(_png()))
    second.featured_image.save("photo.png", ContentFile(_png()))
    organization, author = OrganizationFactory(), AuthorFactory()
    organization.logo.save("logo.png", ContentFile(_png()))
    author.photo.save("me.png", ContentFile(_png()))
    attachment = Attachment(release=first, title="Kit")
    attachment.file.save("kit.pdf", ContentFile(PDF))

    token = r"[A-Za-z0-9_-]{16}"
    assert re.fullmatch(rf"releases/{token}/photo\.png", first.featured_image.name)
    assert re.fullmatch(rf"releases/{token}/photo\.png", second.featured_image.name)
    assert first.featured_image.name != second.featured_image.name
    assert re.fullmatch(rf"attachments/{token}/kit\.pdf", attachment.file.name)
    assert re.fullmatch(rf"organizations/{token}/logo\.png", organization.logo.name)
    assert re.fullmatch(rf"authors/{token}/me\.png", author.photo.name)
    # Nothing of the year or a counter: the URL cannot be derived from what a reader knows.
    assert str(timezone.now().year) not in first.featured_image.name.split("/")[1]


def test_release_page_links_files_to_the_checking_view(client):
    release = ReleaseFactory(featured_image_alt="A test card")
    release.featured_image.save("photo.png", ContentFile(_png()))
    attachment = Attachment(release=release, title="Fact sheet")
    attachment.file.save("kit.pdf", ContentFile(PDF))

    html = client.get(release.get_absolute_url()).content.decode()

    for url in (release.featured_image.url, attachment.file.url):
        assert url.startswith(django_settings.MEDIA_URL)
        assert url in html
        assert resolve(url).func is media.serve_media
        assert client.get(url).status_code == 200


def test_revalidation_answers_304_with_the_same_cache_policy(client):
    url = _release_with_files()["featured image"]
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]

    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == first["Cache-Control"]

    since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_head_and_only_safe_methods(client):
    url = _release_with_files()["attachment"]
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.fixture
def secret_outside_media(media_root):
    secret = media_root.parent / "secret.txt"
    secret.write_text("not for the web")
    return secret


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/releases/../../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/releases/%2E%2E/%2E%2E/secret.txt",
        "/media/..%2fsecret.txt",
        "/media/%2Fetc%2Fpasswd",
        "/media//etc/passwd",
        "/media/releases/.//photo.png",
        "/media/releases/./photo.png",
        "/media/..%5csecret.txt",
        "/media/releases%5c..%5c..%5csecret.txt",
        "/media/releases/photo.png%00.txt",
        "/media/%00",
        "/media/releases/%252e%252e/%252e%252e/secret.txt",
    ],
)
def test_path_traversal_is_404(client, secret_outside_media, path):
    response = _client_as(client, "editor").get(path)
    assert response.status_code in (400, 404)
    assert b"not for the web" not in b"".join(getattr(response, "streaming_content", [b""]))


def test_a_stored_name_that_climbs_out_is_never_served(client, secret_outside_media):
    """An imported row may name anything; the view still refuses to leave MEDIA_ROOT."""
    ReleaseFactory(featured_image="../secret.txt", featured_image_alt="x")
    assert client.get("/media/../secret.txt").status_code == 404


def test_production_settings_serve_public_files_without_another_server(client):
    """`make serve` runs with DEBUG off, as these tests do: media still works."""
    assert django_settings.DEBUG is False
    url = _release_with_files()["attachment"]
    assert resolve(url).func is media.serve_media
    assert client.get(url).status_code == 200


def test_media_route_is_not_django_static_serve():
    from django.views.static import serve

    assert resolve("/media/releases/x/photo.png").func is not serve


def test_public_file_costs_one_query(client, django_assert_num_queries):
    url = _release_with_files()["featured image"]
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200


def test_behind_nginx_the_view_answers_with_x_accel_redirect(client, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    release = ReleaseFactory(featured_image_alt="A test card")
    attachment = Attachment(release=release, title="Übersicht")
    attachment.file.save("Übersicht.pdf", ContentFile(PDF))

    response = client.get(attachment.file.url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + quote(attachment.file.name)
    assert response.content == b""
    # nginx keeps these from Django's answer (the rest is repeated in its location).
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["Cache-Control"] == f"public, max-age={media.PUBLIC_MAX_AGE}"


def test_behind_nginx_a_non_public_file_is_still_refused(client, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    url = _release_with_files(embargoed=True)["attachment"]
    response = client.get(url)
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


@pytest.mark.parametrize("value", ["protected-media", "/protected-media", "protected/"])
def test_a_malformed_accel_redirect_prefix_stops_start_up(tmp_path, value):
    error = _failure(tmp_path, SECRET_KEY="a-real-secret", MEDIA_ACCEL_REDIRECT=value)
    assert error.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "MEDIA_ACCEL_REDIRECT" in error


def test_a_duplicate_keeps_serving_the_files_it_shares_with_a_withdrawn_original(client):
    """release_duplicate gives the copy rows naming the original's files: withdrawn, the
    original takes them down (410) until the copy is public, which then serves them."""
    original = ReleaseFactory(featured_image_alt="A test card")
    attachment = Attachment(release=original, title="Harbour map", position=0)
    attachment.file.save("map.png", ContentFile(_png()))
    urls = [attachment.file.url, attachment.file.storage.url(attachment.renditions[0]["name"])]
    copy = release_duplicate(release=original, user=editor())
    release_withdraw(release=original, user=editor(), reason="Wrong figures.")

    assert [client.get(url).status_code for url in urls] == [410, 410]
    # Staff still see the draft copy's files, as a private preview.
    staff = _client_as(client, "editor")
    assert [staff.get(url).status_code for url in urls] == [200, 200]
    client.logout()

    release_publish(release=copy, user=editor())
    responses = [client.get(url) for url in urls]
    assert [response.status_code for response in responses] == [200, 200]
    assert responses[0]["Cache-Control"] == f"public, max-age={media.PUBLIC_MAX_AGE}"

    original.delete()
    assert [client.get(url).status_code for url in urls] == [200, 200]
