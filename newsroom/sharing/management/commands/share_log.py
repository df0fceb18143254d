"""``manage.py share_log SLUG``: every view of every link to a release, as CSV on stdout.

Columns: viewed_at (ISO 8601 UTC), kind, recipient, email, outlet, what, user_agent.
Cells a spreadsheet could run as a formula get OWASP's leading quote
(``releases.exports.columns.neutralized``): names and user agents are typed by others.
"""

from __future__ import annotations

import csv
from datetime import UTC

from django.core.management.base import BaseCommand

from newsroom.sharing.management.commands._common import release_by_slug
from newsroom.sharing.models import LinkView
from releases.exports.columns import neutralized

HEADER = ["viewed_at", "kind", "recipient", "email", "outlet", "what", "user_agent"]


class Command(BaseCommand):
    help = "Print the log of views of a release's embargo and review links as CSV."

    def handle(self, *args, **options):
        release = release_by_slug(options["slug"])
        views = (
            LinkView.objects.filter(link__release=release)
            .select_related("link__recipient")
            .order_by("viewed_at", "id")
        )
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADER)
        for view in views.iterator(chunk_size=1000):
            recipient = view.link.shared_with  # as named when the link was made
            writer.writerow(
                [
                    view.viewed_at.astimezone(UTC).isoformat(),
                    view.link.kind,
                    *(
                        neutralized(text)
                        for text in (
                            recipient.name,
                            recipient.email,
                            recipient.outlet,
                            view.what,
                            view.user_agent,
                        )
                    ),
                ]
            )

    def add_arguments(self, parser):
        parser.add_argument("slug")
