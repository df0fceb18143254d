"""Releases to share, and links made through the services (the only way links are made)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from newsroom.sharing import services
from releases.models import Attachment
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    editor,
)

PDF = b"%PDF-1.4\n%fact sheet\n"
JANE = services.RecipientData(
    email="jane@daily.example", name="Jane Roe", outlet="The Daily Example"
)


@pytest.fixture
def lift():
    """The embargo lift of ``embargoed``: a day from now, on the minute."""
    return (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)


@pytest.fixture
def embargoed(lift):
    """A published release held back by its embargo, whose organization, author, tags and
    attachment appear on no public release (so none of their pages is public)."""
    organization = OrganizationFactory(name="Harbour Merger Partner")
    release = ReleaseFactory(
        headline="Harbour merger agreed",
        embargoed_until=lift,
        organizations=[organization],
        contacts=[ContactFactory(organization=organization)],
        author=AuthorFactory(name="Secret Author"),
        tags=["merger-secret"],
    )
    attachment = Attachment(release=release, title="Fact sheet", position=0)
    attachment.file.save("fact sheet.pdf", ContentFile(PDF))
    return release


@pytest.fixture
def the_editor(db):
    return editor(username="edna", email="edna@newsroom.example", first_name="Edna")


@pytest.fixture
def embargo_link(embargoed, the_editor):
    """``IssuedLink`` of Jane Roe's embargo link to ``embargoed``."""
    [issued] = services.share_release(release=embargoed, recipients=[JANE], user=the_editor)
    return issued


@pytest.fixture
def draft(db):
    return ReleaseFactory(draft=True, headline="Quarterly figures draft")


@pytest.fixture
def review_link(draft, the_editor):
    return services.make_review_link(
        release=draft,
        recipient=services.RecipientData(email="legal@client.example", name="Lee Gal"),
        user=the_editor,
    )


@pytest.fixture(autouse=True)
def _media(media_root):
    """Every sharing test stores files in a folder of its own."""
    return media_root
