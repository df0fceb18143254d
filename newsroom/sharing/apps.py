from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Embargo and review links: a release read by name, before it is public."""

    name = "newsroom.sharing"
    label = "sharing"
    verbose_name = "Embargo and review links"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from releases.dashboard import register_embargo_link_counter

        register_embargo_link_counter(live_embargo_links)


def live_embargo_links(release_ids) -> dict[int, int]:
    """``{release id: live embargo links}`` for the admin dashboard: one query."""
    from django.db.models import Count

    from newsroom.sharing.models import Kind, ShareLink

    rows = (
        ShareLink.objects.active()
        .filter(kind=Kind.EMBARGO, release_id__in=release_ids)
        .values("release_id")
        .annotate(links=Count("id"))
    )
    return {row["release_id"]: row["links"] for row in rows}
