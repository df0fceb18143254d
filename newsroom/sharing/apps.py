from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Embargo and review links: a release read by name, before it is public."""

    name = "newsroom.sharing"
    label = "sharing"
    verbose_name = "Embargo and review links"
    default_auto_field = "django.db.models.BigAutoField"
