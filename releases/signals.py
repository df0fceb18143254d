"""What ``releases`` tells the apps built on it (sharing, audit, alerts …).

``releases`` never imports those apps; they connect receivers to these signals in their
``AppConfig.ready``.

``release_action``: an editorial action happened to a release, sent by the service that
did it, inside its transaction (a receiver that writes joins the action's transaction).
Arguments: ``release`` (the ``Release``, as saved), ``user`` (who acted, or None for the
shell/automation), ``action`` (one of ``ACTIONS``), ``note`` (free text: a review note,
a withdrawal reason, a recipient; "" when none).
"""

from django.dispatch import Signal

ACTIONS = (
    "submit",  # sent for review
    "approve",  # review approved (published or scheduled)
    "send_back",  # review sent back with a comment
    "publish",  # published now (public, or held by an embargo)
    "schedule",  # published at a future time
    "unpublish",  # returned to draft
    "withdraw",
    "duplicate",
    "share",  # an embargo link made
    "revoke",  # an embargo or review link revoked
    "review_link",  # a review link made
    "correction",
    "import",
)

release_action = Signal()


def send_release_action(*, release, user, action: str, note: str = "") -> None:
    """Send ``release_action``; refuses an action name not in ``ACTIONS`` (ValueError)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown release action {action!r}; known: {', '.join(ACTIONS)}.")
    release_action.send(sender=type(release), release=release, user=user, action=action, note=note)
