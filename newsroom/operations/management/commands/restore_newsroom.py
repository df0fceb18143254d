"""``manage.py restore_newsroom ARCHIVE [--force]``.

Restores an archive of ``backup_newsroom`` into the database of ``DATABASE_URL`` and the
media storage (``newsroom.operations.backups.restore_backup``). First, and before
changing anything, it checks every member against the manifest's SHA-256, that the
database engine is the same, that the backup's schema is not newer than this code, and
that the database holds no content: a non-empty database is replaced only with
``--force``. Then the database (in one transaction), its row counts, the files, and the
migrations the backup predates. Stop the application servers first; start them after.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from newsroom.operations.backups import restore_backup
from newsroom.operations.databases import BackupError


class Command(BaseCommand):
    help = "Restore a backup archive into the database of DATABASE_URL and the media storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A newsroom-YYYYMMDD-HHMMSS.tar from backup_newsroom.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds content (everything in it is lost).",
        )

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"{path}: no such archive.")
        try:
            manifest = restore_backup(path, force=options["force"], report=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OperationalError as error:  # no such database, no server, no permission
            raise CommandError(
                f"Cannot use the database of DATABASE_URL: {str(error).strip()}. Create it "
                "first (PostgreSQL: createdb), then restore into it."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} "
                f"({manifest['media']['files']} files)."
            )
        )
