"""``manage.py backup_newsroom [--output-dir DIR] [--keep N]``.

Writes ``DIR/newsroom-YYYYMMDD-HHMMSS.tar`` (UTC; DIR defaults to
``$NEWSROOM_VAR_DIR/backups``): the database of ``DATABASE_URL`` (PostgreSQL with
``pg_dump --format=custom``, SQLite with its online backup API), every file of the media
storage, and a manifest (``newsroom.operations.archive``). The archive's path is the last
line printed, for scripts (``make backup``). ``--keep N`` then deletes all but the N
newest archives of DIR (by the time written; never the one just made). The site keeps
running meanwhile.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.operations.backups import create_backup, prune
from newsroom.operations.databases import BackupError


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one dated archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            metavar="DIR",
            default=str(Path(settings.VAR_DIR) / "backups"),
            help="Where to write the archive (default: $NEWSROOM_VAR_DIR/backups).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="After the backup, delete all but the N newest archives of the folder.",
        )

    def handle(self, *args, **options):
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep: keep at least 1 archive (the one just made).")
        directory = Path(options["output_dir"])
        try:
            path = create_backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(
                f"{directory}: cannot write the backup there ({error.strerror or error})."
            ) from None
        if keep:
            for old in prune(directory, keep, made=path):
                self.stderr.write(f"Deleted the old backup {old}")
        self.stdout.write(str(path.resolve()))
