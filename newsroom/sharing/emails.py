"""The e-mail that carries a link: Django's e-mail framework, a plain-text and an HTML part.

The backend is a setting (``EMAIL_BACKEND``: the console when DEBUG, SMTP otherwise;
Django's test runner swaps in locmem). Templates: ``templates/sharing/email/``.

``queue_link`` is how the admin and the commands send: through the task queue
(``newsroom.events.tasks.send_email``, retried on transient SMTP and connection errors),
queued when the caller's transaction commits and kept in the outbox while the broker is
down. Without a broker (eager mode) it is sent at once and its errors reach the caller.

Where the e-mail is, is kept on the link (``ShareLink.delivery_status``, shown in the
sharing admin and on the release's share page): ``queued`` when handed to the queue,
``sent`` when the backend took it, ``failed`` when it failed for good (a permanent SMTP
answer, a backend that raises anything else, retries exhausted), with the error, logged
at ERROR too. The editor re-sends by sharing again (a new link: the token of the failed
one is not kept, so it cannot be sent again). No stored error holds the token: runs of
token characters are masked (``redact``).
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from newsroom.sharing.models import Delivery, Kind, ShareLink
from newsroom.sharing.services import IssuedLink


def link_message(issued: IssuedLink, *, url: str, sender=None) -> EmailMultiAlternatives:
    """The message for ``issued`` (``url``: the link, absolute). ``sender``, the acting
    user when there is one, is named in the text and answers go to their address."""
    link = issued.link
    context = {
        "link": link,
        "release": link.release,
        "recipient": link.shared_with,
        "url": url,
        "embargo": link.kind == Kind.EMBARGO,
        "sender": sender,
        "site_name": settings.NEWSROOM_SITE_NAME,
    }
    subject = render_to_string("sharing/email/subject.txt", context).strip().replace("\n", " ")
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("sharing/email/link.txt", context),
        to=[link.recipient.email],
        reply_to=[sender.email] if sender is not None and sender.email else None,
    )
    message.attach_alternative(render_to_string("sharing/email/link.html", context), "text/html")
    return message


SENT = "sent"
QUEUED = "queued"

logger = logging.getLogger(__name__)
ERROR_LENGTH = ShareLink._meta.get_field("delivery_error").max_length
# A token is 43 URL-safe characters (models.TOKEN_BYTES); any run of 32 or more such
# characters in an error's message (an echoed link or body) is masked.
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{32,}")


def redact(text: str) -> str:
    """``text`` with anything shaped like a link token replaced by ``[…]``."""
    return _TOKEN_LIKE.sub("[…]", text)


def error_text(error: BaseException) -> str:
    """``Type: message`` of ``error``, tokens masked, cut to the stored length."""
    return f"{type(error).__name__}: {redact(str(error))}"[:ERROR_LENGTH]


def record_delivery(link_id: int, status: str, error: BaseException | None = None) -> None:
    """Note on link ``link_id`` where its e-mail is (``Delivery``), with ``error``'s text;
    one UPDATE (none for a link since deleted). A failure is logged at ERROR."""
    text = error_text(error) if error is not None else ""
    ShareLink.objects.filter(pk=link_id).update(
        delivery_status=status, delivery_error=text, delivery_at=timezone.now()
    )
    if status == Delivery.FAILED:
        logger.error("The e-mail of share link %s was not sent, for good: %s", link_id, text)


def send_link(issued: IssuedLink, *, url: str, sender=None) -> None:
    """Send the link to its recipient; raises what the backend raises (SMTP errors)."""
    link_message(issued, url=url, sender=sender).send()


def queue_link(issued: IssuedLink, *, url: str, sender=None) -> str:
    """Send the link through the task queue. Returns ``SENT`` when it went out now (eager
    mode: no broker; raises what the backend raises, as ``send_link``) or ``QUEUED`` when
    a worker will send it (after the caller's transaction commits; retried there)."""
    from newsroom.events import outbox, tasks
    from newsroom.events.emails import message_data

    message = message_data(link_message(issued, url=url, sender=sender))
    record_delivery(issued.link.pk, Delivery.QUEUED)
    queued = outbox.enqueue(tasks.send_email, message=message, share_link_id=issued.link.pk)
    return QUEUED if queued else SENT
