"""The transactional outbox (newsroom/events/outbox.py) against real brokers: a Redis
that is down (nothing listens on port 1) and the Redis of the tests (database 7, or
``NEWSROOM_TEST_BROKER_URL``), whose queue is read back to see what landed."""

import base64
import json
import os
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from newsroom.celery import app
from newsroom.events import outbox, tasks
from newsroom.events.models import OutboxTask
from tests.factories import ReleaseFactory, editor

DOWN = "redis://127.0.0.1:1/0"
UP = os.environ.get("NEWSROOM_TEST_BROKER_URL", "redis://127.0.0.1:6379/7")
QUEUE = "celery"  # Celery's default queue: the Redis list its messages are pushed to
MESSAGE = {
    "subject": "Embargoed until 10:00",
    "body": "The link: https://news.example.org/e/token",
    "from_email": "newsroom@example.org",
    "to": ["jane@daily.example"],
    "reply_to": [],
    "alternatives": [["<p>The link</p>", "text/html"]],
}


def _reset_connections() -> None:
    # What Celery does after a fork: the next send opens a connection to the new URL.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker(url: str):
    """Tasks go to the broker at ``url`` (not eager) within the block."""
    conf = app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, url
    _reset_connections()
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _reset_connections()


def _embargoed_release():
    return ReleaseFactory(embargoed_until=timezone.now() + timedelta(days=1))


@pytest.fixture
def queue():
    """The test Redis database, emptied before and after: its ``messages()`` are the task
    messages waiting in the default queue, as dicts (headers and body decoded)."""
    client = redis.Redis.from_url(UP, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"No Redis at {UP} (set NEWSROOM_TEST_BROKER_URL)")
    client.flushdb()

    class Queue:
        messages = staticmethod(queued_messages)

    yield Queue
    client.flushdb()
    client.close()


def queued_messages() -> list[dict]:
    """The task messages waiting in the test broker's default queue (``queue`` fixture)."""
    client = redis.Redis.from_url(UP)
    try:
        return [json.loads(raw) for raw in client.lrange(QUEUE, 0, -1)]
    finally:
        client.close()


@pytest.mark.django_db
def test_without_a_broker_the_task_runs_at_once_and_leaves_no_row():
    assert outbox.enqueue(tasks.send_email, message=MESSAGE) is None
    [sent] = mail.outbox
    assert sent.to == ["jane@daily.example"]
    assert OutboxTask.objects.count() == 0


@pytest.mark.django_db
def test_with_a_broker_the_task_is_sent_after_commit_only(
    queue, django_capture_on_commit_callbacks
):
    with broker(UP), django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(tasks.send_email, message=MESSAGE)
        assert queue.messages() == []  # not before the commit

    [message] = queue.messages()
    assert message["headers"]["id"] == row.task_id
    assert message["headers"]["task"] == "newsroom.events.send_email"
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.kwargs == {}  # the link's token is not kept in the database
    assert mail.outbox == []  # a worker sends it


@pytest.mark.django_db
def test_a_task_that_cannot_be_queued_is_kept_then_sent_when_the_broker_is_back(
    queue, django_capture_on_commit_callbacks, caplog
):
    with broker(DOWN), django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(tasks.send_email, message=MESSAGE)

    row.refresh_from_db()
    assert row.sent_at is None
    assert row.kwargs == {"message": MESSAGE}
    assert row.attempts == 1
    assert "Error" in row.last_error
    assert "kept in the outbox" in caplog.text

    with broker(DOWN), pytest.raises(CommandError, match="kept for the next flush"):
        call_command("flush_outbox", "--all")
    row.refresh_from_db()
    assert (row.sent_at, row.attempts) == (None, 2)

    with broker(UP):
        call_command("flush_outbox", "--all")

    row.refresh_from_db()
    assert row.sent_at is not None
    [message] = queue.messages()
    assert message["headers"]["id"] == row.task_id
    assert outbox.pending().count() == 0


@pytest.mark.django_db
def test_the_periodic_flush_leaves_fresh_rows_to_their_own_send(queue):
    with broker(UP):
        row = OutboxTask.objects.create(task_name=tasks.send_email.name, kwargs={"message": {}})
        assert outbox.flush() == (0, 0)  # younger than the grace period
        assert outbox.flush(grace=outbox.FLUSH_GRACE * 0) == (1, 0)
        assert outbox.flush(grace=outbox.FLUSH_GRACE * 0) == (0, 0)  # sent once
    assert [m["headers"]["id"] for m in queue.messages()] == [row.task_id]


@pytest.mark.django_db
def test_rows_kept_from_a_broker_run_here_when_flushed_without_one():
    OutboxTask.objects.create(task_name=tasks.send_email.name, kwargs={"message": MESSAGE})
    call_command("flush_outbox", "--all")
    assert [m.subject for m in mail.outbox] == ["Embargoed until 10:00"]
    assert outbox.pending().count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_row_rolls_back_with_the_change_that_wanted_it(queue):
    from django.db import transaction

    with broker(UP), pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(tasks.send_email, message=MESSAGE)
        raise RuntimeError("the change failed")
    assert OutboxTask.objects.count() == 0
    assert queue.messages() == []


@pytest.mark.django_db
def test_the_share_page_says_queued_when_a_worker_will_send_it(
    client, queue, django_capture_on_commit_callbacks
):
    from tests.sharing.test_admin import share_data, share_url

    release = _embargoed_release()
    client.force_login(editor())
    with broker(UP), django_capture_on_commit_callbacks(execute=True):
        response = client.post(share_url(release), share_data())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<td>queued for sending</td>" in html
    assert mail.outbox == []
    [message] = queue.messages()
    assert message["headers"]["task"] == "newsroom.events.send_email"
    [link] = re.findall(r'value="(http://testserver/embargo/[^"]+/)"', html)
    _args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    assert link in kwargs["message"]["body"]
    assert kwargs["message"]["to"] == ["jane@daily.example"]
    assert OutboxTask.objects.get().sent_at is not None


@pytest.mark.django_db
def test_the_share_page_still_reports_a_failure_without_a_broker(client, settings):
    from tests.sharing.test_admin import share_data, share_url

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    client.force_login(editor())
    response = client.post(share_url(_embargoed_release()), share_data())

    html = response.content.decode()
    assert "was not sent" in html
    assert "<td>not sent</td>" in html


@pytest.mark.django_db
def test_sent_rows_are_pruned_after_a_week_waiting_rows_never():
    now = timezone.now()
    old_sent = OutboxTask.objects.create(task_name="x", sent_at=now - timedelta(days=8))
    recent = OutboxTask.objects.create(task_name="x", sent_at=now - timedelta(days=6))
    waiting = OutboxTask.objects.create(task_name="x")
    OutboxTask.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(days=30))

    assert outbox.prune() == 1
    assert set(OutboxTask.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert old_sent.pk not in OutboxTask.objects.values_list("pk", flat=True)


@pytest.mark.django_db
def test_the_share_command_says_queued_with_a_broker(queue, django_capture_on_commit_callbacks):
    from io import StringIO

    release = _embargoed_release()
    out, err = StringIO(), StringIO()
    with broker(UP), django_capture_on_commit_callbacks(execute=True):
        call_command(
            "share_release", release.slug, "--email", "jane@daily.example", "--send",
            stdout=out, stderr=err,
        )  # fmt: skip
    assert err.getvalue().strip() == "Queued for sending to jane@daily.example."
    [message] = queue.messages()
    _args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    assert out.getvalue().strip() in kwargs["message"]["body"]  # the link printed
    assert mail.outbox == []
