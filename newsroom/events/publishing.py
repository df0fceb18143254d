"""Noticing release events and telling them (``release_event``), each once, each logged.

"Went public" (``release.published``) is noticed by a sweep (``sweep_went_public``, a
beat task every 15 seconds), because a release becomes public when time passes its
publication time or embargo, with no write. Public means the product's rule,
``Release.objects.published()`` (``releases.models.published_q``).

It fires once per release per *spell* of public visibility: a spell starts when the
release becomes public and ends when it leaves public view (back to draft or review,
rescheduled to the future, embargoed again, withdrawn: the saves ``receivers`` log as
``release.withdrawn``, in the transaction of the change). A spell is numbered by the id of
the release's latest withdrawn event (0 before any). Each spell is claimed by inserting
its ``ReleaseEvent`` row, in a transaction of its own, under a unique constraint on
(release, ``spell``): the sweep that inserts first fires the event after its commit; any
other sweep running at once gets ``IntegrityError`` and skips it. So moving the
publication time of a public release (an edit) fires nothing more, and publishing again
after a withdrawal fires again.

Candidates (index look-ups, no scan of the archive): public releases whose publication
time or embargo passed within ``LOOKBACK`` (7 days: time passing, noticed late when no
worker ran), or that were saved within ``LOOKBACK`` (``updated_at``: made public by a save
with a past time, e.g. published with a date ten days back). A release that went public
while no worker ran for longer than that gets no event. Releases already public at the
upgrade that brought spells have a ``baseline`` row (migration 0002), so a first sweep
does not fire for the archive.

"Updated" and "withdrawn" follow saves and deletes of a release (``receivers``): no
sweep, no claim; each carries a fresh ``event_id``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from newsroom.events.models import ReleaseEvent
from newsroom.events.signals import RELEASE_PUBLISHED, RELEASE_WITHDRAWN, release_event
from releases.models import Release, ReleaseOrganization

logger = logging.getLogger(__name__)

LOOKBACK = dt.timedelta(days=7)
HEADLINE_LENGTH = ReleaseEvent._meta.get_field("headline").max_length


def current_spell(release_id=None):
    """The spell number of a release (the id of its latest withdrawn event, 0 before
    any): an expression on ``OuterRef("pk")`` when ``release_id`` is None, else read."""
    latest = ReleaseEvent.objects.filter(kind=RELEASE_WITHDRAWN).order_by("-id").values("id")
    if release_id is not None:
        return latest.filter(release_id=release_id).values_list("id", flat=True).first() or 0
    return Coalesce(
        Subquery(latest.filter(release_id=OuterRef("pk"))[:1]),
        Value(0),
        output_field=BigIntegerField(),
    )


def went_public_unclaimed(now: dt.datetime | None = None):
    """Public releases whose current spell has no published event yet, among those that
    became public or were saved within ``LOOKBACK`` of ``now`` (module docstring),
    annotated with ``public_since`` and ``spell``; oldest first."""
    now = now or timezone.now()
    cutoff = now - LOOKBACK
    claimed = ReleaseEvent.objects.filter(
        kind=RELEASE_PUBLISHED, release_id=OuterRef("pk"), spell=OuterRef("spell")
    )
    return (
        Release.objects.published(now)
        # Each arm on an indexed column (published_at, embargoed_until, updated_at).
        .filter(
            Q(published_at__gt=cutoff) | Q(embargoed_until__gt=cutoff) | Q(updated_at__gt=cutoff)
        )
        .annotate(
            public_since=Greatest(
                F("published_at"), Coalesce(F("embargoed_until"), "published_at")
            ),
            spell=current_spell(),
        )
        .exclude(Exists(claimed))
        .order_by("public_since", "pk")
        .only("pk", "headline", "published_at", "embargoed_until", "status")
    )


def claim_published(release: Release, now: dt.datetime | None = None) -> ReleaseEvent | None:
    """Insert the published event of ``release``'s spell (``release.spell``, with
    ``release.public_since``: as annotated by ``went_public_unclaimed``) in a transaction
    of its own; None when another process inserted it first. The caller fires the event
    when it gets the row. None too when the release left public view since it was found
    (its spell ended or it is no longer public at ``now``): that spell is over, untold."""
    still = Release.objects.published(now).filter(pk=release.pk).exists()
    if not still or current_spell(release.pk) != release.spell:
        return None
    try:
        with transaction.atomic():
            return ReleaseEvent.objects.create(
                kind=RELEASE_PUBLISHED,
                release_id=release.pk,
                headline=release.headline[:HEADLINE_LENGTH],
                public_since=release.public_since,
                spell=release.spell,
                occurred_at=release.public_since,
            )
    except IntegrityError:
        return None


def sweep_went_public(now: dt.datetime | None = None) -> list[ReleaseEvent]:
    """Claim and fire ``release.published`` for each release that went public since the
    last sweep, then queue one warming of the pages they changed; returns the events this
    call fired (each told after the commit of its claim)."""
    fired = []
    for release in went_public_unclaimed(now):
        event = claim_published(release, now)
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


def log(*, kind: str, release_id: int, headline: str = "") -> ReleaseEvent:
    """Write an "updated" or "withdrawn" event that happened now to the log (in the
    caller's transaction); ``tell`` it after the commit."""
    return ReleaseEvent.objects.create(
        kind=kind,
        release_id=release_id,
        headline=headline[:HEADLINE_LENGTH],
        occurred_at=timezone.now(),
    )


def record(*, kind: str, release_id: int, headline: str = "", **told) -> ReleaseEvent:
    """Log an "updated" or "withdrawn" event that happened now, and tell it (``told``:
    ``tell``'s keyword arguments)."""
    event = log(kind=kind, release_id=release_id, headline=headline)
    tell(event, **told)
    return event


def release_organization_ids(release_id: int) -> list[int]:
    """The release's organizations' ids, in editorial order (first = issuer); one query."""
    return list(
        ReleaseOrganization.objects.filter(release_id=release_id)
        .order_by("position", "id")
        .values_list("organization_id", flat=True)
    )


def tell(
    event: ReleaseEvent, *, was_public: bool = True, organization_ids: list[int] | None = None
) -> None:
    """Send ``release_event`` for ``event`` (the contract in ``newsroom.events.signals``).
    ``organization_ids`` None: read now (the release must still exist). A receiver that
    raises is logged, and does not keep the others from hearing it."""
    if organization_ids is None:
        organization_ids = release_organization_ids(event.release_id)
    results = release_event.send_robust(
        sender=None,
        kind=event.kind,
        release_id=event.release_id,
        event_id=event.event_id,
        occurred_at=event.occurred_at,
        was_public=was_public,
        organization_ids=list(organization_ids),
    )
    for receiver, outcome in results:
        if isinstance(outcome, Exception):
            logger.error(
                "Receiver %r of %s %s failed: %r", receiver, event.kind, event.event_id, outcome
            )
