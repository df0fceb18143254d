"""The webhook tasks: one attempt at a delivery, and the minute's sweep of due retries."""

from __future__ import annotations

from celery import shared_task

from newsroom.webhooks import deliveries


@shared_task(name="webhooks.deliver", ignore_result=True)
def deliver(delivery_id: int) -> None:
    """One attempt at delivery ``delivery_id`` (``deliveries.attempt``)."""
    deliveries.attempt(delivery_id)


@shared_task(name="webhooks.retry_due", ignore_result=True)
def retry_due() -> int:
    """Queue every pending delivery whose attempt is due (retries after their backoff,
    and rows whose first queueing was lost); how many were queued. Run every minute by
    beat (``newsroom.webhooks.apps``)."""
    ids = deliveries.due_ids()
    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)
