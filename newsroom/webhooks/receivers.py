"""Listens to ``newsroom.events.signals.release_event``: one delivery per endpoint told.

Who is told (each endpoint active and subscribed to the event's kind):

- ``release.published`` / ``release.updated``: the endpoints of the release's
  organizations (1–3), only while the release is public (``published_q``); a release that
  is not public makes no delivery at all, so its content never leaves the site.
- ``release.withdrawn`` (withdrawn, back to draft, moved to a later time, or deleted):
  the endpoints already sent something about the release, and, when the release was
  public just before the change, the endpoints of its organizations. The event's
  ``was_public`` and ``organization_ids`` keyword arguments (``newsroom.events.signals``)
  say so, read before the change (before a delete, so a deleted release's organizations
  are still known). An event without them (an older sender) falls back to what the
  database still says: ``Release.was_public`` or a ``release.published`` in the events
  log, and the release's current organizations (none once it is deleted).
  So the identifiers of a release that never was public reach nobody who did not know it.
"""

from __future__ import annotations

import logging

from django.db.models import Q

from newsroom.events.models import ReleaseEvent
from newsroom.events.signals import KINDS, RELEASE_PUBLISHED, RELEASE_WITHDRAWN
from newsroom.webhooks import deliveries, payloads
from newsroom.webhooks.models import WebhookDelivery, WebhookEndpoint
from releases.models import Release

logger = logging.getLogger("newsroom.webhooks")


def _endpoints(kind: str, *conditions, **filters) -> list[WebhookEndpoint]:
    found = (
        WebhookEndpoint.objects.filter(*conditions, active=True, **filters)
        .select_related("organization")  # its name is copied onto each delivery
        .distinct()
        .order_by("pk")
    )
    return [endpoint for endpoint in found if endpoint.subscribes_to(kind)]


def on_release_event(sender, *, kind, release_id, event_id, occurred_at, **kwargs):
    """Create (and queue) the deliveries of one event; returns them (for the tests)."""
    if kind not in KINDS:
        logger.warning("Unknown release event kind %r (event %s) ignored.", kind, event_id)
        return []
    if kind == RELEASE_WITHDRAWN:
        return _withdrawn(
            release_id,
            event_id,
            occurred_at,
            was_public=kwargs.get("was_public"),
            organization_ids=kwargs.get("organization_ids"),
        )
    # One query when no organization of the release has an endpoint (the usual case).
    endpoints = _endpoints(kind, organization__releases__pk=release_id)
    if not endpoints:
        return []
    release = payloads.public_release(release_id)
    if release is None:
        logger.info(
            "Event %s (%s): release %s is not public; nothing sent.", event_id, kind, release_id
        )
        return []
    body = payloads.body(event_id, kind, occurred_at, payloads.release_content(release))
    made = []
    for endpoint in endpoints:
        delivery = deliveries.create(
            endpoint, event_id, kind, body,
            release=release, release_pk=release.pk, slug=release.slug, headline=release.headline,
        )  # fmt: skip
        if delivery is not None:
            made.append(delivery)
    return made


def _withdrawn(release_id, event_id, occurred_at, *, was_public=None, organization_ids=None):
    """``was_public`` / ``organization_ids``: the event's (``None`` when the sender did
    not give them: then read from the database, as it is after the change)."""
    kind = RELEASE_WITHDRAWN
    release = Release.objects.filter(pk=release_id).first()
    told = WebhookDelivery.objects.filter(release_pk=release_id).order_by("-created_at", "-pk")
    who = Q(pk__in=told.values("endpoint_id"))
    if was_public is None:
        was_public = release is not None and (
            release.was_public
            or ReleaseEvent.objects.filter(release_id=release_id, kind=RELEASE_PUBLISHED).exists()
        )
    if was_public:
        if organization_ids is not None:
            who |= Q(organization_id__in=[int(pk) for pk in organization_ids])
        elif release is not None:
            who |= Q(organization__releases=release)
    endpoints = _endpoints(kind, who)
    if not endpoints:
        return []
    if release is not None:
        slug, headline = release.slug, release.headline
    elif (last := told.first()) is not None:
        slug, headline = last.release_slug, last.release_headline
    else:  # deleted, never told before: its slug is gone; the events log has its headline
        event = ReleaseEvent.objects.filter(event_id=event_id).first()
        slug, headline = "", (event.headline if event else "")
    body = payloads.body(
        event_id, kind, occurred_at, payloads.release_identifiers(release_id, slug)
    )
    made = []
    for endpoint in endpoints:
        delivery = deliveries.create(
            endpoint, event_id, kind, body,
            release=release, release_pk=release_id, slug=slug, headline=headline,
        )  # fmt: skip
        if delivery is not None:
            made.append(delivery)
    return made
