"""Where "updated" and "withdrawn" are noticed: saves and deletes of a ``Release``.

The same places the public data version is moved from (``releases.freshness``): the
model's ``pre_save``/``post_save``/``post_delete``. Whether the release was public before
the save is read from what it was loaded with (``Release._loaded_placement``, kept by
``Release.from_db``), so no query is added to any path; nothing runs on public pages,
which do not write releases. The event is logged and told after the transaction commits
(``on_commit``), once per release, kind and transaction.

- public before and after a save → ``release.updated``, unless the save wrote only
  ``NOT_SHOWN`` fields (``update_fields``). Which values changed is not known without a
  query (only the placement is remembered from loading), so a save that changed nothing
  a reader sees, such as "Save" pressed on an unchanged form, is told too: receivers
  get at most one per transaction, and may compare with what they sent before;
- public before, not after (withdrawn, unpublished, moved to a later time) → or a public
  release deleted → ``release.withdrawn``.

Becoming public is the sweep's (``publishing.sweep_went_public``): it has to notice time
passing anyway, and it is the one place that fires it exactly once.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from newsroom.events import publishing
from newsroom.events.signals import RELEASE_UPDATED, RELEASE_WITHDRAWN
from releases.models import Release, Status

# Fields a save may write that no reader sees.
NOT_SHOWN = frozenset({"updated_by", "updated_at", "edit_version", "search_vector"})


def _public(placement: tuple | None, now) -> bool:
    """Whether a release with ``placement`` (``Release.PLACEMENT_FIELDS``: status,
    published_at, embargoed_until, …) is public at ``now``: ``published_q``'s rule."""
    if placement is None:
        return False
    status, published_at, embargoed_until = placement[:3]
    return (
        status == Status.PUBLISHED
        and published_at is not None
        and published_at <= now
        and (embargoed_until is None or embargoed_until <= now)
    )


def _before_save(sender, instance, raw, update_fields, **kwargs):
    if raw or instance._state.adding:
        instance._events_was_public = False
        return
    instance._events_was_public = _public(
        getattr(instance, "_loaded_placement", None), timezone.now()
    )


def _saved(sender, instance, created, raw, using, update_fields, **kwargs):
    if raw or not getattr(instance, "_events_was_public", False):
        return
    if instance.is_published:
        if update_fields is not None and set(update_fields) <= NOT_SHOWN:
            return
        _after_commit(instance, RELEASE_UPDATED, using)
    else:
        _after_commit(instance, RELEASE_WITHDRAWN, using)


def _deleted(sender, instance, using, **kwargs):
    if _public(getattr(instance, "_loaded_placement", None), timezone.now()):
        _after_commit(instance, RELEASE_WITHDRAWN, using)


def _after_commit(instance: Release, kind: str, using: str) -> None:
    pending = instance.__dict__.setdefault("_events_pending", set())
    if kind in pending:
        return
    pending.add(kind)

    release_id = instance.pk  # a deleted instance's pk is None by commit time

    def tell():
        pending.discard(kind)
        publishing.record(kind=kind, release_id=release_id, headline=instance.headline)

    transaction.on_commit(tell, using=using, robust=True)


def connect() -> None:
    """Connected once from ``EventsConfig.ready()``."""
    pre_save.connect(_before_save, sender=Release, dispatch_uid="events_release_before_save")
    post_save.connect(_saved, sender=Release, dispatch_uid="events_release_saved")
    post_delete.connect(_deleted, sender=Release, dispatch_uid="events_release_deleted")
