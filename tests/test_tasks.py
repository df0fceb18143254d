"""The tasks (newsroom/events/tasks.py): e-mail retried on transient failures only, and
the pages a newly public release changed warmed into the page cache."""

import base64
import json
import smtplib
import uuid

import pytest
from celery.exceptions import Retry
from django.core import mail

from newsroom.events import emails, tasks, warm
from releases import pagecache
from tests.factories import ReleaseFactory
from tests.test_outbox import MESSAGE, UP, broker, queue, queued_messages  # noqa: F401 - queue: a fixture

CACHE = "X-Newsroom-Cache"


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPConnectError(421, b"busy"), True),
        (smtplib.SMTPResponseException(451, b"try later"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPSenderRefused(550, b"no", "newsroom@example.org"), False),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"no such user")}), False),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (450, b"mailbox busy")}), True),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), False),
        (ValueError("bad header"), False),
    ],
)
def test_which_failures_are_retried(error, transient):
    assert emails.transient(error) is transient


def test_backoff_doubles_up_to_an_hour():
    assert [emails.backoff(n) for n in range(9)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]  # fmt: skip


def test_the_message_survives_its_json_form():
    message = emails.message_from(MESSAGE)
    again = emails.message_data(message)
    assert json.loads(json.dumps(again)) == {**MESSAGE, "cc": [], "bcc": []}
    assert message.alternatives[0].mimetype == "text/html"


def test_eager_sending_raises_at_once(settings):
    """No broker: no retry, the caller sees the error (the share page reports it)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(ConnectionRefusedError):
        tasks.send_email.apply(kwargs={"message": MESSAGE}, throw=True)


def _run_as_worker(task, retries: int = 0, **kwargs):
    """Run ``task`` as a worker would (not eager), with ``retries`` earlier attempts."""
    task_id = str(uuid.uuid4())
    task.push_request(
        id=task_id, retries=retries, is_eager=False, called_directly=False, args=[], kwargs=kwargs
    )
    try:
        return task_id, task.run(**kwargs)
    finally:
        task.pop_request()


@pytest.mark.usefixtures("queue")
def test_a_worker_retries_an_smtp_server_that_is_down_with_backoff(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with broker(UP), pytest.raises(Retry) as retry:
        _run_as_worker(tasks.send_email, retries=2, message=MESSAGE)

    assert retry.value.when == emails.backoff(2) == 120
    [message] = queued_messages()  # the retry, queued for later on the broker
    assert message["headers"]["task"] == "newsroom.events.send_email"
    assert message["headers"]["retries"] == 3
    assert message["headers"]["eta"] is not None
    _args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    assert kwargs == {"message": MESSAGE}


@pytest.mark.usefixtures("queue")
def test_a_worker_gives_up_after_the_last_retry(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with broker(UP), pytest.raises(ConnectionRefusedError):
        _run_as_worker(tasks.send_email, retries=emails.MAX_RETRIES, message=MESSAGE)
    assert queued_messages() == []


@pytest.mark.usefixtures("queue")
def test_a_worker_sends_when_the_server_answers():
    with broker(UP):
        _task_id, sent = _run_as_worker(tasks.send_email, message=MESSAGE)
    assert sent == 1
    assert [m.to for m in mail.outbox] == [["jane@daily.example"]]
    assert queued_messages() == []


# -- warming the page cache -----------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    """The whole-response cache on, empty (as tests/test_pagecache.py turns it on), and
    the site's address the one the test client uses."""
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_BASE_URL = "http://testserver"
    pagecache.reset_response_cache()
    yield
    pagecache.reset_response_cache()


@pytest.mark.django_db
def test_warming_fills_the_cache_of_each_page_a_new_release_changed(client, page_cache):
    release = ReleaseFactory(headline="Harbour reopens after the storm")
    paths = [
        "/",
        "/releases/",
        release.get_absolute_url(),
        "/feeds/releases.atom",
        "/feeds/releases.rss",
        "/sitemap.xml",
    ]

    statuses = tasks.warm_pages.apply(kwargs={"release_ids": [release.pk]}, throw=True).get()

    assert statuses == dict.fromkeys(paths, 200)
    for path in paths:
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert (path, response[CACHE]) == (path, "hit")
        assert client.get(path)[CACHE] == "hit"  # the plain entry too
    assert "Harbour reopens" in client.get(release.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_warming_a_release_that_is_not_public_renders_nothing(client, page_cache):
    scheduled = ReleaseFactory(scheduled=True)
    assert tasks.warm_pages.apply(kwargs={"release_ids": [scheduled.pk]}, throw=True).get() == {}
    assert client.get("/")[CACHE] == "miss"


@pytest.mark.django_db
def test_a_sweep_warms_the_pages_of_what_it_found(
    client, page_cache, django_capture_on_commit_callbacks
):
    from newsroom.events.publishing import sweep_went_public

    ReleaseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_went_public()
    assert client.get("/releases/")[CACHE] == "hit"


@pytest.mark.django_db
def test_a_big_batch_warms_the_lists_once_and_a_bounded_number_of_release_pages():
    releases = [ReleaseFactory() for _ in range(3)]
    paths = warm.urls_for(releases[:2])
    assert paths.count("/") == 1
    assert [p for p in paths if p.startswith("/releases/") and p != "/releases/"] == [
        r.get_absolute_url() for r in releases[:2]
    ]
    assert len(warm.urls_for([releases[0]] * 50)) == 5 + warm.RELEASE_PAGES


def test_the_beat_schedule_names_tasks_the_workers_know(settings):
    from newsroom.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names == {"newsroom.events.sweep_went_public", "newsroom.events.flush_outbox"}
    assert names <= set(app.tasks.keys())
    every = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert every["newsroom.events.sweep_went_public"] <= 15
