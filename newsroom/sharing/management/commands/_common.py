"""What the sharing commands share: finding the release by slug (current or old)."""

from __future__ import annotations

from django.core.management.base import CommandError

from releases.models import Release, ReleaseSlug


def release_by_slug(slug: str) -> Release:
    """The release whose slug (or an old slug) is ``slug``; CommandError if none."""
    release = Release.objects.filter(slug=slug).first()
    if release is None:
        old = ReleaseSlug.objects.select_related("release").filter(slug=slug).first()
        if old is None:
            raise CommandError(f"No release with the slug {slug!r}.")
        release = old.release
    return release
