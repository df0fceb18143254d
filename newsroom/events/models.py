"""The events of public releases, and the outbox of tasks waiting for the broker.

``ReleaseEvent``: one row per event told through ``newsroom.events.signals.release_event``
(a log, read-only in the admin). "Went public" is claimed by inserting its row: a unique
constraint on (release, ``spell``) for that kind makes a second insert fail
(``IntegrityError``), so however many sweeps run at once, one fires it, once per spell of
public visibility (``newsroom.events.publishing``).

``OutboxTask``: a task to queue, written in the transaction of the change that wants it;
sent to the broker after commit, or later by ``flush_outbox`` when the broker was down.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from newsroom.events.signals import KINDS, RELEASE_PUBLISHED, RELEASE_WITHDRAWN


def new_event_id() -> str:
    return str(uuid.uuid4())


class ReleaseEvent(models.Model):
    """An event of a public release, as told to the receivers of ``release_event``.

    ``release_id`` is a plain integer, not a foreign key: a deleted release's events stay.
    ``public_since`` (published events only): when that publication became public, the
    later of publication time and embargo (``Release.goes_public_at``), for the record.

    ``spell`` (published events only): which spell of public visibility the event is
    for: the id of the release's latest ``release.withdrawn`` event when it was claimed,
    0 before any. A spell ends when the release leaves public view (a withdrawn event:
    back to draft or review, rescheduled, embargoed again, withdrawn), so moving the
    publication time of a public release is the same spell, told once. Empty only on
    duplicates logged before migration 0002 (one per spell kept the number).

    ``baseline``: recorded by migration 0002 for a release already public at the
    upgrade (never told to receivers): it claims that spell, so the first sweep does not
    fire the archive.
    """

    event_id = models.CharField(max_length=36, unique=True, default=new_event_id, editable=False)
    kind = models.CharField(max_length=32, choices=[(k, k) for k in KINDS])
    release_id = models.BigIntegerField(db_index=True)
    headline = models.CharField(max_length=300, blank=True)
    public_since = models.DateTimeField(null=True, blank=True)
    spell = models.BigIntegerField(null=True, blank=True)
    baseline = models.BooleanField(default=False, editable=False)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The sweep's spell: a release's latest withdrawn event, from the index's end.
            models.Index(
                fields=["release_id", "-id"],
                condition=Q(kind=RELEASE_WITHDRAWN),
                name="events_withdrawn_latest_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["release_id", "spell"],
                condition=Q(kind=RELEASE_PUBLISHED),
                name="events_published_once_per_spell",
            ),
            models.CheckConstraint(
                condition=~Q(kind=RELEASE_PUBLISHED) | Q(public_since__isnull=False),
                name="events_published_has_public_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.release_id} at {self.occurred_at:%Y-%m-%d %H:%M:%S}"


def new_task_id() -> str:
    return str(uuid.uuid4())


class OutboxTask(models.Model):
    """A Celery task kept until the broker took it (``sent_at`` set).

    ``kwargs``: the task's keyword arguments (JSON); emptied once sent, since they may hold
    secrets (an e-mail's link carries its token) that the database otherwise keeps only
    hashed. ``task_id`` is the Celery task id, the same on every attempt, so a message
    sent twice (two flushes racing) is one task id in the worker's logs.
    """

    task_id = models.CharField(max_length=36, unique=True, default=new_task_id, editable=False)
    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent_idx"
            )
        ]

    def __str__(self) -> str:
        state = "sent" if self.sent_at else "waiting"
        return f"{self.task_name} ({state})"
