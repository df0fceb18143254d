"""A reader in a real browser downloads a release's media kit and a contact's vCard by
clicking their links, and both open: the ZIP holds the PDF, the text, the image and the
attachment; the vCard parses back with vobject."""

import zipfile
from pathlib import Path

import pytest
import vobject
from django.core.files.base import ContentFile

from releases.models import Attachment
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory, image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n%fact sheet\n" + b"1" * 1000


@pytest.fixture
def release(media_root):
    image = image_bytes((300, 200), color=(10, 90, 160))
    organization = OrganizationFactory(name="Ocean Trust")
    contact = ContactFactory(name="Zoë Ünal, PhD", role="Head of press", organization=organization)
    release = ReleaseFactory(
        headline="Reef survey finds recovery",
        organizations=[organization],
        contacts=[contact],
        featured_image_alt="Divers over a reef",
    )
    release.featured_image.save("reef.jpg", ContentFile(image), save=True)
    attachment = Attachment(release=release, title="Survey report")
    attachment.file.save("report.pdf", ContentFile(PDF), save=True)
    release.image_bytes = image
    return release


def download(page, link_name: str) -> Path:
    """Click the link where its text is. Playwright's own click point for a link that
    starts with a visually hidden span is that 1-pixel span, clipped away, so the
    paragraph would get the click."""
    link = page.get_by_role("link", name=link_name).first
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    with page.expect_download() as info:
        link.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    return Path(info.value.path())


def test_reader_downloads_the_media_kit_and_the_vcard(live_server, new_page, release):
    page = new_page(width=390, height=844, accept_downloads=True)
    page.goto(f"{live_server.url}{release.get_absolute_url()}")

    with zipfile.ZipFile(download(page, "Download the Media kit (ZIP)")) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    slug = release.slug
    assert files[f"{slug}/{slug}.pdf"].startswith(b"%PDF")
    assert "Reef survey finds recovery" in files[f"{slug}/{slug}.txt"].decode()
    assert files[f"{slug}/images/reef.jpg"] == release.image_bytes
    assert files[f"{slug}/attachments/report.pdf"] == PDF
    assert b"Divers over a reef" in files[f"{slug}/images/captions-and-credits.txt"]

    card = vobject.readOne(download(page, "Zoë Ünal, PhD").read_text("utf-8"))
    assert card.version.value == "4.0"
    assert card.fn.value == "Zoë Ünal, PhD"
    assert card.org.value == ["Ocean Trust"]
    assert card.title.value == "Head of press"
