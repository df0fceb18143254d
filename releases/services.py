"""Domain actions on releases. The admin, commands and API all call these.

Each function checks the acting user's permission itself, so no form, admin
action or script can publish without ``releases.publish_release``.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from releases.indexing import update_search_vectors
from releases.models import Release, ReleaseContact, ReleaseOrganization, Status
from releases.signals import send_release_action

PUBLISH_PERMISSION = "releases.publish_release"


def can_publish(user) -> bool:
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def _require_publisher(user) -> None:
    if not can_publish(user):
        raise PermissionDenied("Only editors may publish, schedule, withdraw or unpublish.")


def _save(release: Release, user, fields: list[str]) -> Release:
    release.updated_by = user
    release.full_clean(exclude=["slug"], validate_unique=False)
    release.save(update_fields=[*fields, "updated_by", "updated_at"])
    return release


@transaction.atomic
def release_publish(*, release: Release, user, at: datetime | None = None) -> Release:
    """Publish now, or at ``at`` (past or future). A future time schedules it.

    Returns the release. Published is not yet public: an embargo or a future time keeps
    it back until ``release.goes_public_at``, which is what any report of the outcome
    must state (see ``releases.admin.actions.publication_messages``).
    """
    _require_publisher(user)
    if release.status == Status.WITHDRAWN:
        raise ValidationError("A withdrawn release cannot be published again; duplicate it.")
    if not release.headline.strip():
        raise ValidationError("A release needs a headline before it is published.")
    if at is None and release.is_published:
        # Publishing a release that is already public must not move it in every list.
        at = release.published_at
    release.status = Status.PUBLISHED
    release.published_at = at or timezone.now()
    _save(release, user, ["status", "published_at"])
    scheduled = release.published_at > timezone.now()
    send_release_action(release=release, user=user, action="schedule" if scheduled else "publish")
    return release


def release_schedule(*, release: Release, user, at: datetime) -> Release:
    """Publish at a future time. It goes live by itself then, or when its embargo lifts if later."""
    if at <= timezone.now():
        raise ValidationError("Pick a time in the future to schedule a release.")
    return release_publish(release=release, user=user, at=at)


@transaction.atomic
def release_return_to_draft(*, release: Release, user) -> Release:
    """Take a release back to draft. Unpublishing needs the publish permission."""
    if release.status in (Status.PUBLISHED, Status.WITHDRAWN):
        _require_publisher(user)
    was = release.status
    release.status = Status.DRAFT
    release.withdrawn_at = None
    release.withdrawal_reason = ""
    _save(release, user, ["status", "withdrawn_at", "withdrawal_reason"])
    if was in (Status.PUBLISHED, Status.WITHDRAWN):
        send_release_action(release=release, user=user, action="unpublish")
    return release


@transaction.atomic
def release_submit_for_review(*, release: Release, user) -> Release:
    if release.status != Status.DRAFT:
        raise ValidationError("Only a draft can be sent for review.")
    release.status = Status.REVIEW
    _save(release, user, ["status"])
    send_release_action(release=release, user=user, action="submit")
    return release


@transaction.atomic
def release_withdraw(*, release: Release, user, reason: str = "") -> Release:
    """Take a published release down; its URL then answers 410 Gone."""
    _require_publisher(user)
    if release.status != Status.PUBLISHED:
        raise ValidationError("Only a published release can be withdrawn.")
    release.status = Status.WITHDRAWN
    release.withdrawn_at = timezone.now()
    release.withdrawal_reason = reason[:300]
    _save(release, user, ["status", "withdrawn_at", "withdrawal_reason"])
    send_release_action(release=release, user=user, action="withdraw", note=reason[:300])
    return release


@transaction.atomic
def release_duplicate(*, release: Release, user) -> Release:
    """A new draft with the same text, organizations, contacts and tags."""
    copy = Release.objects.get(pk=release.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.slug = ""
    copy.headline = f"{release.headline} (copy)"[:255]
    copy.status = Status.DRAFT
    copy.published_at = None
    copy.withdrawn_at = None
    copy.withdrawal_reason = ""
    copy.created_by = user
    copy.updated_by = user
    copy.save()
    ReleaseOrganization.objects.bulk_create(
        ReleaseOrganization(
            release=copy, organization_id=link.organization_id, position=link.position
        )
        for link in ReleaseOrganization.objects.filter(release=release)
    )
    ReleaseContact.objects.bulk_create(
        ReleaseContact(release=copy, contact_id=link.contact_id, position=link.position)
        for link in ReleaseContact.objects.filter(release=release)
    )
    copy.tags.set(list(release.tags.all()))
    # bulk_create sends no signal: index the copy's organization names now.
    update_search_vectors([copy.pk])
    send_release_action(release=copy, user=user, action="duplicate", note=str(release.pk))
    return copy
