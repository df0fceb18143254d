"""Domain actions on releases: who may do what, and what each action leaves in the database."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from releases.models import Attachment, Release, ReleaseContact, ReleaseOrganization, Status
from releases.services import (
    release_duplicate,
    release_publish,
    release_return_to_draft,
    release_schedule,
    release_submit_for_review,
    release_withdraw,
)
from tests.factories import (
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    UserFactory,
    editor,
    image_bytes,
    writer,
)

pytestmark = pytest.mark.django_db


def _row(release) -> dict:
    """The release as stored, for before/after comparisons."""
    return Release.objects.filter(pk=release.pk).values().get()


# -- publish ---------------------------------------------------------------------------


def test_editor_publishes_a_draft_now():
    release = ReleaseFactory(draft=True)
    user = editor()
    before = timezone.now()

    release_publish(release=release, user=user)

    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert before <= release.published_at <= timezone.now()
    assert release.updated_by == user
    assert release in Release.objects.published()


def test_editor_publishes_at_a_given_past_time():
    release = ReleaseFactory(in_review=True)
    at = timezone.now() - timedelta(days=3)

    release_publish(release=release, user=editor(), at=at)

    release.refresh_from_db()
    assert release.published_at == at
    assert release.is_published


@pytest.mark.parametrize("role", ["writer", "outsider", "inactive editor"])
def test_only_an_active_editor_may_publish_and_nothing_changes_otherwise(role):
    user = {
        "writer": writer,
        "outsider": UserFactory,
        "inactive editor": lambda: editor(is_active=False),
    }[role]()
    release = ReleaseFactory(draft=True)
    stored = _row(release)

    with pytest.raises(PermissionDenied):
        release_publish(release=release, user=user)

    assert _row(release) == stored
    assert release not in Release.objects.published()


def test_a_withdrawn_release_cannot_be_published_again():
    release = ReleaseFactory(withdrawn=True)
    stored = _row(release)

    with pytest.raises(ValidationError):
        release_publish(release=release, user=editor())

    assert _row(release) == stored


def test_a_release_without_headline_cannot_be_published():
    release = ReleaseFactory(draft=True, headline="   ")

    with pytest.raises(ValidationError):
        release_publish(release=release, user=editor())

    assert _row(release)["status"] == Status.DRAFT


# -- schedule --------------------------------------------------------------------------


def test_schedule_sets_a_future_time_and_the_release_goes_live_then():
    release = ReleaseFactory(draft=True)
    at = timezone.now() + timedelta(days=1)

    release_schedule(release=release, user=editor(), at=at)

    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.published_at == at
    assert release.is_scheduled
    assert release not in Release.objects.published()
    assert release in Release.objects.published(now=at)


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(seconds=-1), timedelta(days=-30)])
def test_schedule_rejects_a_time_that_is_not_in_the_future(offset):
    release = ReleaseFactory(draft=True)
    stored = _row(release)

    with pytest.raises(ValidationError):
        release_schedule(release=release, user=editor(), at=timezone.now() + offset)

    assert _row(release) == stored


def test_writer_cannot_schedule():
    release = ReleaseFactory(draft=True)

    with pytest.raises(PermissionDenied):
        release_schedule(release=release, user=writer(), at=timezone.now() + timedelta(days=1))

    assert _row(release)["status"] == Status.DRAFT


# -- withdraw --------------------------------------------------------------------------


def test_editor_withdraws_a_published_release_with_a_reason():
    release = ReleaseFactory()
    user = editor()
    before = timezone.now()

    release_withdraw(release=release, user=user, reason="Figures were wrong.")

    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN
    assert before <= release.withdrawn_at <= timezone.now()
    assert release.withdrawal_reason == "Figures were wrong."
    assert release.updated_by == user
    assert release not in Release.objects.published()


@pytest.mark.parametrize("trait", ["draft", "in_review", "withdrawn"])
def test_only_a_published_release_can_be_withdrawn(trait):
    release = ReleaseFactory(**{trait: True})
    stored = _row(release)

    with pytest.raises(ValidationError):
        release_withdraw(release=release, user=editor())

    assert _row(release) == stored


def test_writer_cannot_withdraw():
    release = ReleaseFactory()
    stored = _row(release)

    with pytest.raises(PermissionDenied):
        release_withdraw(release=release, user=writer())

    assert _row(release) == stored


# -- review and back to draft ----------------------------------------------------------------


def test_writer_sends_a_draft_for_review():
    release = ReleaseFactory(draft=True)
    user = writer()

    release_submit_for_review(release=release, user=user)

    release.refresh_from_db()
    assert release.status == Status.REVIEW
    assert release.updated_by == user


def test_only_a_draft_can_be_sent_for_review():
    release = ReleaseFactory()

    with pytest.raises(ValidationError):
        release_submit_for_review(release=release, user=writer())

    assert _row(release)["status"] == Status.PUBLISHED


def test_writer_takes_a_release_in_review_back_to_draft():
    release = ReleaseFactory(in_review=True)

    release_return_to_draft(release=release, user=writer())

    assert _row(release)["status"] == Status.DRAFT


@pytest.mark.parametrize("trait", [{}, {"withdrawn": True}])
def test_writer_cannot_take_a_published_or_withdrawn_release_back_to_draft(trait):
    release = ReleaseFactory(**trait)
    stored = _row(release)

    with pytest.raises(PermissionDenied):
        release_return_to_draft(release=release, user=writer())

    assert _row(release) == stored


def test_editor_takes_a_withdrawn_release_back_to_draft_and_clears_the_withdrawal():
    release = ReleaseFactory(withdrawn=True, withdrawal_reason="Wrong figures.")
    user = editor()

    release_return_to_draft(release=release, user=user)

    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.withdrawn_at is None
    assert release.withdrawal_reason == ""
    assert release.updated_by == user
    assert release not in Release.objects.published()


# -- duplicate -------------------------------------------------------------------------


def test_duplicate_is_a_new_draft_with_ordered_organizations_contacts_and_tags():
    zeta, alpha = OrganizationFactory(name="Zeta Trust"), OrganizationFactory(name="Alpha Fund")
    zoe, adam = ContactFactory(name="Zoe Zed"), ContactFactory(name="Adam Ant")
    original = ReleaseFactory(
        organizations=[zeta, alpha], contacts=[zoe, adam], tags=["health", "research"]
    )
    user = writer()

    copy = release_duplicate(release=original, user=user)

    copy = Release.objects.with_parts().get(pk=copy.pk)
    assert copy.pk != original.pk
    assert copy.slug != original.slug
    assert copy.headline == f"{original.headline} (copy)"
    assert copy.body == original.body
    assert copy.status == Status.DRAFT
    assert copy.published_at is None
    assert copy.created_by == user
    assert copy.updated_by == user
    assert list(copy.organizations.all()) == [zeta, alpha]
    assert copy.issuer == zeta
    assert list(copy.contacts.all()) == [zoe, adam]
    assert sorted(tag.name for tag in copy.tags.all()) == ["health", "research"]
    assert copy not in Release.objects.published()


def test_duplicate_leaves_the_original_and_its_links_untouched():
    organization, contact = OrganizationFactory(), ContactFactory()
    original = ReleaseFactory(organizations=[organization], contacts=[contact], tags=["health"])
    stored = _row(original)

    release_duplicate(release=original, user=writer())

    assert _row(original) == stored
    assert ReleaseOrganization.objects.filter(release=original).count() == 1
    assert ReleaseContact.objects.filter(release=original).count() == 1
    assert [tag.name for tag in original.tags.all()] == ["health"]


def test_duplicating_a_withdrawn_release_gives_a_clean_draft():
    original = ReleaseFactory(withdrawn=True, withdrawal_reason="Wrong figures.")

    copy = release_duplicate(release=original, user=editor())

    copy.refresh_from_db()
    assert copy.status == Status.DRAFT
    assert copy.withdrawn_at is None
    assert copy.withdrawal_reason == ""


def test_two_duplicates_get_two_slugs():
    original = ReleaseFactory()

    first = release_duplicate(release=original, user=writer())
    second = release_duplicate(release=original, user=writer())

    assert len({original.slug, first.slug, second.slug}) == 3


def test_duplicate_copies_the_attachment_rows_sharing_their_stored_files(media_root):
    original = ReleaseFactory(featured_image_alt="The quay")
    photo = Attachment(release=original, title="Harbour map", description="1:500", position=0)
    photo.file.save("map.png", ContentFile(image_bytes((1400, 900), "PNG")))
    sheet = Attachment(release=original, title="Fact sheet", position=1)
    sheet.file.save("facts.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    stored_files = sorted(p.name for p in media_root.rglob("*") if p.is_file())
    fields = ["title", "description", "file", "renditions", "content_type", "size", "position"]

    copy = release_duplicate(release=original, user=writer())

    copied = list(Attachment.objects.filter(release=copy).values_list(*fields))
    assert copied == list(Attachment.objects.filter(release=original).values_list(*fields))
    assert copied[0][3], "the image's renditions are recorded on the copy too"
    assert {a.pk for a in copy.attachments.all()}.isdisjoint({photo.pk, sheet.pk})
    # The same stored files, shared: nothing new in storage.
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == stored_files
    assert list(original.attachments.all()) == [photo, sheet]
