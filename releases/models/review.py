"""The review thread of a release: who submitted, approved or sent it back, when, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from releases.models.release import Release


class ReviewNote(models.Model):
    """One entry of a release's review thread, written by ``releases.services``.

    Kept when its author's account goes (``SET_NULL``): the thread is the record of
    what was asked and decided.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"
        COMMENT = "comment", "Comment"

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="review_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["release", "-created_at"], name="review_note_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author or 'someone'}"
