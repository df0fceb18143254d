from django.apps import AppConfig


class EventsConfig(AppConfig):
    """What happened to a public release ("went public", "updated", "withdrawn"), told once."""

    name = "newsroom.events"
    label = "events"
    verbose_name = "Release events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom.events import receivers

        receivers.connect()
