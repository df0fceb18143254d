"""Listens to ``newsroom.events.signals.release_event``: one delivery per endpoint told.

Who is told (each endpoint active and subscribed to the event's kind):

- ``release.published`` / ``release.updated``: the endpoints of the release's
  organizations (1–3), only while the release is public (``published_q``); a release that
  is not public makes no delivery at all, so its content never leaves the site.
- ``release.withdrawn``: the endpoints of its organizations when the release was public
  before its withdrawal (``Release.was_public``); otherwise, and when the release was
  deleted (its row is gone), the endpoints that were already sent something about it. So
  the identifiers of a release that never was public reach nobody who did not know it.
"""

from __future__ import annotations

import logging

from newsroom.events.signals import KINDS, RELEASE_WITHDRAWN
from newsroom.webhooks import deliveries, payloads
from newsroom.webhooks.models import WebhookDelivery, WebhookEndpoint
from releases.models import Release

logger = logging.getLogger("newsroom.webhooks")


def _endpoints(kind: str, **filters) -> list[WebhookEndpoint]:
    found = WebhookEndpoint.objects.filter(active=True, **filters).order_by("pk")
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
    if release is not None and release.was_public:
        endpoints = _endpoints(kind, organization__releases=release)
    else:
        endpoints = _endpoints(kind, pk__in=told.values("endpoint_id"))
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
