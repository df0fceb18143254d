"""The PDF download reads its images through the storage API, so it prints them on any
backend (``NEWSROOM_MEDIA_STORAGE=s3`` included), and still only the release's own
files or public ones. Django's InMemoryStorage stands in for a store that is not the
local disk: nothing of it has a path."""

import io

import pypdf
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from releases.models import Attachment, Release
from tests.factories import OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_memory(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not-used"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    cache.clear()  # rendered PDFs are cached under the release's version
    yield default_storage
    cache.clear()


def _jpeg(size=(300, 200), colour=(200, 80, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def _image_xobjects(resources) -> list:
    """Every image XObject in ``resources``, also inside form XObjects."""
    found = []
    xobjects = resources.get("/XObject") if resources else None
    for xobject in (xobjects or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append(xobject)
        elif xobject.get("/Subtype") == "/Form":
            found += _image_xobjects(xobject.get("/Resources"))
    return found


def _pdf_images(client, release) -> list:
    response = client.get(reverse("releases:download_pdf", kwargs={"slug": release.slug}))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return [image for page in reader.pages for image in _image_xobjects(page["/Resources"])]


def test_the_pdf_prints_the_featured_image_from_a_storage_without_paths(
    client, in_memory, settings
):
    release = ReleaseFactory(featured_image_alt="A red field")
    release.featured_image.save("field.jpg", ContentFile(_jpeg()), save=True)
    assert in_memory.exists(release.featured_image.name)
    assert not settings.MEDIA_ROOT.exists()  # nothing on disk to read instead

    images = _pdf_images(client, release)

    assert [(image["/Width"], image["/Height"]) for image in images] == [(300, 200)]


def test_the_pdf_prints_the_issuers_logo_from_the_storage(client):
    issuer = OrganizationFactory()
    issuer.logo.save("logo.jpg", ContentFile(_jpeg((120, 40), (20, 60, 120))), save=True)
    release = ReleaseFactory(organizations=[issuer])

    images = _pdf_images(client, release)

    assert [(image["/Width"], image["/Height"]) for image in images] == [(120, 40)]


def test_body_images_follow_the_visibility_rule_on_any_storage(client):
    """The release's own attachment (and its rendition) and a public release's image
    print; a draft's image does not, though the storage has it."""
    hidden = ReleaseFactory(draft=True, featured_image_alt="Secret product")
    hidden.featured_image.save("secret.jpg", ContentFile(_jpeg((90, 60))), save=True)
    shown = ReleaseFactory(featured_image_alt="A public chart")
    shown.featured_image.save("chart.jpg", ContentFile(_jpeg((80, 60))), save=True)
    release = ReleaseFactory(draft=True)
    own = Attachment(release=release, title="Photo")
    own.file.save("own.jpg", ContentFile(_jpeg((700, 400))), save=True)
    rendition = next(r for r in own.renditions if r["width"] == 640 and r["type"] == "image/jpeg")
    release.body = "".join(
        f'<p><img src="/media/{name}" alt="x"></p>'
        for name in (hidden.featured_image.name, shown.featured_image.name, rendition["name"])
    )
    release.status = "published"
    release.published_at = shown.published_at
    release.save()

    images = _pdf_images(client, Release.objects.get(pk=release.pk))

    assert sorted((image["/Width"], image["/Height"]) for image in images) == [
        (80, 60),
        (640, rendition["height"]),
    ]
