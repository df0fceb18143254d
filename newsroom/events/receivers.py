"""Where "updated" and "withdrawn" are noticed: saves and deletes of a ``Release``.

The same places the public data version is moved from (``releases.freshness``): the
model's ``pre_save``/``post_save``/``pre_delete``/``post_delete``. Whether the release
was public before the save is read from what it was loaded with
(``Release.was_public_as_loaded``); nothing runs on public pages, which do not write
releases.

- public before and after a save → ``release.updated``, only when something a reader
  sees changed: a field of ``shown_fields()`` (every column but ``NOT_SHOWN``: editing
  bookkeeping, derived and private import data) differs from the stored row, read in
  ``pre_save`` (one query, on saves of public releases only). "Save" pressed on an
  unchanged form tells nothing. Not seen here: a change of only tags, organizations,
  contacts or files (other rows, saved after the release), told with the next change
  of the release itself. Logged and told after the commit, once per release and
  transaction;
- public before, not after (withdrawn, back to draft or review, rescheduled, embargoed
  again), or a public release deleted → ``release.withdrawn``: logged in the transaction
  of the change (it ends the release's spell of public visibility, see
  ``publishing``), told after the commit.

Every event carries ``was_public`` (True: withdrawn is told only for a release public
just before the change) and ``organization_ids`` (read after the commit; for a deleted
release, in ``pre_delete``, before its links are deleted).

Becoming public is the sweep's (``publishing.sweep_went_public``): it has to notice time
passing anyway, and it is the one place that fires it exactly once per spell.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from newsroom.events import publishing
from newsroom.events.signals import RELEASE_UPDATED, RELEASE_WITHDRAWN
from releases.models import Release

# Columns a save may write that no reader sees: editing bookkeeping, values derived
# from shown ones, and import data kept private (``Release`` field comments).
NOT_SHOWN = frozenset(
    {
        "updated_by",
        "updated_at",
        "created_at",
        "created_by",
        "edit_version",
        "search_vector",
        "featured_image_renditions",
        "import_source",
        "import_warnings",
        "import_checksum",
    }
)


def shown_fields() -> list:
    """The ``Release`` columns whose change is a ``release.updated``."""
    return [
        f
        for f in Release._meta.concrete_fields
        if f.name not in NOT_SHOWN and f.attname not in NOT_SHOWN and not f.primary_key
    ]


def _value(instance, field):
    value = field.value_from_object(instance)
    return value.name or "" if isinstance(value, FieldFile) else value


def _before_save(sender, instance, raw, update_fields, using, **kwargs):
    instance._events_stored = None
    if raw or instance._state.adding:
        instance._events_was_public = False
        return
    instance._events_was_public = bool(instance.was_public_as_loaded())
    if instance._events_was_public and not _only_not_shown(update_fields):
        fields = shown_fields()
        if update_fields is not None:
            fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
        stored = Release.objects.using(using).filter(pk=instance.pk)
        names = [f.attname for f in fields]
        instance._events_stored = stored.values(*names).first() if names else {}


def _only_not_shown(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= NOT_SHOWN


def _changed(instance) -> bool:
    """Whether a shown column of ``instance`` differs from the row read before the save
    (True when the row was not read)."""
    stored = instance._events_stored
    if stored is None:
        return True
    fields = {f.attname: f for f in shown_fields()}
    return any(_value(instance, fields[name]) != value for name, value in stored.items())


def _saved(sender, instance, created, raw, using, update_fields, **kwargs):
    if raw or not getattr(instance, "_events_was_public", False):
        return
    if instance.is_published:
        if _only_not_shown(update_fields) or not _changed(instance):
            return
        _updated(instance, using)
    else:
        _withdrawn(instance, using)


def _before_delete(sender, instance, using, **kwargs):
    instance._events_was_public = bool(instance.was_public_as_loaded())
    if instance._events_was_public:
        instance._events_organization_ids = publishing.release_organization_ids(instance.pk)


def _deleted(sender, instance, using, **kwargs):
    if getattr(instance, "_events_was_public", False):
        _withdrawn(instance, using, organization_ids=instance._events_organization_ids)


def _pending(instance: Release, kind: str) -> bool:
    """True when ``kind`` is already to be told for ``instance`` in this transaction."""
    pending = instance.__dict__.setdefault("_events_pending", set())
    if kind in pending:
        return True
    pending.add(kind)
    return False


def _updated(instance: Release, using: str) -> None:
    if _pending(instance, RELEASE_UPDATED):
        return
    release_id = instance.pk

    def tell():
        instance._events_pending.discard(RELEASE_UPDATED)
        publishing.record(kind=RELEASE_UPDATED, release_id=release_id, headline=instance.headline)

    transaction.on_commit(tell, using=using, robust=True)


def _withdrawn(instance: Release, using: str, organization_ids: list[int] | None = None) -> None:
    if _pending(instance, RELEASE_WITHDRAWN):
        return
    # In the transaction of the change: the spell ends exactly when the change commits.
    event = publishing.log(
        kind=RELEASE_WITHDRAWN, release_id=instance.pk, headline=instance.headline
    )

    def tell():
        instance._events_pending.discard(RELEASE_WITHDRAWN)
        publishing.tell(event, was_public=True, organization_ids=organization_ids)

    transaction.on_commit(tell, using=using, robust=True)


def connect() -> None:
    """Connected once from ``EventsConfig.ready()``."""
    pre_save.connect(_before_save, sender=Release, dispatch_uid="events_release_before_save")
    post_save.connect(_saved, sender=Release, dispatch_uid="events_release_saved")
    pre_delete.connect(_before_delete, sender=Release, dispatch_uid="events_release_before_delete")
    post_delete.connect(_deleted, sender=Release, dispatch_uid="events_release_deleted")
