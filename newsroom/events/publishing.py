"""Noticing release events and telling them (``release_event``), each once, each logged.

"Went public" (``release.published``) is noticed by a sweep (``sweep_went_public``, a
beat task every 15 seconds), because a release becomes public when time passes its
publication time or embargo, with no write. Public means the product's rule,
``Release.objects.published()`` (``releases.models.published_q``). Each publication is
claimed by inserting its ``ReleaseEvent`` row, in a transaction of its own, under a
unique constraint on (release, ``public_since``): the sweep that inserts first fires the
event after its commit; any other sweep running at once gets ``IntegrityError`` and
skips it. So it fires once per publication, however many workers sweep.

``public_since`` is ``Release.goes_public_at``: the later of publication time and
embargo. Taking a public release back to draft and publishing it again sets a new
publication time (``releases.services.release_publish``), so it is a new publication and
fires again (a withdrawn release cannot be published again: it is duplicated, a new
release); an edit of a public release that moves neither time does not.

The sweep looks back ``LOOKBACK`` (7 days): a release that went public while no worker
ran for longer than that gets no event (and first runs do not fire for the whole archive).

"Updated" and "withdrawn" follow saves and deletes of a release (``receivers``): no
sweep, no claim; each carries a fresh ``event_id``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from newsroom.events.models import ReleaseEvent
from newsroom.events.signals import RELEASE_PUBLISHED, release_event
from releases.models import Release

logger = logging.getLogger(__name__)

LOOKBACK = dt.timedelta(days=7)
HEADLINE_LENGTH = ReleaseEvent._meta.get_field("headline").max_length


def went_public_unclaimed(now: dt.datetime | None = None):
    """Public releases that became public within ``LOOKBACK`` of ``now`` and whose
    publication has no event yet, annotated with ``public_since``; oldest first."""
    now = now or timezone.now()
    cutoff = now - LOOKBACK
    claimed = ReleaseEvent.objects.filter(
        kind=RELEASE_PUBLISHED, release_id=OuterRef("pk"), public_since=OuterRef("public_since")
    )
    return (
        Release.objects.published(now)
        # The same condition as below, on the indexed columns (no scan of the archive):
        # the later of two times is after the cutoff when either is.
        .filter(Q(published_at__gt=cutoff) | Q(embargoed_until__gt=cutoff))
        .annotate(
            public_since=Greatest(F("published_at"), Coalesce(F("embargoed_until"), "published_at"))
        )
        .filter(public_since__gt=cutoff)
        .exclude(Exists(claimed))
        .order_by("public_since", "pk")
        .only("pk", "headline", "published_at", "embargoed_until", "status")
    )


def claim_published(release: Release, public_since: dt.datetime) -> ReleaseEvent | None:
    """Insert the publication's event row in a transaction of its own; None when another
    process inserted it first. The caller fires the event when it gets the row."""
    try:
        with transaction.atomic():
            return ReleaseEvent.objects.create(
                kind=RELEASE_PUBLISHED,
                release_id=release.pk,
                headline=release.headline[:HEADLINE_LENGTH],
                public_since=public_since,
                occurred_at=public_since,
            )
    except IntegrityError:
        return None


def sweep_went_public(now: dt.datetime | None = None) -> list[ReleaseEvent]:
    """Claim and fire ``release.published`` for each release that went public since the
    last sweep, then queue one warming of the pages they changed; returns the events this
    call fired (each told after the commit of its claim)."""
    fired = []
    for release in went_public_unclaimed(now):
        event = claim_published(release, release.public_since)
        if event is None:
            continue
        fired.append(event)
        transaction.on_commit(lambda event=event: tell(event), robust=True)
    if fired:
        ids = [event.release_id for event in fired]
        transaction.on_commit(lambda: _warm(ids), robust=True)
    return fired


def _warm(release_ids: list[int]) -> None:
    """Queue one warming of the pages these newly public releases changed."""
    from newsroom.events import outbox, tasks

    try:
        outbox.enqueue(tasks.warm_pages, release_ids=release_ids)
    except Exception:  # warming is an optimization, never a failure
        logger.exception("Warming the pages of releases %s failed", release_ids)


def record(*, kind: str, release_id: int, headline: str = "") -> ReleaseEvent:
    """Log an "updated" or "withdrawn" event that happened now, and tell it."""
    event = ReleaseEvent.objects.create(
        kind=kind,
        release_id=release_id,
        headline=headline[:HEADLINE_LENGTH],
        occurred_at=timezone.now(),
    )
    tell(event)
    return event


def tell(event: ReleaseEvent) -> None:
    """Send ``release_event`` for ``event`` (the contract in ``newsroom.events.signals``).
    A receiver that raises is logged, and does not keep the others from hearing it."""
    results = release_event.send_robust(
        sender=None,
        kind=event.kind,
        release_id=event.release_id,
        event_id=event.event_id,
        occurred_at=event.occurred_at,
    )
    for receiver, outcome in results:
        if isinstance(outcome, Exception):
            logger.error(
                "Receiver %r of %s %s failed: %r", receiver, event.kind, event.event_id, outcome
            )
