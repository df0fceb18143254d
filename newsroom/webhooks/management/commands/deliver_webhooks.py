"""``manage.py deliver_webhooks``: attempt every due webhook delivery now, in this process.

For a site without a Celery worker (no ``CELERY_BROKER_URL``), where nothing else retries
deliveries: run it every minute from cron. With a worker, beat's ``webhooks.retry_due``
does the same and this is not needed. Prints one line per attempt and a count.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from newsroom.webhooks import deliveries


class Command(BaseCommand):
    help = "Attempt every pending webhook delivery whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many deliveries (500)."
        )

    def handle(self, *args, limit, **options):
        attempted = 0
        for delivery_id in deliveries.due_ids(limit=limit):
            delivery = deliveries.attempt(delivery_id)
            if delivery is None:  # another process took it
                continue
            attempted += 1
            self.stdout.write(
                f"{delivery.pk} {delivery.kind} → {delivery.endpoint.url}: {delivery.status}"
                + (f" ({delivery.error})" if delivery.error else "")
            )
        self.stdout.write(f"{attempted} deliveries attempted.")
