"""One row per publishing action on a release: what, who, when, which release, why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from releases.signals import ACTIONS

# The signal's action names, as an editor reads them in the admin's filter and the CSV.
ACTION_LABELS = {
    "submit": "Submitted for review",
    "approve": "Approved",
    "send_back": "Sent back",
    "publish": "Published",
    "schedule": "Scheduled",
    "unpublish": "Unpublished",
    "withdraw": "Withdrawn",
    "duplicate": "Duplicated",
    "share": "Shared (embargo link)",
    "revoke": "Link revoked",
    "review_link": "Review link made",
    "correction": "Correction added",
    "import": "Imported",
}


class AuditEvent(models.Model):
    """A publishing action, kept when the release or the user is deleted.

    The release's headline and slug and the user's name are copied at the time of the
    action, so the record still says what it was about after either is gone (their
    foreign keys are then NULL).
    """

    action = models.CharField(
        max_length=20, choices=[(a, ACTION_LABELS.get(a, a)) for a in ACTIONS], db_index=True
    )
    release = models.ForeignKey(
        "releases.Release",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    release_headline = models.CharField("headline", max_length=255, blank=True)
    release_slug = models.CharField("slug", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Empty for the shell and automation (an import, a scheduled job).
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit event"

    def __str__(self) -> str:
        who = self.username or "system"
        return f"{self.get_action_display()}: {self.release_headline or '—'} ({who})"
