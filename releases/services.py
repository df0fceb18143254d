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
from releases.models import (
    Attachment,
    Correction,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    ReviewNote,
    Status,
)
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
def release_submit_for_review(*, release: Release, user, note: str = "") -> Release:
    """Draft → in review, with the writer's ``note`` added to the review thread.

    Raises ``ValidationError`` unless the release is a draft.
    """
    if release.status != Status.DRAFT:
        raise ValidationError("Only a draft can be sent for review.")
    release.status = Status.REVIEW
    _save(release, user, ["status"])
    _note(release, user, ReviewNote.Kind.SUBMITTED, note)
    send_release_action(release=release, user=user, action="submit", note=note.strip())
    return release


@transaction.atomic
def release_send_back(*, release: Release, user, comment: str) -> Release:
    """In review → draft, with the editor's ``comment`` (required) on the thread.

    Raises ``PermissionDenied`` without ``releases.publish_release`` (reviewing is an
    editor's decision) and ``ValidationError`` for an empty comment or a release that
    is not in review.
    """
    _require_publisher(user)
    if release.status != Status.REVIEW:
        raise ValidationError("Only a release in review can be sent back.")
    if not comment.strip():
        raise ValidationError("Say what must change before sending the release back.")
    release.status = Status.DRAFT
    _save(release, user, ["status"])
    _note(release, user, ReviewNote.Kind.SENT_BACK, comment)
    send_release_action(release=release, user=user, action="send_back", note=comment.strip())
    return release


@transaction.atomic
def release_approve(
    *, release: Release, user, at: datetime | None = None, note: str = ""
) -> Release:
    """In review → published now (``at`` None or past) or scheduled (``at`` in the future).

    Sends the action "approve" (not "publish"/"schedule": one decision, one action; the
    note says which). Raises ``PermissionDenied`` without ``releases.publish_release``
    and ``ValidationError`` for a release not in review. Pre-publish checks
    (``releases.checks``) are the caller's to show; they do not stop the service.
    """
    _require_publisher(user)
    if release.status != Status.REVIEW:
        raise ValidationError("Only a release in review can be approved.")
    if not release.headline.strip():
        raise ValidationError("A release needs a headline before it is published.")
    release.status = Status.PUBLISHED
    release.published_at = at or timezone.now()
    _save(release, user, ["status", "published_at"])
    scheduled = release.published_at > timezone.now()
    outcome = "approved and scheduled" if scheduled else "approved and published"
    text = note.strip() or outcome.capitalize() + "."
    _note(release, user, ReviewNote.Kind.APPROVED, text)
    send_release_action(release=release, user=user, action="approve", note=outcome)
    return release


def _note(release: Release, user, kind: str, text: str) -> ReviewNote:
    author = user if getattr(user, "pk", None) else None
    return ReviewNote.objects.create(release=release, author=author, kind=kind, text=text.strip())


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
    """A new draft with the same text, organizations, contacts, tags, featured image
    and attachments.

    The copy's attachment rows (titles, descriptions, positions, recorded type, size
    and renditions) name the same stored files as the original's: nothing is copied in
    storage, the body's images stay the copy's own (``releases.forms.body_images``
    offers them, so its first save keeps them), and ``releases.views.media`` serves a
    name shared by several rows when any of them is visible, so the original withdrawn
    or deleted leaves the copy's files served once it is public. No file is deleted
    when a row goes (nothing in the project deletes stored uploads).
    """
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
    # bulk_create runs the fields' pre_save but not Attachment.save: the stored facts
    # and renditions are copied as they are, without reading the files again.
    Attachment.objects.bulk_create(
        Attachment(
            release=copy,
            file=attachment.file.name,
            renditions=attachment.renditions,
            title=attachment.title,
            description=attachment.description,
            content_type=attachment.content_type,
            size=attachment.size,
            position=attachment.position,
        )
        for attachment in Attachment.objects.filter(release=release)
    )
    copy.tags.set(list(release.tags.all()))
    # bulk_create sends no signal: index the copy's organization names now.
    update_search_vectors([copy.pk])
    send_release_action(release=copy, user=user, action="duplicate", note=str(release.pk))
    return copy


@transaction.atomic
def correction_add(*, release: Release, user, note: str, noted_at: datetime | None = None):
    """Add a public correction (“Updated <date>: <note>”) to ``release`` and say so.

    Returns the ``Correction``. Needs ``releases.add_correction``, and the publish
    permission on a published or withdrawn release (only editors change those);
    ``PermissionDenied`` otherwise, ``ValidationError`` for an empty note.
    """
    if not (user and user.is_active and user.has_perm("releases.add_correction")):
        raise PermissionDenied("You may not add corrections.")
    if release.status in (Status.PUBLISHED, Status.WITHDRAWN):
        _require_publisher(user)
    if not note.strip():
        raise ValidationError("A correction needs a note.")
    correction = Correction(release=release, note=note, noted_at=noted_at or timezone.now())
    correction.full_clean()
    correction.save()
    send_release_action(release=release, user=user, action="correction", note=note)
    return correction
