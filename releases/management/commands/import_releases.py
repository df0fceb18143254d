"""``manage.py import_releases PATH… --format {json,ninjs,text}``.

Each file is imported in its own transaction: a file with an error leaves nothing of
itself behind, the error is reported with the file and the line or field, and the
command goes on with the next file. It exits with status 1 at the end if any file
failed. Importing a file again does not duplicate anything (see ``releases.importers``).

``json`` reads the JSON and NDJSON exports, ``ninjs`` IPTC ninjs items (as exported,
or from another system), ``text`` a plain-text release as organizations e-mail them
(imported as a draft for an editor to check).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from releases.importers import ImportResult, ReleaseImportError


def import_file(path: str, format_name: str) -> ImportResult:
    # Imported per format: the text importer's parsing tables load only when needed.
    if format_name == "json":
        from releases.importers.structured import import_json_file as importer
    elif format_name == "ninjs":
        from releases.importers.ninjs import import_ninjs_file as importer
    else:
        from releases.importers.text import import_text_file as importer
    return importer(path)


class Command(BaseCommand):
    help = "Import releases from JSON/NDJSON exports, IPTC ninjs items or plain-text releases."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--format", required=True, choices=["json", "ninjs", "text"])

    def handle(self, *args, **options):
        failed = []
        for path in options["paths"]:
            try:
                with transaction.atomic():
                    result = import_file(path, options["format"])
            except ReleaseImportError as error:
                failed.append(path)
                self.stderr.write(str(error.located(path=path)))
                continue
            self.stdout.write(str(result))
            for release in result.created:
                self.stdout.write(f"  created {release.slug} ({release.get_status_display()})")
            for release in result.updated:
                self.stdout.write(f"  updated {release.slug} ({release.get_status_display()})")
            for warning in result.warnings:
                self.stdout.write(f"  check: {warning}")
        if failed:
            total = len(options["paths"])
            # The noun follows the total: "1 of 2 files", "1 of 1 file".
            noun = "file" if total == 1 else "files"
            raise CommandError(
                f"{len(failed)} of {total} {noun} not imported: " + ", ".join(failed)
            )
