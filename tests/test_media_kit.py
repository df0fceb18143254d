"""The media kit: ``<release URL>media-kit.zip``, one streamed ZIP per public release.

Unzipped and read back: the PDF, the text, the original images with their captions and
credits, the attachments, byte for byte; nothing of a release the reader may not see.
"""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from newsroom.sharing import services
from newsroom.sharing.models import link_path
from releases.downloads.media_kit import Names, member_name
from releases.models import Attachment
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory, editor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fact sheet\n" + b"0" * 3000
NOT_PUBLIC = ["draft", "in_review", "scheduled", "embargoed"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    cache.clear()
    yield settings.MEDIA_ROOT
    cache.clear()


def jpeg(size=(64, 48), color=(200, 80, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def attach(release, name: str, data: bytes, title: str, position: int = 0, **kwargs):
    attachment = Attachment(release=release, title=title, position=position, **kwargs)
    attachment.file.save(name, ContentFile(data), save=True)
    return attachment


def kit_release(**kwargs) -> tuple:
    """A public release with a featured image, an image attachment and a PDF attachment;
    returns it and the bytes of each file."""
    image, photo = jpeg(), png()
    release = ReleaseFactory(
        headline="Reef survey finds recovery",
        featured_image_alt="Divers over a coral reef",
        featured_image_caption="The northern reef in February",
        featured_image_credit="A. Diver / Ocean Trust",
        organizations=[OrganizationFactory()],
        contacts=[ContactFactory()],
        **kwargs,
    )
    release.featured_image.save("reef.jpg", ContentFile(image), save=True)
    attach(release, "report.pdf", PDF, "Survey report", 0, description="The full survey.")
    attach(release, "map.png", photo, "Survey map", 1, description="Where the divers went.")
    return release, {"image": image, "photo": photo}


def kit_url(release) -> str:
    return reverse("releases:download_media_kit", kwargs={"slug": release.slug})


def unzip(response) -> dict[str, bytes]:
    assert isinstance(response, StreamingHttpResponse)
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def member(files: dict[str, bytes], suffix: str) -> bytes:
    [name] = [name for name in files if name.endswith(suffix)]
    return files[name]


def test_media_kit_holds_pdf_text_images_captions_and_attachments(client):
    release, originals = kit_release()
    response = client.get(kit_url(release))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"{release.slug}-media-kit.zip" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    files = unzip(response)
    slug = release.slug
    assert set(files) == {
        f"{slug}/{slug}.pdf",
        f"{slug}/{slug}.txt",
        f"{slug}/images/reef.jpg",
        f"{slug}/images/map.png",
        f"{slug}/images/captions-and-credits.txt",
        f"{slug}/attachments/report.pdf",
    }
    assert files[f"{slug}/{slug}.pdf"].startswith(b"%PDF")
    assert "Reef survey finds recovery" in files[f"{slug}/{slug}.txt"].decode()
    # The originals as uploaded, not renditions.
    assert files[f"{slug}/images/reef.jpg"] == originals["image"]
    assert files[f"{slug}/images/map.png"] == originals["photo"]
    assert files[f"{slug}/attachments/report.pdf"] == PDF


def test_captions_file_names_each_image_with_alt_text_caption_and_credit(client):
    release, _ = kit_release()
    captions = member(unzip(client.get(kit_url(release))), "captions-and-credits.txt").decode()

    featured = captions.index("File: reef.jpg")
    assert captions.index("Alt text: Divers over a coral reef") > featured
    assert captions.index("Caption: The northern reef in February") > featured
    assert captions.index("Credit: A. Diver / Ocean Trust") > featured
    attached = captions.index("File: map.png")
    assert captions.index("Alt text: Survey map") > attached
    assert captions.index("Caption: Where the divers went.") > attached


def test_names_inside_the_zip_are_utf8_flagged(client):
    release, _ = kit_release()
    attach(release, "Übersicht 2025.pdf", PDF, "Übersicht", 3)
    data = b"".join(client.get(kit_url(release)).streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        [info] = [i for i in archive.infolist() if "bersicht" in i.filename]
    assert info.filename.endswith("/attachments/Übersicht_2025.pdf")
    assert info.flag_bits & 0x800  # the language-encoding (UTF-8) flag


def test_a_malicious_attachment_name_stays_inside_the_zip(client, media_root):
    release, _ = kit_release()
    evil = attach(release, "evil.pdf", PDF, "Evil", 5)
    # A stored name no upload would get, as a rogue import or another storage might.
    hostile = "attachments/tok/..\\..\\..\\etc\\CON.pdf"
    (media_root / "attachments" / "tok").mkdir(parents=True)
    (media_root / hostile).write_bytes(b"%PDF-1.4 hostile")
    Attachment.objects.filter(pk=evil.pk).update(file=hostile)

    files = unzip(client.get(kit_url(release)))
    names = list(files)
    assert all(name.startswith(f"{release.slug}/") for name in names)
    assert not any(".." in part for name in names for part in name.split("/"))
    assert not any("\\" in name or name.startswith("/") for name in names)
    assert files[f"{release.slug}/attachments/_CON.pdf"] == b"%PDF-1.4 hostile"


@pytest.mark.parametrize(
    ("stored", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..", "file"),
        ("a/b/..\\..\\x.txt", "x.txt"),
        ("nul.txt", "_nul.txt"),
        ("bad\x00name\x1f.pdf", "badname.pdf"),
        ('what?<is>"this":*|.pdf', "what__is__this____.pdf"),
        (" . hidden. ", "hidden"),
        ("x" * 300 + ".jpeg", "x" * 115 + ".jpeg"),
    ],
)
def test_member_name_is_a_plain_file_name(stored, safe):
    assert member_name(stored) == safe


def test_names_are_unique_whatever_their_case():
    names = Names()
    assert names.unique("kit", "Photo.jpg") == "kit/Photo.jpg"
    assert names.unique("kit", "photo.jpg") == "kit/photo (2).jpg"
    assert names.unique("kit", "a/PHOTO.jpg") == "kit/PHOTO (3).jpg"
    assert names.unique("other", "photo.jpg") == "other/photo.jpg"


def test_two_attachments_of_the_same_name_both_reach_the_zip(client):
    release, _ = kit_release()
    first = attach(release, "notes.txt", b"first", "Notes", 4)
    second = attach(release, "notes.txt", b"second", "More notes", 5)
    assert first.file.name != second.file.name  # different random folders
    files = unzip(client.get(kit_url(release)))
    assert files[f"{release.slug}/attachments/notes.txt"] == b"first"
    assert files[f"{release.slug}/attachments/notes (2).txt"] == b"second"


def test_an_image_named_like_the_captions_file_does_not_replace_it(client):
    release, _ = kit_release()
    attach(release, "captions-and-credits.txt.png", png(), "Odd", 4)
    attach(release, "captions-and-credits.txt", b"not the captions", "Notes", 5)
    files = unzip(client.get(kit_url(release)))
    assert files[f"{release.slug}/images/captions-and-credits.txt"].startswith(b"Images of")
    assert files[f"{release.slug}/attachments/captions-and-credits.txt"] == b"not the captions"


def test_a_file_missing_from_storage_is_left_out_not_a_broken_zip(client):
    release, _ = kit_release()
    release.attachments.get(title="Survey report").file.delete(save=False)
    files = unzip(client.get(kit_url(release)))
    assert not any(name.endswith("report.pdf") for name in files)
    assert any(name.endswith("map.png") for name in files)


def test_a_missing_file_takes_no_number_from_the_files_named_like_it(client):
    release, _ = kit_release()
    for position, title in enumerate(("First", "Gone", "Third"), start=10):
        attach(release, "Facts.pdf", PDF, title, position)
    release.attachments.get(title="Gone").file.delete(save=False)
    names = sorted(n for n in unzip(client.get(kit_url(release))) if "/Facts" in n)
    assert names == [
        f"{release.slug}/attachments/Facts (2).pdf",
        f"{release.slug}/attachments/Facts.pdf",
    ]


def test_a_release_without_files_still_has_its_pdf_and_text(client):
    release = ReleaseFactory()
    files = unzip(client.get(kit_url(release)))
    assert set(files) == {
        f"{release.slug}/{release.slug}.pdf",
        f"{release.slug}/{release.slug}.txt",
    }


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_media_kit_of_a_release_that_is_not_public_is_404(client, state):
    release, _ = kit_release(**{state: True})
    assert client.get(kit_url(release)).status_code == 404


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_staff_get_no_media_kit_of_a_release_that_is_not_public_either(client, state):
    # Like release.pdf: the downloads are public copies; staff preview the page.
    release, _ = kit_release(**{state: True})
    client.force_login(editor())
    assert client.get(kit_url(release)).status_code == 404


def test_media_kit_of_a_withdrawn_release_is_410(client):
    release, _ = kit_release()
    release.status = "withdrawn"
    release.withdrawn_at = timezone.now()
    release.save()
    assert client.get(kit_url(release)).status_code == 410


def test_media_kit_under_an_old_slug_redirects(client):
    release, _ = kit_release()
    old_url = kit_url(release)
    release.slug = "a-new-slug"
    release.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == kit_url(release)


def test_repeat_with_the_etag_is_304(client):
    release, _ = kit_release()
    etag = client.get(kit_url(release))["ETag"]
    assert client.get(kit_url(release), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_new_attachment_changes_the_etag(client):
    release, _ = kit_release()
    etag = client.get(kit_url(release))["ETag"]
    attach(release, "extra.pdf", PDF, "Extra", 9)
    assert client.get(kit_url(release))["ETag"] != etag


def test_media_kit_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    release, _ = kit_release()
    # with_parts (4), corrections, attachments; streaming the files queries nothing.
    with django_assert_num_queries(6):
        unzip(client.get(kit_url(release)))
    for n in range(3):
        attach(release, f"more-{n}.pdf", PDF, f"More {n}", 10 + n)
    with django_assert_num_queries(6):
        unzip(client.get(kit_url(release)))


def test_release_page_links_the_media_kit(client):
    release, _ = kit_release()
    html = client.get(release.get_absolute_url()).content.decode()
    assert f'href="{kit_url(release)}" type="application/zip"' in html


# -- embargo links ------------------------------------------------------------------------


@pytest.fixture
def embargo_link():
    release, originals = kit_release(
        embargoed_until=(timezone.now() + timedelta(days=1)).replace(microsecond=0)
    )
    user = editor(username="edna")
    [issued] = services.share_release(
        release=release,
        recipients=[services.RecipientData(email="jane@daily.example", name="Jane Roe")],
        user=user,
    )
    return issued, release, originals


def test_embargo_link_serves_the_media_kit(client, embargo_link):
    issued, release, originals = embargo_link
    assert client.get(kit_url(release)).status_code == 404  # not to the public

    url = link_path(issued.link.kind, issued.token, "media_kit")
    assert url == f"{link_path(issued.link.kind, issued.token)}media-kit.zip"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    files = unzip(response)
    assert member(files, "/images/reef.jpg") == originals["image"]
    assert member(files, "/attachments/report.pdf") == PDF
    assert member(files, f"{release.slug}.pdf").startswith(b"%PDF")
    assert issued.link.views.filter(what="media kit").count() == 1


def test_shared_page_links_the_media_kit(client, embargo_link):
    issued, _, _ = embargo_link
    html = client.get(link_path(issued.link.kind, issued.token)).content.decode()
    assert f'href="{link_path(issued.link.kind, issued.token, "media_kit")}"' in html


def test_revoked_embargo_link_serves_no_media_kit(client, embargo_link):
    issued, _, _ = embargo_link
    services.revoke(link=issued.link, user=issued.link.created_by)
    assert client.get(link_path(issued.link.kind, issued.token, "media_kit")).status_code == 410


def test_review_link_media_kit_says_draft(client):
    release, _ = kit_release(draft=True)
    issued = services.make_review_link(
        release=release,
        recipient=services.RecipientData(email="legal@client.example", name="Lee Gal"),
        user=editor(username="edna"),
    )
    files = unzip(client.get(link_path(issued.link.kind, issued.token, "media_kit")))
    assert member(files, f"{release.slug}.txt").decode().startswith("DRAFT")
