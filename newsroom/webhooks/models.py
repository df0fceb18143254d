"""An organization's webhook endpoints and the log of what was sent to them.

``WebhookEndpoint``: an HTTPS URL of an organization that receives a signed JSON body
(``newsroom.webhooks.signing``) for the release events it subscribes to
(``newsroom.events.signals.KINDS``). ``WebhookDelivery``: one event for one endpoint, the
exact body sent and the outcome of its last attempt; unique per (endpoint, event id), so an
event told twice is delivered once; it outlives its endpoint (the endpoint's URL and
organization name are copied onto it). docs/webhooks.md describes both for operators and
receivers.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from newsroom.events.signals import KINDS
from newsroom.webhooks.addresses import check_endpoint_url

PING = "ping"
KIND_CHOICES = [(kind, kind) for kind in KINDS]
# Secrets keep working this long after a rotation (both signatures are sent), so a
# receiver can switch to the new secret without losing deliveries.
PREVIOUS_SECRET_GRACE = timedelta(hours=24)


def new_secret() -> str:
    """A new signing secret: ``whsec_`` and 43 URL-safe characters (256 random bits)."""
    return "whsec_" + secrets.token_urlsafe(32)


def default_events() -> list[str]:
    return list(KINDS)


class WebhookEndpoint(models.Model):
    """An organization's HTTPS URL, told of the events of its releases it subscribes to."""

    organization = models.ForeignKey(
        "releases.Organization", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(
        "URL",
        max_length=500,
        help_text="HTTPS only. It receives a signed JSON POST for each event "
        "(see the webhooks guide, docs/webhooks.md).",
    )
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(
        default=default_events,
        help_text="The events sent to this endpoint: a list of release.published, "
        "release.updated, release.withdrawn.",
    )
    active = models.BooleanField(default=True, help_text="Inactive endpoints receive nothing.")
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    # After a rotation the old secret signs too, until previous_secret_expires_at.
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__name", "url", "pk"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.url

    def clean(self):
        super().clean()
        if self.url:
            try:
                check_endpoint_url(self.url)
            except ValueError as exc:
                raise ValidationError({"url": str(exc)}) from None
        events = self.events if isinstance(self.events, list) else None
        if not events or any(kind not in KINDS for kind in events):
            raise ValidationError({"events": f"Choose one or more of: {', '.join(KINDS)}."})

    def subscribes_to(self, kind: str) -> bool:
        return kind == PING or kind in (self.events or [])

    def signing_secrets(self, now=None) -> list[str]:
        """The secrets that sign a delivery now: the current one, then the previous one
        while its grace period after a rotation lasts."""
        now = now or timezone.now()
        found = [self.secret]
        if (
            self.previous_secret
            and self.previous_secret_expires_at
            and self.previous_secret_expires_at > now
        ):
            found.append(self.previous_secret)
        return found

    def rotate_secret(self) -> str:
        """A new secret (returned, and saved); the old one keeps signing for
        ``PREVIOUS_SECRET_GRACE``."""
        self.previous_secret = self.secret
        self.previous_secret_expires_at = timezone.now() + PREVIOUS_SECRET_GRACE
        self.secret = new_secret()
        self.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
        )
        return self.secret

    @property
    def masked_secret(self) -> str:
        return f"{self.secret[:6]}…{self.secret[-4:]}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"  # refused by the receiver (4xx) or by the URL checks
    GAVE_UP = "gave_up", "Giving up"  # still failing after the last retry
    SKIPPED = "skipped", "Skipped"  # not sent: the release is no longer public


class WebhookDelivery(models.Model):
    """One event for one endpoint: the body sent (exactly, for redelivery) and how its
    attempts went. ``attempts`` counts the POSTs made; ``next_attempt_at`` is when a
    pending delivery is due (``None`` once settled)."""

    # Deleting an endpoint (or its organization) keeps its log: the link is cleared, and
    # the URL and organization copied when the delivery was made still say whose it was.
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    endpoint_url = models.CharField("endpoint URL", max_length=500, blank=True)
    organization_name = models.CharField("organization", max_length=200, blank=True)
    event_id = models.CharField("event id", max_length=100)
    kind = models.CharField(max_length=30, db_index=True)
    release = models.ForeignKey(
        "releases.Release",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copied, so the log still says which release it was after the release is deleted.
    release_pk = models.BigIntegerField("release id", null=True, blank=True, db_index=True)
    release_slug = models.CharField("slug", max_length=200, blank=True)
    release_headline = models.CharField("headline", max_length=255, blank=True)
    body = models.TextField(
        help_text="The JSON body exactly as sent (UTF-8); a redelivery sends it again unchanged."
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(
        "response status code", null=True, blank=True
    )
    response_excerpt = models.TextField(
        "response body excerpt",
        blank=True,
        help_text="The first 2 KB of the last response's body, control characters removed.",
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhooks_delivery_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id} → {self.endpoint_url or self.endpoint_id}"
