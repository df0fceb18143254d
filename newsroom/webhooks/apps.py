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
        # Retries are rows due in the database; beat queues them every minute (a run no
        # worker took in time is dropped). A new dict: settings.CELERY_BEAT_SCHEDULE, which
        # the app's configuration reads, stays as written.
        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "webhooks-retry-due": {
                "task": "webhooks.retry_due",
                "schedule": 60.0,
                "options": {"expires": 60.0},
            },
        }
