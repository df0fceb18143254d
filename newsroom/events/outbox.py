"""The transactional outbox: a task queued with a change is never lost to a broker outage.

``enqueue(task, **kwargs)``:

- eager mode (``CELERY_TASK_ALWAYS_EAGER``, no broker: the demo, the tests): the task
  runs now, in this process, and raises what it raises (the caller reports it);
- with a broker: an ``OutboxTask`` row is written in the caller's transaction (so the
  task exists exactly when the change does); after commit it is sent to the broker and
  marked sent. If the broker cannot be reached (Redis down: kombu's ``OperationalError``,
  redis-py's ``ConnectionError``/``TimeoutError``, an ``OSError``), the row stays, with
  the error, and ``flush()`` sends it later: the beat task ``flush_outbox`` every minute,
  or ``manage.py flush_outbox`` by hand.

Delivery is at least once: a flush racing the after-commit send is kept apart by a row
lock on PostgreSQL (``SELECT … FOR UPDATE SKIP LOCKED``); a worker that dies mid-task
runs it again (``acks_late``). Tasks are written to be safe to run twice.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from newsroom.events.models import OutboxTask

logger = logging.getLogger(__name__)

# Rows younger than this are left to their own after-commit send.
FLUSH_GRACE = timedelta(seconds=10)
FLUSH_BATCH = 500
# Sent rows are kept this long (what was queued, and when), then pruned by the flush task.
KEEP_SENT = timedelta(days=7)
ERROR_LENGTH = 1000
# For the connection a task is published on (kombu's Redis transport): one attempt, a
# host that does not answer fails within seconds (timeouts in seconds).
PUBLISH_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5}


def eager() -> bool:
    """True when tasks run in the process that queues them (no broker configured)."""
    return bool(current_app.conf.task_always_eager)


def enqueue(task, **kwargs) -> OutboxTask | None:
    """Queue ``task`` (a Celery task) with JSON-serializable ``kwargs``.

    Returns the outbox row (broker mode) or None (eager mode, where the task has run and
    any exception it raised propagates)."""
    if eager():
        task.apply(kwargs=kwargs, throw=True)
        return None
    row = OutboxTask.objects.create(task_name=task.name, kwargs=kwargs)
    transaction.on_commit(functools.partial(dispatch, row.pk), robust=True)
    return row


def dispatch(pk: int) -> bool | None:
    """Send outbox row ``pk`` to the broker: True when sent, False when the broker failed
    (the row keeps the error), None when it was sent already or another process holds it."""
    with transaction.atomic():
        row = (
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True)
            .first()
        )
        if row is None:
            return None
        row.attempts += 1
        try:
            _publish(row)
        except Exception as error:  # any failure to publish keeps the row
            row.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
            row.save(update_fields=["attempts", "last_error"])
            logger.warning(
                "Task %s (%s) not queued, kept in the outbox: %s",
                row.task_name,
                row.task_id,
                row.last_error,
            )
            return False
        row.sent_at = timezone.now()
        row.kwargs = {}  # may hold secrets; the broker has them now
        row.last_error = ""
        row.save(update_fields=["attempts", "sent_at", "kwargs", "last_error"])
        return True


def _publish(row: OutboxTask) -> None:
    app = current_app
    if eager():  # rows left from a time with a broker, flushed without one: run them here
        app.tasks[row.task_name].apply(kwargs=row.kwargs, task_id=row.task_id, throw=True)
        return
    # The outbox is the retry: a broker that is down fails at once (no reconnection
    # attempts: an editor's request must not wait on them) and the row is kept.
    with app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS) as connection:
        app.send_task(
            row.task_name,
            kwargs=row.kwargs,
            task_id=row.task_id,
            retry=False,
            connection=connection,
        )


def pending():
    """The rows not sent yet, oldest first."""
    return OutboxTask.objects.filter(sent_at__isnull=True).order_by("created_at", "id")


def prune(*, older_than: timedelta = KEEP_SENT) -> int:
    """Delete the rows sent more than ``older_than`` ago; returns how many went."""
    deleted, _ = OutboxTask.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted


def flush(*, grace: timedelta = FLUSH_GRACE, limit: int = FLUSH_BATCH) -> tuple[int, int]:
    """Send the waiting rows older than ``grace``, oldest first, at most ``limit``;
    stops at the first broker failure (the rest would fail too). Returns (sent, failed)."""
    cutoff = timezone.now() - grace
    pks = list(pending().filter(created_at__lte=cutoff).values_list("pk", flat=True)[:limit])
    sent = failed = 0
    for pk in pks:
        outcome = dispatch(pk)
        if outcome is True:
            sent += 1
        elif outcome is False:
            failed += 1
            break
    return sent, failed
