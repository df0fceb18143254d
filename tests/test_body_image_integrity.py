"""A file the body shows is not removed under it, and what the body loses is said.

Deleting an attachment, replacing its file, clearing or replacing the featured image
while the body shows it (by the original's URL or a rendition's) is refused on that row
or field, and nothing is saved (releases.image_use, releases.admin.inlines,
releases.forms). Images the body may not show are taken out on save with a warning,
and the paragraph left empty goes with them (releases.richtext.remove_foreign_images).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from releases.image_use import IMAGE_IN_BODY
from releases.models import Attachment, Release
from releases.richtext import RemovedImage, remove_foreign_images
from releases.services import release_duplicate
from tests.factories import ReleaseFactory, editor, image_bytes
from tests.test_admin import change_url, management_form, messages_of, release_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def published_release_with_images() -> tuple[Release, Attachment, Attachment]:
    """A public release with a featured image, an image attachment and a PDF."""
    release = ReleaseFactory(featured_image_alt="The quay")
    release.featured_image.save("quay.jpg", ContentFile(image_bytes((1600, 1000))))
    photo = Attachment(release=release, title="Harbour map", position=0)
    photo.file.save("map.png", ContentFile(image_bytes((1400, 900), "PNG")))
    sheet = Attachment(release=release, title="Fact sheet", position=1)
    sheet.file.save("facts.pdf", ContentFile(PDF))
    return release, photo, sheet


def with_body(release: Release, body: str) -> Release:
    Release.objects.filter(pk=release.pk).update(body=body)
    release.refresh_from_db()
    return release


def change_data(release: Release, **fields) -> dict:
    """The change form as sent, with the release's attachment rows as they are."""
    data = release_form_data(release, **fields)
    attachments = list(release.attachments.all())
    data.update(management_form("attachments", total=len(attachments), initial=len(attachments)))
    for i, attachment in enumerate(attachments):
        data.update(
            {
                f"attachments-{i}-id": attachment.pk,
                f"attachments-{i}-release": release.pk,
                f"attachments-{i}-title": attachment.title,
                f"attachments-{i}-description": attachment.description,
                f"attachments-{i}-position": attachment.position,
            }
        )
    return data


def stored(release: Release) -> tuple:
    """What a refused save must leave as it was."""
    release.refresh_from_db()
    return (
        release.body,
        release.featured_image.name,
        sorted(release.attachments.values_list("pk", "file")),
    )


def image_tag(url: str, alt: str = "Map") -> str:
    return f'<p>The new quay:</p><p><img src="{url}" alt="{alt}"></p>'


# -- deleting, replacing, clearing a file the body shows ------------------------------


def test_deleting_an_attachment_the_body_shows_is_refused_on_its_row(editor_client):
    release, photo, _sheet = published_release_with_images()
    release = with_body(release, image_tag(photo.file.url))
    before = stored(release)

    response = editor_client.post(
        change_url(release), change_data(release, **{"attachments-0-DELETE": "on"})
    )

    assert response.status_code == 200
    formset = next(
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "attachments"
    ).formset
    assert formset.forms[0].non_field_errors() == [IMAGE_IN_BODY]
    assert formset.non_form_errors() == [f"Attachment 1 (“Harbour map”): {IMAGE_IN_BODY}"]
    assert stored(release) == before


def test_deleting_an_attachment_the_body_does_not_show_is_saved(editor_client):
    release, photo, sheet = published_release_with_images()
    release = with_body(release, image_tag(photo.file.url))

    response = editor_client.post(
        change_url(release), change_data(release, **{"attachments-1-DELETE": "on"})
    )

    assert response.status_code == 302
    assert list(release.attachments.all()) == [photo]
    assert not Attachment.objects.filter(pk=sheet.pk).exists()


def test_removing_the_image_from_the_body_and_deleting_its_file_in_one_save_is_accepted(
    editor_client,
):
    release, photo, _sheet = published_release_with_images()
    release = with_body(release, image_tag(photo.file.url))

    response = editor_client.post(
        change_url(release),
        change_data(release, body="<p>The new quay:</p>", **{"attachments-0-DELETE": "on"}),
    )

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.body == "<p>The new quay:</p>"
    assert not Attachment.objects.filter(pk=photo.pk).exists()


def test_an_image_shown_by_a_rendition_url_counts_as_shown(editor_client):
    release, photo, _sheet = published_release_with_images()
    rendition = photo.renditions[0]["name"]
    release = with_body(release, image_tag(photo.file.storage.url(rendition)))
    before = stored(release)

    response = editor_client.post(
        change_url(release), change_data(release, **{"attachments-0-DELETE": "on"})
    )

    assert response.status_code == 200
    assert IMAGE_IN_BODY in response.content.decode()
    assert stored(release) == before


def test_replacing_the_file_of_an_attachment_the_body_shows_is_refused_on_its_file(
    editor_client,
):
    release, photo, _sheet = published_release_with_images()
    release = with_body(release, image_tag(photo.file.url))
    before = stored(release)
    data = change_data(release)
    data["attachments-0-file"] = SimpleUploadedFile(
        "new-map.png", image_bytes((800, 600), "PNG"), "image/png"
    )

    response = editor_client.post(change_url(release), data)

    assert response.status_code == 200
    formset = next(
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "attachments"
    ).formset
    assert formset.forms[0].errors["file"] == [IMAGE_IN_BODY]
    assert stored(release) == before
    # The chosen file is kept for the next try, as after any other error.
    assert "Kept: <strong>new-map.png</strong>" in response.content.decode()


def test_replacing_the_file_of_an_attachment_the_body_does_not_show_is_saved(editor_client):
    release, photo, sheet = published_release_with_images()
    release = with_body(release, image_tag(photo.file.url))
    data = change_data(release)
    data["attachments-1-file"] = SimpleUploadedFile("facts-v2.pdf", PDF, "application/pdf")

    response = editor_client.post(change_url(release), data)

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.file.name.endswith("/facts-v2.pdf")


@pytest.mark.parametrize("change", ["clear", "replace"])
def test_clearing_or_replacing_the_featured_image_the_body_shows_is_refused(editor_client, change):
    release, _photo, _sheet = published_release_with_images()
    release = with_body(release, image_tag(release.featured_image.url, alt="The quay"))
    before = stored(release)
    data = change_data(release)
    if change == "clear":
        data["featured_image-clear"] = "on"
    else:
        data["featured_image"] = SimpleUploadedFile(
            "dock.jpg", image_bytes((900, 600)), "image/jpeg"
        )

    response = editor_client.post(change_url(release), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["featured_image"] == [IMAGE_IN_BODY]
    assert stored(release) == before


def test_replacing_the_featured_image_the_body_does_not_show_is_saved(editor_client):
    release, photo, _sheet = published_release_with_images()
    release = with_body(release, image_tag(photo.file.url))
    data = change_data(release)
    data["featured_image"] = SimpleUploadedFile("dock.jpg", image_bytes((900, 600)), "image/jpeg")

    response = editor_client.post(change_url(release), data)

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.featured_image.name.endswith("/dock.jpg")


def test_the_public_page_never_gets_a_broken_body_image_through_the_form(editor_client, client):
    """The tester's path: the image placed, saved, then its attachment deleted."""
    release, photo, _sheet = published_release_with_images()
    response = editor_client.post(
        change_url(release), change_data(release, body=image_tag(photo.file.url))
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert photo.file.url in release.body

    editor_client.post(change_url(release), change_data(release, **{"attachments-0-DELETE": "on"}))

    assert client.get(photo.file.url).status_code == 200
    assert client.get(release.get_absolute_url()).status_code == 200


# -- images the body may not show --------------------------------------------------------


def test_foreign_images_are_removed_with_the_paragraph_or_figure_left_empty():
    body, removed = remove_foreign_images(
        '<p>Intro</p><p><img src="https://elsewhere.example/x.png" alt="Theirs"></p>'
        '<p><a href="https://elsewhere.example/"><img src="https://t.example/p.gif"></a></p>'
        '<figure><img src="https://elsewhere.example/y.png" alt="Y">'
        "<figcaption>Their caption</figcaption></figure>"
        '<p>Text <img src="https://elsewhere.example/z.png" alt="Z"> stays</p>'
        "<p></p>"
        '<p><img src="/media/own.png" alt="Ours"></p>',
        {"/media/own.png"},
    )
    # The editor's own empty paragraph (a spacer) is not the removal's to take.
    assert body == (
        '<p>Intro</p><p>Text  stays</p><p></p><p><img src="/media/own.png" alt="Ours"></p>'
    )
    assert removed == [
        RemovedImage("https://elsewhere.example/x.png", "Theirs"),
        RemovedImage("https://t.example/p.gif", ""),
        RemovedImage("https://elsewhere.example/y.png", "Y"),
        RemovedImage("https://elsewhere.example/z.png", "Z"),
    ]


def test_nothing_removed_leaves_the_body_as_it_was():
    body = '<p></p><p><img src="/media/own.png" alt="Ours"></p>'
    assert remove_foreign_images(body, {"/media/own.png"}) == (body, [])


def test_the_editor_is_warned_of_each_image_removed_on_save(editor_client):
    release, photo, _sheet = published_release_with_images()
    body = (
        image_tag(photo.file.url)
        + '<p><img src="https://elsewhere.example/x.png" alt="Their &quot;chart&quot;"></p>'
    )

    response = editor_client.post(change_url(release), change_data(release, body=body), follow=True)

    release.refresh_from_db()
    assert release.body == image_tag(photo.file.url)
    warnings = [m for m in messages_of(response) if m.startswith("Removed from the body")]
    assert warnings == [
        'Removed from the body: “Their "chart"” (https://elsewhere.example/x.png). '
        "The body shows only this release's own uploads: upload the file as the featured "
        "image or an attachment, save, then place it with the editor's image button."
    ]


def test_a_save_that_removes_nothing_says_nothing_about_images(editor_client):
    release, photo, _sheet = published_release_with_images()
    response = editor_client.post(
        change_url(release), change_data(release, body=image_tag(photo.file.url)), follow=True
    )
    assert not [m for m in messages_of(response) if "Removed from the body" in m]


# -- a duplicate's body keeps its images ---------------------------------------------------


def test_a_duplicate_keeps_its_body_images_on_its_first_save(editor_client):
    release, photo, _sheet = published_release_with_images()
    body = image_tag(photo.file.url) + image_tag(release.featured_image.url, alt="The quay")
    release = with_body(release, body)
    copy = release_duplicate(release=release, user=editor())

    response = editor_client.post(change_url(copy), change_data(copy), follow=True)

    assert response.status_code == 200
    copy.refresh_from_db()
    assert copy.body == body
    assert not [m for m in messages_of(response) if "Removed from the body" in m]
