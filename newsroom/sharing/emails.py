"""The e-mail that carries a link: Django's e-mail framework, a plain-text and an HTML part.

The backend is a setting (``EMAIL_BACKEND``: the console when DEBUG, SMTP otherwise;
Django's test runner swaps in locmem). Templates: ``templates/sharing/email/``.

``queue_link`` is how the admin and the commands send: through the task queue
(``newsroom.events.tasks.send_email``, retried on transient SMTP and connection errors),
queued when the caller's transaction commits and kept in the outbox while the broker is
down. Without a broker (eager mode) it is sent at once and its errors reach the caller.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from newsroom.sharing.models import Kind
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
    return QUEUED if outbox.enqueue(tasks.send_email, message=message) else SENT
