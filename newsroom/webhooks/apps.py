from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """HTTPS endpoints of an organization, told of its releases' events, signed."""

    name = "newsroom.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"
