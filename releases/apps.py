from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Press releases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from releases import indexing
        from releases.models import tags

        indexing.connect_signals()
        tags.connect_signals()
