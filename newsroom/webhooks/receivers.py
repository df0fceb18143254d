"""Listens to ``newsroom.events.signals.release_event``: one delivery per endpoint told.

Who is told (each endpoint active and subscribed to the event's kind):

- ``release.published`` / ``release.updated``: the endpoints of the release's
  organizations (1–3), only while the release is public (``published_q``); a release that
  is not public makes no delivery at all, so its content never leaves the site.
- ``release.withdrawn`` (withdrawn, back to draft, moved to a later time, or deleted):
  the endpoints already sent something about the release, and, while the release still
  exists and is known to have been public (``Release.was_public``, or a
  ``release.published`` in the events log), the endpoints of its organizations. A deleted
  release's organizations are gone with it, so then only the endpoints already told are.
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
        return _withdrawn(release_id, event_id, occurred_at)
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


def _withdrawn(release_id, event_id, occurred_at):
    kind = RELEASE_WITHDRAWN
    release = Release.objects.filter(pk=release_id).first()
    told = WebhookDelivery.objects.filter(release_pk=release_id).order_by("-created_at", "-pk")
    who = Q(pk__in=told.values("endpoint_id"))
    if release is not None and (
        release.was_public
        or ReleaseEvent.objects.filter(release_id=release_id, kind=RELEASE_PUBLISHED).exists()
    ):
        who |= Q(organization__releases=release)
    endpoints = _endpoints(kind, who)
    if not endpoints:
        return []
    if release is not None:
        slug, headline = release.slug, release.headline
    else:
        last = told.first()
        slug, headline = last.release_slug, last.release_headline
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
