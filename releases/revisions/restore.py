"""Bringing a revision back, as a new revision.

Rules (docs/architecture.md, “Revisions”): the text, media, author, tags, organization and
contact links (with their order), attachments and corrections come back as they were. The
status never changes (it moves only through the lifecycle services, which check their
rules and tell the audit log). The publication time and the embargo come back only for a
user who may publish (``releases.publish_release``); for anyone else they stay as they
are, as do the withdrawal time and reason for everyone.
"""

from __future__ import annotations

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from releases.models import (
    Attachment,
    Contact,
    Correction,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
)
from releases.revisions.record import record_revision
from releases.revisions.snapshots import SNAPSHOT_FIELDS, parts_of
from releases.services import can_publish
from releases.times import local_time

KEPT_FIELDS = ("status", "withdrawn_at", "withdrawal_reason")
PUBLISHER_FIELDS = ("published_at", "embargoed_until")


def restored_fields(user) -> list[str]:
    """The release's own fields a restore by ``user`` brings back."""
    kept = {*KEPT_FIELDS, *(() if can_publish(user) else PUBLISHER_FIELDS)}
    return [field.attname for field in SNAPSHOT_FIELDS if field.name not in kept]


@transaction.atomic
def release_restore(*, release: Release, version: Version, user, may_change: bool) -> Release:
    """Make ``release`` read as ``version`` did (see the module's rules) and record that
    as a new revision. ``may_change``: the caller's verdict on the user's right to
    change this release (the admin's ``has_change_permission``).

    Raises ``PermissionDenied`` without it, ``ValidationError`` when the version is not
    this release's or the result would be invalid (a slug taken since, …)."""
    if not may_change:
        raise PermissionDenied("You may not change this release.")
    release_type = ContentType.objects.get_for_model(Release)
    if version.content_type_id != release_type.pk or version.object_id != str(release.pk):
        raise ValidationError("That revision belongs to another release.")
    release = Release.objects.select_for_update().get(pk=release.pk)
    stored = version.field_dict
    for attname in restored_fields(user):
        setattr(release, attname, stored.get(attname))
    release.updated_by = user
    release.full_clean(validate_unique=True)
    parts = parts_of(version)
    with reversion.create_revision(manage_manually=True):
        release.save()
        _restore_links(release, parts)
        _restore_rows(release, Attachment, parts.get(Attachment, []))
        _restore_rows(release, Correction, parts.get(Correction, []))
        _restore_tags(release, parts, release_type)
        when = local_time(version.revision.date_created)
        record_revision(release.pk, user=user, comment=f"Restored the revision of {when}.")
    return release


def _restore_links(release: Release, parts: dict) -> None:
    # Links to an organization or contact deleted since cannot come back; the rest do.
    for model, target, key in (
        (ReleaseOrganization, Organization, "organization_id"),
        (ReleaseContact, Contact, "contact_id"),
    ):
        rows = sorted(
            (row for row in parts.get(model, []) if row.release_id == release.pk),
            key=lambda row: (row.position, row.pk),
        )
        existing = set(
            target.objects.filter(pk__in=[getattr(r, key) for r in rows]).values_list(
                "pk", flat=True
            )
        )
        model.objects.filter(release=release).delete()
        for position, row in enumerate(r for r in rows if getattr(r, key) in existing):
            model.objects.create(release=release, position=position, **{key: getattr(row, key)})


def _restore_rows(release: Release, model, rows: list) -> None:
    rows = [row for row in rows if row.release_id == release.pk]
    model.objects.filter(release=release).exclude(pk__in=[row.pk for row in rows]).delete()
    for row in rows:
        row.save()


def _restore_tags(release: Release, parts: dict, release_type) -> None:
    names = {tag.pk: tag.name for tag in parts.get(Tag, [])}
    tag_ids = [
        item.tag_id
        for item in parts.get(TaggedItem, [])
        if item.content_type_id == release_type.pk and str(item.object_id) == str(release.pk)
    ]
    # By name: a tag renamed or deleted since is found or made again, never renamed back
    # (other releases carry it).
    release.tags.set([names[t] for t in tag_ids if t in names])
