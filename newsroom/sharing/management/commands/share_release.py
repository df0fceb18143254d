"""``manage.py share_release SLUG --email E [--name N] [--outlet O] [--expires ISO-8601]
[--send] [--base-url URL]``: make an embargo link and print it (and e-mail it with --send).

Runs as automation (no acting user, recorded as such): the shell is trusted as the
server's operator. A draft or a release in review gets a review link instead
(``--review``).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsroom.sharing import emails, services
from newsroom.sharing.emails import queue_link
from newsroom.sharing.management.commands._common import release_by_slug

DEFAULT_BASE_URL = "http://localhost:8000"


def parse_expiry(text: str) -> datetime:
    """ISO 8601; a time without an offset is read in ``TIME_ZONE``. CommandError if bad."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--expires {text!r} is not an ISO 8601 time such as 2025-06-10T09:00+02:00."
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class Command(BaseCommand):
    help = "Make a personal embargo (or, with --review, review) link to a release and print it."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--email", required=True, help="The recipient's e-mail address.")
        parser.add_argument("--name", default="", help="The recipient's name.")
        parser.add_argument("--outlet", default="", help="Their publication or organization.")
        parser.add_argument(
            "--expires",
            help="ISO 8601 expiry (default: the embargo lift; 7 days for a review link).",
        )
        parser.add_argument("--review", action="store_true", help="Make a review link.")
        parser.add_argument("--send", action="store_true", help="E-mail the link as well.")
        parser.add_argument(
            "--base-url",
            default=settings.NEWSROOM_BASE_URL or DEFAULT_BASE_URL,
            help=f"The site's address (default: NEWSROOM_BASE_URL or {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args, **options):
        release = release_by_slug(options["slug"])
        recipient = services.RecipientData(
            email=options["email"], name=options["name"], outlet=options["outlet"]
        )
        expires_at = parse_expiry(options["expires"]) if options["expires"] else None
        try:
            if options["review"]:
                issued = services.make_review_link(
                    release=release, recipient=recipient, user=None, expires_at=expires_at
                )
            else:
                [issued] = services.share_release(
                    release=release, recipients=[recipient], user=None, expires_at=expires_at
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        url = options["base_url"].rstrip("/") + issued.path
        if options["send"]:
            outcome = queue_link(issued, url=url)
            done = "Sent" if outcome == emails.SENT else "Queued for sending"
            self.stderr.write(f"{done} to {issued.link.recipient.email}.")
        self.stdout.write(url)
