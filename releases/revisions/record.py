"""Recording revisions: only when something changed, with who and a short comment.

The admin wraps its form views in ``reversion.create_revision(manage_manually=True)`` and
calls ``record_revision`` once everything is saved; the services' actions are recorded by
``record_action`` (connected to ``releases.signals.release_action`` in ``AppConfig.ready``),
so a lifecycle action from the changelist, the review workflow or the shell is a revision
too. Inside the admin's block both land in one revision.
"""

from __future__ import annotations

import reversion

from releases.models import Release
from releases.revisions.snapshots import latest_version, live_snapshot, version_snapshot

ACTION_COMMENTS = {
    "submit": "Submitted for review.",
    "approve": "Approved.",
    "send_back": "Sent back.",
    "publish": "Published.",
    "schedule": "Scheduled.",
    "unpublish": "Returned to draft.",
    "withdraw": "Withdrawn.",
    "duplicate": "Created as a copy.",
    "correction": "Correction noted.",
    "import": "Imported.",
}


def record_revision(release_pk: int, *, user, comment: str) -> bool:
    """Add the stored release (and its parts) to the active revision, unless it equals
    the latest revision. Needs an active ``reversion.create_revision`` block. Returns
    whether it added. About ten queries."""
    latest = latest_version(release_pk)
    if latest is not None and version_snapshot(latest) == live_snapshot(release_pk):
        return False
    reversion.add_to_revision(Release.objects.get(pk=release_pk))
    reversion.set_user(user if user is not None and user.is_authenticated else None)
    earlier = reversion.get_comment()
    reversion.set_comment(f"{earlier} {comment}".strip() if comment not in earlier else earlier)
    return True


def record_baseline(release_pk: int) -> None:
    """A first revision of a release that has none (made before revisions were kept, or
    by an import), so its first change can be compared with what it was."""
    if latest_version(release_pk) is None:
        with reversion.create_revision(manage_manually=True):
            reversion.add_to_revision(Release.objects.get(pk=release_pk))
            reversion.set_comment("As it was before its first recorded change.")


def record_action(sender, *, release, user, action, note="", **kwargs) -> None:
    """``release_action`` receiver: the action's result is a revision (joins the admin's
    revision when there is one)."""
    comment = ACTION_COMMENTS.get(action)
    if comment is None or release.pk is None:
        return
    with reversion.create_revision(manage_manually=True):
        record_revision(release.pk, user=user, comment=comment)
