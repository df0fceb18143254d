"""``manage.py flush_outbox [--all]``: send the queued tasks a broker outage kept.

The beat task ``flush_outbox`` does the same every minute; this is for an operator who
does not want to wait, or runs no beat. Exit status 1 when some could not be sent.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from newsroom.events import outbox


class Command(BaseCommand):
    help = "Send the tasks waiting in the outbox (kept while the broker was unreachable)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Include rows younger than 10 seconds (normally left to their own send).",
        )

    def handle(self, *args, **options):
        grace = timedelta(0) if options["all"] else outbox.FLUSH_GRACE
        sent, failed = outbox.flush(grace=grace)
        waiting = outbox.pending().count()
        self.stdout.write(f"Sent {sent}; {waiting} waiting.")
        if failed:
            oldest = outbox.pending().first()
            error = oldest.last_error if oldest else "unknown error"
            raise CommandError(
                f"The broker refused a task ({error}); {waiting} kept for the next flush."
            )
