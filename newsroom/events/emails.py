"""E-mail as a task: a message as JSON, sent by a worker with retries.

``message_data(message)`` turns a Django ``EmailMultiAlternatives`` into the task's
argument; ``send_email`` (``newsroom.events.tasks``) rebuilds and sends it through
``EMAIL_BACKEND``.

Retry rule: connection failures (``OSError``: refused, reset, timed out;
``SMTPServerDisconnected``, ``SMTPConnectError``) and SMTP answers in the 4xx range
(transient, RFC 5321 §4.2.1) are retried with exponential backoff; 5xx answers (a
refused address, a message refused) are permanent and fail at once.
"""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives

# Seconds: 30, 60, 120 … capped at an hour; MAX_RETRIES tries after the first (~3 hours).
BACKOFF_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
MAX_RETRIES = 8


def message_data(message: EmailMultiAlternatives) -> dict:
    """``message`` as JSON-serializable data (text parts only: no attachments)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives],
    }


def message_from(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data.get("from_email"),
        to=data.get("to") or [],
        cc=data.get("cc") or [],
        bcc=data.get("bcc") or [],
        reply_to=data.get("reply_to") or [],
    )
    for content, mimetype in data.get("alternatives") or []:
        message.attach_alternative(content, mimetype)
    return message


def transient(error: BaseException) -> bool:
    """Whether sending again later may succeed (the rule in the module docstring)."""
    if isinstance(error, smtplib.SMTPResponseException):  # SMTPConnectError among them
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPException):  # an OSError too, since Python 3.4
        return isinstance(error, smtplib.SMTPServerDisconnected)
    return isinstance(error, OSError)


def backoff(retries: int) -> int:
    """Seconds before retry number ``retries + 1``."""
    return min(BACKOFF_SECONDS * 2**retries, BACKOFF_MAX_SECONDS)
