"""Making deliveries and attempting them: the rules of the delivery log.

A delivery is created ``pending`` with ``next_attempt_at`` = now and queued after its
transaction commits; the row itself is the outbox: a queueing that failed, or a worker
that died, leaves a due pending row that ``retry_due`` (every minute on beat, or
``manage.py deliver_webhooks``) queues again.

An attempt first claims the row with one conditional UPDATE (pending and due → attempts
+1, ``next_attempt_at`` pushed ``LEASE`` ahead), so two workers never POST the same
delivery at once. Outcome: 2xx → ``succeeded``; 408, 429, 5xx, a network error or a
timeout → ``pending`` again after ``BACKOFF[attempts - 1]``, or ``gave_up`` after
``MAX_ATTEMPTS``; any other status (3xx: redirects are not followed; 4xx) or a refused URL
or address → ``failed``, no retry. A ``release.published`` or ``release.updated`` whose
release is no longer public when its attempt comes is ``skipped``, never sent (its body
was built while it was public; the withdrawal, if any, is an event of its own).
"""

from __future__ import annotations

import http.client
import logging
import time
import uuid
from datetime import timedelta

from celery import current_app
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from newsroom.events.outbox import PUBLISH_TRANSPORT_OPTIONS
from newsroom.events.signals import RELEASE_PUBLISHED, RELEASE_UPDATED
from newsroom.webhooks import payloads
from newsroom.webhooks.models import PING, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from newsroom.webhooks.sending import TOTAL_TIMEOUT, Refused, excerpt, post
from newsroom.webhooks.signing import signature_header
from releases.models import Release

logger = logging.getLogger("newsroom.webhooks")

# Seconds to wait after attempt n (BACKOFF[n - 1]); the attempt after the last is the last.
BACKOFF = (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 12 * 3600, 24 * 3600)
MAX_ATTEMPTS = len(BACKOFF) + 1  # 8 attempts over about 45 hours
LEASE = timedelta(seconds=6 * TOTAL_TIMEOUT)  # an attempt's claim: far longer than a POST
RETRY_STATUSES = {408, 429}
USER_AGENT = "Newsroom-Webhooks/1"
CONTENT_KINDS = (RELEASE_PUBLISHED, RELEASE_UPDATED)


def create(endpoint, event_id, kind, body, *, release=None, release_pk=None, slug="", headline=""):
    """A pending delivery, queued once the current transaction commits; ``None`` when
    this endpoint already has this event (the unique constraint decides). ``release``:
    the row when it still exists; ``release_pk``, ``slug``, ``headline`` are copied, as
    are the endpoint's URL and organization name (the log outlives the endpoint)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                endpoint_url=endpoint.url[:500],
                organization_name=endpoint.organization.name[:200],
                event_id=event_id,
                kind=kind,
                release=release,
                release_pk=release_pk,
                release_slug=slug[:200],
                release_headline=headline[:255],
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: queue(delivery.pk), robust=True)
    return delivery


def queue(delivery_id: int) -> None:
    """Hand the delivery to the task queue (eager: attempt it now); a failure is logged,
    the row stays due for ``retry_due``. A broker that is down fails at once, with no
    reconnection attempts (the outbox's transport options): this runs after the commit of
    an editor's save, who must not wait on them."""
    from newsroom.webhooks.tasks import deliver

    app = current_app
    try:
        if app.conf.task_always_eager:
            deliver.delay(delivery_id)
            return
        with app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS) as connection:
            deliver.apply_async((delivery_id,), retry=False, connection=connection)
    except Exception:
        logger.exception("Webhook delivery %s not queued; retry_due will pick it up.", delivery_id)


def ping(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``ping`` delivery to ``endpoint`` (the admin's "Send test ping")."""
    event_id = f"ping_{uuid.uuid4().hex}"
    body = payloads.body(event_id, PING, timezone.now(), None)
    return create(endpoint, event_id, PING, body)


def redeliver(delivery: WebhookDelivery) -> None:
    """Send a settled delivery again, its body unchanged: a fresh series of attempts."""
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, settled_at=None, error=""
    )
    transaction.on_commit(lambda: queue(delivery.pk), robust=True)


def _claim(delivery_id: int, now) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        WebhookDelivery.objects.filter(due, pk=delivery_id, status=DeliveryStatus.PENDING).update(
            attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + LEASE
        )
    )


def _settle(
    delivery, status, *, error="", response_status=None, response_excerpt="", uncount=False
):
    now = timezone.now()
    delivery.status = status
    delivery.error = error[:2000]
    delivery.response_status = response_status
    delivery.response_excerpt = response_excerpt
    if uncount:
        delivery.attempts = max(0, delivery.attempts - 1)
    if status == DeliveryStatus.PENDING:
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[delivery.attempts - 1])
        delivery.settled_at = None
    else:
        delivery.next_attempt_at = None
        delivery.settled_at = now
    delivery.save(
        update_fields=[
            "status",
            "error",
            "response_status",
            "response_excerpt",
            "attempts",
            "next_attempt_at",
            "settled_at",
        ]
    )


def attempt(delivery_id: int, now=None) -> WebhookDelivery | None:
    """One attempt at a pending, due delivery (see the module's docstring); ``None``
    when it is not pending or not due, or another worker holds it."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if endpoint is None:  # deleted meanwhile; its log stays
        _settle(delivery, DeliveryStatus.SKIPPED, error="The endpoint was deleted.", uncount=True)
        return delivery
    if delivery.attempts > MAX_ATTEMPTS:  # a worker died during the last attempt
        _settle(delivery, DeliveryStatus.GAVE_UP, error="No answer recorded for the last attempt.")
        return delivery
    if not endpoint.active:
        _settle(delivery, DeliveryStatus.SKIPPED, error="The endpoint is inactive.", uncount=True)
        return delivery
    if delivery.kind in CONTENT_KINDS and not (
        delivery.release_pk and Release.objects.published().filter(pk=delivery.release_pk).exists()
    ):
        logger.info(
            "Webhook delivery %s skipped: release %s not public.", delivery.pk, delivery.release_pk
        )
        _settle(
            delivery,
            DeliveryStatus.SKIPPED,
            error="Not sent: the release is no longer public.",
            uncount=True,
        )
        return delivery

    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Newsroom-Event": delivery.kind,
        "X-Newsroom-Event-Id": delivery.event_id,
        "X-Newsroom-Delivery": str(delivery.pk),
        "X-Newsroom-Attempt": str(delivery.attempts),
        "X-Newsroom-Signature": signature_header(
            endpoint.signing_secrets(), int(time.time()), body
        ),
    }
    try:
        status, answer = post(endpoint.url, body, headers)
    except Refused as exc:
        _settle(delivery, DeliveryStatus.FAILED, error=str(exc))
        return delivery
    except (OSError, http.client.HTTPException) as exc:
        _retry_or_give_up(delivery, error=_describe(exc))
        return delivery
    except Exception as exc:  # a surprise must not leave the row claimed and silent
        logger.exception("Webhook delivery %s: unexpected error.", delivery.pk)
        _retry_or_give_up(delivery, error=f"Unexpected error: {_describe(exc)}")
        return delivery
    text = excerpt(answer)
    if 200 <= status < 300:
        _settle(delivery, DeliveryStatus.SUCCEEDED, response_status=status, response_excerpt=text)
    elif status in RETRY_STATUSES or status >= 500:
        _retry_or_give_up(
            delivery, error=f"HTTP {status}.", response_status=status, response_excerpt=text
        )
    else:
        error = f"HTTP {status}: refused by the receiver; not retried."
        if 300 <= status < 400:
            error = f"HTTP {status}: redirects are not followed; not retried."
        _settle(
            delivery,
            DeliveryStatus.FAILED,
            error=error,
            response_status=status,
            response_excerpt=text,
        )
    return delivery


def _retry_or_give_up(delivery, **outcome) -> None:
    if delivery.attempts >= MAX_ATTEMPTS:
        outcome["error"] = f"{outcome['error']} Gave up after {delivery.attempts} attempts."
        _settle(delivery, DeliveryStatus.GAVE_UP, **outcome)
    else:
        _settle(delivery, DeliveryStatus.PENDING, **outcome)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"Timed out: {exc}" if str(exc) else "Timed out."
    return f"{type(exc).__name__}: {exc}"


def due_ids(now=None, limit: int = 500) -> list[int]:
    """Pending deliveries whose attempt is due, oldest due first."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
