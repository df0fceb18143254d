"""When the public data last changed: the basis of ETag / Last-Modified and cache keys.

The public set changes when a release is saved, and also when time passes a
scheduled publication or an embargo — with no write at all. So the version is the
latest of: the last write to any release or organization (their ``updated_at``), the
data version (``DataVersion.changed_at``: deletes, link rows, tags, people,
attachments, corrections — writes no surviving timestamp shows), and the latest moment
a currently public release *became* public.

The data version moves from signal receivers (``connect_signals``), in the transaction
of the write: a model ``save()``/``delete()`` (the admin, its delete view and inlines,
``QuerySet.delete()``, which sends ``post_delete`` per row when receivers listen) and
the many-to-many managers (``m2m_changed``). ``QuerySet.update()``, ``bulk_create()``
and ``bulk_update()`` send no signal: their callers call ``data_changed()``.
Why receivers (the style guide keeps domain work out of them): the version is
derived data, like a cache key, and must follow every path that writes its sources.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from releases.models import (
    Attachment,
    Author,
    Contact,
    Correction,
    DataVersion,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    ReleaseSlug,
    Status,
    published_q,
)

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Entries are a few bytes; pruning every so many keeps the log short without a job.
PRUNE_EVERY = 100
# Entries younger than this are never pruned: longer than the facets kept per block go
# without a full count plus their margin (releases.facets.BLOCK_FULL_AGE, BLOCK_MARGIN).
KEEP_SECONDS = 65 * 60


def _latest(queryset, field: str) -> Subquery:
    """The greatest ``field`` of ``queryset``, read from the top of an index."""
    return Subquery(
        queryset.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1]
    )


@dataclass(frozen=True)
class PublicVersion:
    """``last_modified``: see ``public_last_modified()``. ``tags_changed``: when tag names
    or a release's tags last changed (release cards print them); the epoch if never."""

    last_modified: dt.datetime
    tags_changed: dt.datetime


def public_version(now: dt.datetime | None = None) -> PublicVersion:
    """One query, of index look-ups only (no table scan at 100,000 releases), carried by
    the newest data version entry (two or three when the log is empty, as after a test
    flush).

    Never in the future; the epoch when there is nothing yet. A public release became
    public at the later of its publication time and its embargo, so the latest such
    moment is the later of the two maxima over the public set.
    """
    now = now or timezone.now()
    public = Release.objects.filter(published_q(now))
    stamps = {
        "written": _latest(Release.objects.all(), "updated_at"),
        "went_live": _latest(public, "published_at"),
        "embargo_lifted": _latest(public, "embargoed_until"),
        "organization_written": _latest(Organization.objects.all(), "updated_at"),
        "tags_changed": _latest(DataVersion.objects.filter(tags=True), "changed_at"),
    }
    newest = DataVersion.objects.order_by("-changed_at")
    rows = list(newest.values(changed=F("changed_at"), **stamps)[:1])
    values = rows[0] if rows else _without_data_version(now)
    tags = values.pop("tags_changed", None)
    candidates = [v for v in values.values() if v is not None]
    latest = max(candidates) if candidates else EPOCH
    return PublicVersion(last_modified=min(latest, now), tags_changed=tags or EPOCH)


def _without_data_version(now: dt.datetime) -> dict:
    """The stamps with no data version row: deletes since the last write are not seen."""
    public = Release.objects.filter(published_q(now))
    stamps = {
        "written": Max(_latest(Release.objects.all(), "updated_at")),
        "went_live": Max(_latest(public, "published_at")),
        "embargo_lifted": Max(_latest(public, "embargoed_until")),
        "organization_written": Max("updated_at"),
    }
    # The sub-selects ride on the small organization table; an empty one yields no row.
    values = Organization.objects.aggregate(**stamps)
    if values["organization_written"] is None:
        values = Release.objects.aggregate(
            written=Max("updated_at"),
            went_live=Max(
                Greatest("published_at", Coalesce("embargoed_until", "published_at")),
                filter=published_q(now),
            ),
        )
    return values


def public_last_modified(now: dt.datetime | None = None) -> dt.datetime:
    """When the public data last changed (``public_version(now).last_modified``)."""
    return public_version(now).last_modified


# -- moving the data version -------------------------------------------------------------


def data_changed(
    *,
    using: str = "default",
    tags: bool = False,
    release_id: int | None = None,
    unlisted: bool = False,
    takedown: bool = False,
    row_release_id: int | None = None,
) -> None:
    """Add an entry at now to the data version log (``tags``: tag names or a release's
        tags changed; ``release_id``: the write only changed what that release's own pages
        and cards show, see ``DataVersion.release_id``; ``unlisted``: that release is a
        draft or in review, shown on no public page; ``takedown``: a release left public
        view, see ``DataVersion.takedown``; ``row_release_id``: the release whose own row
    was saved, see ``DataVersion.row_release_id``): one INSERT, in the caller's
        transaction, so the change and its new version commit together. Every
        ``PRUNE_EVERY``-th entry prunes the older ones once its transaction has committed."""
    entry = DataVersion.objects.using(using).create(
        changed_at=timezone.now(),
        tags=tags,
        release_id=release_id,
        unlisted=unlisted,
        takedown=takedown,
        row_release_id=row_release_id,
    )
    if entry.pk % PRUNE_EVERY == 0:
        transaction.on_commit(
            functools.partial(prune_data_versions, using=using, before=entry.pk),
            using=using,
            robust=True,
        )


def prune_data_versions(*, using: str = "default", before: int | None = None) -> int:
    """Delete the log entries older than ``before`` (all but the newest when None) and
    than ``KEEP_SECONDS``, keeping the newest entry and the newest tags entry. Returns
    how many went."""
    log = DataVersion.objects.using(using)
    keep = [
        log.order_by("-changed_at").values_list("pk", flat=True).first(),
        log.filter(tags=True).order_by("-changed_at").values_list("pk", flat=True).first(),
        # The page cache's token reads the newest entry that concerned no one release:
        # it must never go back to an older value.
        log.filter(release_id__isnull=True).order_by("-pk").values_list("pk", flat=True).first(),
        # ... and the newest takedown: pages stored before it never stand in again.
        log.filter(takedown=True).order_by("-pk").values_list("pk", flat=True).first(),
    ]
    # ... and every entry of the last KEEP_SECONDS: the facets kept per block read which
    # releases were written since they were counted (releases.facets).
    recent = timezone.now() - dt.timedelta(seconds=KEEP_SECONDS)
    old = log.exclude(pk__in=[pk for pk in keep if pk is not None]).filter(changed_at__lt=recent)
    if before is not None:
        old = old.filter(pk__lt=before)
    deleted, _ = old.delete()
    return deleted


def _written(sender, using, **kwargs):
    data_changed(using=using)


def _release_written(sender, instance, created, using, **kwargs):
    """A release saved: scoped to it when it moved on or off no list (module docstring
    of ``releases.pagecache``): its placement is what it was loaded with, or it was and
    is a draft or in review (shown on no public page either way)."""
    before = None if created else getattr(instance, "_loaded_placement", None)
    was_public = None if created else instance.was_public_as_loaded()
    after = instance.placement()
    instance._loaded_placement = after
    hidden = (Status.DRAFT, Status.REVIEW)
    unlisted = instance.status in hidden and (created or bool(before and before[0] in hidden))
    scoped = after is not None and (before == after or unlisted)
    data_changed(
        using=using,
        release_id=instance.pk if scoped else None,
        unlisted=scoped and unlisted,
        takedown=not created and was_public is not False and not instance.is_published,
        row_release_id=instance.pk,
    )


def _release_deleted(sender, using, **kwargs):
    data_changed(using=using, takedown=True)


def _attachment_written(sender, instance, using, **kwargs):
    # A media-kit file shows on its release's page and downloads only.
    data_changed(using=using, release_id=instance.release_id)


def _tags_written(sender, using, **kwargs):
    data_changed(using=using, tags=True)


def _links_changed(sender, action, using, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        data_changed(using=using, tags=sender is TaggedItem)


def _ensure_entry(sender, using, **kwargs):
    # After ``migrate`` and after ``flush`` (which empties every table, as tests do).
    if not DataVersion.objects.using(using).exists():
        DataVersion.objects.using(using).create(changed_at=EPOCH)


# What public surfaces print: the release and every row they show with it.
WRITTEN_MODELS = (
    Release,
    ReleaseOrganization,
    ReleaseContact,
    ReleaseSlug,
    Attachment,
    Correction,
    Organization,
    Author,
    Contact,
)


def connect_signals(app_config) -> None:
    """Connected once from ``ReleasesConfig.ready()``."""
    for model in WRITTEN_MODELS:
        uid = model._meta.label_lower
        saved = {Release: _release_written, Attachment: _attachment_written}.get(model, _written)
        deleted = {Release: _release_deleted, Attachment: _attachment_written}.get(model, _written)
        post_save.connect(saved, sender=model, dispatch_uid=f"version_saved_{uid}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"version_deleted_{uid}")
    for model in (Tag, TaggedItem):
        uid = model._meta.label_lower
        post_save.connect(_tags_written, sender=model, dispatch_uid=f"version_saved_{uid}")
        post_delete.connect(_tags_written, sender=model, dispatch_uid=f"version_deleted_{uid}")
    for through in (Release.organizations.through, Release.contacts.through, TaggedItem):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"version_links_{through._meta.label}"
        )
    post_migrate.connect(_ensure_entry, sender=app_config, dispatch_uid="version_entry")


def etag_for(*parts: object) -> str:
    return hashlib.sha1(  # noqa: S324 - a fingerprint, not a security boundary
        "|".join(str(p) for p in parts).encode()
    ).hexdigest()[:20]
