"""``manage.py make_renditions [--all]``: make the renditions missing for stored images.

Uploads get their renditions when they are saved (``releases.images``); this is for
files stored before renditions existed, imported by name, or whose renditions were
deleted from storage. A row is done again when its record is empty or not for its
file, or when one recorded rendition is missing from storage (one ``exists`` per
rendition); ``--all`` remakes every one. Rows are written with ``update()`` (their
``updated_at`` stays: the content did not change), then the data version moves once
so cached release cards pick up the thumbnails.
"""

from django.core.management.base import BaseCommand

from releases.freshness import data_changed
from releases.images import is_image_name, made_for, make_renditions
from releases.models import Attachment, Author, Organization, Release

# (model, file field, renditions field)
IMAGE_FIELDS = (
    (Release, "featured_image", "featured_image_renditions"),
    (Organization, "logo", "logo_renditions"),
    (Author, "photo", "photo_renditions"),
    (Attachment, "file", "renditions"),
)


def _complete(fieldfile, records) -> bool:
    return made_for(records, fieldfile.name) and all(
        fieldfile.storage.exists(record["name"]) for record in records
    )


class Command(BaseCommand):
    help = (
        "Make the responsive renditions missing for stored images "
        "(featured images, logos, photos, image attachments)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every rendition.")

    def handle(self, *args, **options):
        made = failed = 0
        for model, file_field, renditions_field in IMAGE_FIELDS:
            rows = model.objects.exclude(**{file_field: ""}).only(
                "pk", file_field, renditions_field
            )
            for row in rows.iterator(chunk_size=200):
                fieldfile = getattr(row, file_field)
                records = getattr(row, renditions_field) or []
                if not options["all"] and (
                    _complete(fieldfile, records) or not is_image_name(fieldfile.name)
                ):
                    continue
                fresh = make_renditions(fieldfile)
                if not fresh:
                    failed += 1
                    self.stderr.write(
                        f"No renditions for {model.__name__} {row.pk}: {fieldfile.name}"
                    )
                    continue
                model.objects.filter(pk=row.pk).update(**{renditions_field: fresh})
                made += 1
        if made:
            data_changed(tags=True)  # cards are cached under the newest such entry
        self.stdout.write(f"{made} images got renditions; {failed} could not be read.")
