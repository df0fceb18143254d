"""``manage.py sweep_went_public``: fire "release went public" for releases that became
public and have not had it (what the beat task does every 15 s; for a site run without a
worker, e.g. from cron). Safe to run while workers sweep: each publication fires once."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from newsroom.events import publishing


class Command(BaseCommand):
    help = "Fire the release.published event of releases that became public since the last run."

    def handle(self, *args, **options):
        fired = publishing.sweep_went_public()
        for event in fired:
            self.stdout.write(f"{event.kind} {event.release_id} {event.event_id}")
        self.stdout.write(f"{len(fired)} fired.")
