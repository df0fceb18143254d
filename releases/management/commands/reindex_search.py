"""Rebuild the full-text vector of every release (PostgreSQL), in batches."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from releases.indexing import is_supported, update_search_vectors
from releases.models import Release


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every release: after loaddata, bulk imports or raw "
        "SQL that bypass Release.save(). One UPDATE per batch, each in its own transaction, "
        "so rows are locked for one batch at a time. Nothing to do on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Releases per UPDATE (default 2000)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, batch_size, database, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not is_supported(database):
            self.stdout.write("Search indexing is PostgreSQL only; nothing to do.")
            return
        ids = Release.objects.using(database).order_by("pk").values_list("pk", flat=True)
        done, last = 0, 0
        while batch := list(ids.filter(pk__gt=last)[:batch_size]):
            done += update_search_vectors(batch, using=database)
            last = batch[-1]
            if verbosity > 1:
                self.stdout.write(f"{done} releases indexed…")
        self.stdout.write(self.style.SUCCESS(f"Indexed {done} releases."))
