"""Load the demo newsroom: invented organizations, people and 46 releases in every state."""

from django.core.management.base import BaseCommand

from releases.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load demo content: 5 organizations, 8 authors, 10 media contacts, 20 tags and "
        "releases in every state (draft, in review, scheduled, embargoed, published, "
        "withdrawn), dated relative to now, with drawn featured images, organization logos "
        "and media-kit attachments (images and PDF fact sheets). Safe to run again: rows "
        "are updated in place, never duplicated."
    )

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(self.style.SUCCESS(str(result)))
