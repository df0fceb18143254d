from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """HTTPS endpoints of an organization, told of its releases' events, signed."""

    name = "newsroom.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom.celery import app
        from newsroom.events.signals import release_event
        from newsroom.webhooks.receivers import on_release_event

        release_event.connect(on_release_event, dispatch_uid="webhooks_on_release_event")
        # Retries are rows due in the database; beat queues them every minute.
        app.add_periodic_task(60.0, app.signature("webhooks.retry_due"), name="webhooks.retry_due")
