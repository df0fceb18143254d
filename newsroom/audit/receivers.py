"""Listens to ``releases.signals.release_action`` and writes the audit log."""

from __future__ import annotations

from django.utils import timezone

from newsroom.audit.models import AuditEvent


def record_release_action(sender, *, release, user, action, note="", **kwargs) -> AuditEvent:
    """One ``AuditEvent`` for one action; runs inside the action's transaction, so an
    action rolled back leaves no record, and a failing write fails the action."""
    return AuditEvent.objects.create(
        action=action,
        release=release if release is not None and release.pk else None,
        release_headline=(getattr(release, "headline", "") or "")[:255],
        release_slug=(getattr(release, "slug", "") or "")[:200],
        user=user if user is not None and user.pk else None,
        username=user.get_username() if user is not None and user.pk else "",
        note=note or "",
        at=timezone.now(),
    )
