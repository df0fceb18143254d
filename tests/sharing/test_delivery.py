"""A link's e-mail that fails for good is noted on the link (admin, share page) and logged,
on the worker's code path; no stored error holds the link's token."""

import logging
import smtplib

import pytest
from celery.exceptions import Retry
from django.core.mail.backends.base import BaseEmailBackend

from newsroom.events import emails, tasks
from newsroom.sharing.emails import link_message, queue_link
from newsroom.sharing.models import Delivery, ShareLink
from tests.sharing.test_admin import share_data, share_url
from tests.test_outbox import UP, broker, queue, queued_messages  # noqa: F401 - queue: a fixture
from tests.test_tasks import _run_as_worker

pytestmark = pytest.mark.django_db

URL = "https://news.example.org"


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses the recipient for good (550)."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {m.to[0]: (550, b"5.1.1 mailbox unavailable") for m in messages}
        )


class RejectingBackend(BaseEmailBackend):
    """An SMTP server that refuses the message after DATA (550)."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(550, b"5.7.1 message refused")


class MisconfiguredBackend(BaseEmailBackend):
    """A backend that breaks, echoing the message (and so the link) in its error."""

    def send_messages(self, messages):
        raise TypeError(f"cannot send {messages[0].body!r}")


class BusyBackend(BaseEmailBackend):
    """An SMTP server that answers 451 (transient) every time."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, b"4.3.0 try again later")


def _backend(settings, cls):
    settings.EMAIL_BACKEND = f"{__name__}.{cls.__name__}"


def _token(issued) -> str:
    return issued.path.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.parametrize(
    ("backend", "error"),
    [
        (RefusingBackend, "SMTPRecipientsRefused"),
        (RejectingBackend, "SMTPDataError"),
        (MisconfiguredBackend, "TypeError"),
    ],
)
def test_a_worker_notes_a_permanent_failure_on_the_link(
    settings, caplog, embargo_link, backend, error
):
    _backend(settings, backend)
    message = emails.message_data(link_message(embargo_link, url=URL + embargo_link.path))

    with caplog.at_level(logging.ERROR), pytest.raises(Exception) as raised:
        _run_as_worker(tasks.send_email, message=message, share_link_id=embargo_link.link.pk)

    assert type(raised.value).__name__ == error
    link = ShareLink.objects.get(pk=embargo_link.link.pk)
    assert link.delivery_status == Delivery.FAILED
    assert link.delivery_error.startswith(f"{error}: ")
    assert link.delivery_at is not None
    assert _token(embargo_link) not in link.delivery_error
    assert any(
        r.levelno == logging.ERROR and str(link.pk) in r.getMessage() for r in caplog.records
    )
    assert not any(_token(embargo_link) in r.getMessage() for r in caplog.records)


def test_retries_exhausted_is_a_failure_for_good(settings, embargo_link):
    _backend(settings, BusyBackend)
    message = emails.message_data(link_message(embargo_link, url=URL + embargo_link.path))
    with pytest.raises(smtplib.SMTPDataError):
        _run_as_worker(
            tasks.send_email,
            retries=emails.MAX_RETRIES,
            message=message,
            share_link_id=embargo_link.link.pk,
        )
    link = ShareLink.objects.get(pk=embargo_link.link.pk)
    assert (link.delivery_status, link.delivery_error[:18]) == (
        Delivery.FAILED,
        "SMTPDataError: (45",
    )


def test_a_sent_email_is_noted_as_sent(embargo_link):
    message = emails.message_data(link_message(embargo_link, url=URL + embargo_link.path))
    _run_as_worker(tasks.send_email, message=message, share_link_id=embargo_link.link.pk)
    link = ShareLink.objects.get(pk=embargo_link.link.pk)
    assert (link.delivery_status, link.delivery_error) == (Delivery.SENT, "")


def test_eager_queue_link_notes_the_failure_and_raises(settings, embargo_link):
    _backend(settings, RefusingBackend)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        queue_link(embargo_link, url=URL + embargo_link.path)
    assert ShareLink.objects.get(pk=embargo_link.link.pk).delivery_status == Delivery.FAILED


def test_staff_see_the_failure_in_the_admin_and_on_the_share_page(
    settings, admin_client, embargo_link
):
    _backend(settings, MisconfiguredBackend)
    message = emails.message_data(link_message(embargo_link, url=URL + embargo_link.path))
    with pytest.raises(TypeError):
        _run_as_worker(tasks.send_email, message=message, share_link_id=embargo_link.link.pk)
    link = embargo_link.link

    listing = admin_client.get("/admin/sharing/sharelink/").content.decode()
    assert "Failed: TypeError: cannot send" in listing
    change = admin_client.get(f"/admin/sharing/sharelink/{link.pk}/change/").content.decode()
    assert "TypeError: cannot send" in change
    share = admin_client.get(share_url(link.release))
    assert share.status_code == 200
    assert "share again to re-send" in share.content.decode()
    for page in (listing, change, share.content.decode()):
        assert _token(embargo_link) not in page


def test_the_share_page_reports_a_misconfigured_backend_without_a_500(
    settings, admin_client, embargoed
):
    _backend(settings, MisconfiguredBackend)
    response = admin_client.post(share_url(embargoed), share_data())
    assert response.status_code == 200
    assert "was not sent (TypeError" in response.content.decode()
    assert ShareLink.objects.get(release=embargoed).delivery_status == Delivery.FAILED


@pytest.mark.usefixtures("queue")
def test_a_retry_stays_queued_with_the_error_shown(settings, embargo_link):
    """Transient (451): retried on the broker; the link says queued, and why it waits."""
    _backend(settings, BusyBackend)
    message = emails.message_data(link_message(embargo_link, url=URL + embargo_link.path))
    with broker(UP), pytest.raises(Retry):
        _run_as_worker(tasks.send_email, message=message, share_link_id=embargo_link.link.pk)
    link = ShareLink.objects.get(pk=embargo_link.link.pk)
    assert link.delivery_status == Delivery.QUEUED
    assert link.delivery_error.startswith("SMTPDataError: (451")
    [queued] = queued_messages()
    assert queued["headers"]["retries"] == 1
