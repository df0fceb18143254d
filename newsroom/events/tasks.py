"""The background tasks (Celery, ``newsroom.celery``); the beat schedule is in settings.

- ``send_email``: one e-mail, retried on transient failures (``newsroom.events.emails``);
- ``sweep_went_public``: fire "release went public" for releases that became public
  (``newsroom.events.publishing``), every 15 s by beat;
- ``warm_pages``: render the pages newly public releases changed (``newsroom.events.warm``);
- ``flush_outbox``: send the tasks a broker outage kept (``newsroom.events.outbox``),
  every minute by beat.
"""

from __future__ import annotations

import logging

from celery import shared_task

from newsroom.events import emails, outbox, publishing, warm
from releases.models import Release

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="newsroom.events.send_email", max_retries=emails.MAX_RETRIES)
def send_email(self, message: dict, share_link_id: int | None = None) -> int:
    """Send ``message`` (``emails.message_data``); returns how many were sent (1).

    Transient failures are retried with exponential backoff, at most ``MAX_RETRIES``
    times; then, and for permanent failures at once, the error is raised (the worker logs
    it). In eager mode there is no retry: the error reaches the caller, as before queues.
    ``share_link_id``: the share link the message carries; where it is (sent, failed for
    good with the error) is noted on it (``newsroom.sharing.emails.record_delivery``)."""
    from newsroom.sharing.emails import Delivery, record_delivery

    try:
        sent = emails.message_from(message).send()
    except Exception as error:
        final = (
            self.request.is_eager
            or not emails.transient(error)
            or self.request.retries >= self.max_retries
        )
        if final:
            if share_link_id is not None:
                record_delivery(share_link_id, Delivery.FAILED, error)
            else:
                logger.error("E-mail to %s not sent, for good: %r", message.get("to"), error)
            raise
        logger.warning("E-mail to %s not sent, will retry: %s", message.get("to"), error)
        if share_link_id is not None:  # still queued; the admin shows why it waits
            record_delivery(share_link_id, Delivery.QUEUED, error)
        raise self.retry(exc=error, countdown=emails.backoff(self.request.retries)) from error
    if share_link_id is not None:
        record_delivery(share_link_id, Delivery.SENT)
    return sent


@shared_task(name="newsroom.events.sweep_went_public")
def sweep_went_public() -> int:
    """How many releases were found newly public and told (this worker's claims)."""
    return len(publishing.sweep_went_public())


@shared_task(name="newsroom.events.warm_pages")
def warm_pages(release_ids: list[int]) -> dict:
    """{path: status} of the pages rendered for those of ``release_ids`` still public
    ({} when none is)."""
    releases = list(Release.objects.published().filter(pk__in=release_ids).order_by("-pk"))
    if not releases:
        return {}
    return warm.warm(releases)


@shared_task(name="newsroom.events.flush_outbox")
def flush_outbox() -> list[int]:
    """[sent, failed] of the waiting outbox rows; sent rows older than a week are pruned."""
    sent, failed = outbox.flush()
    outbox.prune()
    return [sent, failed]
