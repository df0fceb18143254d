"""``manage.py revoke_share SLUG [--email E | --all]``: revoke a recipient's links to a
release, or all of them. Runs as automation (no acting user)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from newsroom.sharing import services
from newsroom.sharing.management.commands._common import release_by_slug
from newsroom.sharing.models import ShareLink


class Command(BaseCommand):
    help = "Revoke the active embargo and review links to a release: one recipient's, or all."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--email", help="Revoke this recipient's links.")
        which.add_argument("--all", action="store_true", help="Revoke every active link.")

    def handle(self, *args, **options):
        release = release_by_slug(options["slug"])
        if options["all"]:
            revoked = services.revoke_all(release=release, user=None)
        else:
            links = ShareLink.objects.active().filter(
                release=release, recipient__email=options["email"].strip().lower()
            )
            revoked = [
                services.revoke(link=link, user=None) for link in links.select_related("recipient")
            ]
            if not revoked:
                raise CommandError(f"No active link to {release.slug!r} for {options['email']!r}.")
        self.stdout.write(f"Revoked {len(revoked)} link{'s' if len(revoked) != 1 else ''}.")
