"""Sharing a release before it is public: embargo links, review links, revocation, the log.

Plain functions that the admin, the link views and the commands call. Each one that
changes something checks the acting user's permission and sends
``releases.signals.send_release_action`` ("share", "review_link", "revoke").

Who may do what (the services are the rule; the admin only hides what they refuse):
- embargo links are made and revoked by editors (``releases.publish_release``): sharing
  an embargoed release is part of publishing it;
- review links by whoever may change the release (``releases.change_release``).
``user=None`` is the shell (the management commands): automation run by whoever holds the
server, trusted as such and recorded as "no user".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom.sharing.models import (
    Kind,
    LinkView,
    Recipient,
    ShareLink,
    hash_token,
    link_path,
    new_token,
)
from releases.models import Release, Status
from releases.services import can_publish
from releases.signals import send_release_action

REVIEW_LINK_DAYS = 7
USER_AGENT_LENGTH = LinkView._meta.get_field("user_agent").max_length
WHAT_LENGTH = LinkView._meta.get_field("what").max_length


@dataclass(frozen=True)
class RecipientData:
    """A recipient as typed (admin form, command line); matched to earlier ones by e-mail."""

    email: str
    name: str = ""
    outlet: str = ""


@dataclass(frozen=True)
class IssuedLink:
    """A link just made, with its token: the only moment the token is known."""

    link: ShareLink
    token: str

    @property
    def path(self) -> str:
        return link_path(self.link.kind, self.token)


# -- who may ---------------------------------------------------------------------------


def _automation(user) -> bool:
    return user is None


def can_share_embargo(user) -> bool:
    return _automation(user) or can_publish(user)


def can_make_review_link(user) -> bool:
    return _automation(user) or bool(user.is_active and user.has_perm("releases.change_release"))


def can_manage(user, kind: str) -> bool:
    """Whether ``user`` may make and revoke links of ``kind``."""
    return can_share_embargo(user) if kind == Kind.EMBARGO else can_make_review_link(user)


def can_see_links(user) -> bool:
    """Staff who may see releases may see who they were shared with, and the log."""
    return _automation(user) or bool(
        user.is_active and user.is_staff and user.has_perm("releases.view_release")
    )


# -- what may be shared ----------------------------------------------------------------


def shareable_kind(release: Release) -> str | None:
    """The kind of link ``release`` can be shared by now, or None.

    Embargo links: a published release that its embargo still holds back
    (``Release.held_by_embargo``). Review links: drafts and releases in review.
    """
    if release.held_by_embargo:
        return Kind.EMBARGO
    if release.status in (Status.DRAFT, Status.REVIEW):
        return Kind.REVIEW
    return None


def embargo_refusal(release: Release) -> str | None:
    """Why ``release`` cannot be shared under embargo ("" never; None when it can)."""
    if release.held_by_embargo:
        return None
    if release.is_published:
        return f"“{release.headline}” is public already: share its public page instead."
    if release.status in (Status.DRAFT, Status.REVIEW):
        return (
            f"“{release.headline}” is not published yet: publish it with an embargo first, "
            "or make a review link."
        )
    if release.status == Status.WITHDRAWN:
        return f"“{release.headline}” was withdrawn."
    if release.embargoed_until is None:
        return (
            f"“{release.headline}” has no embargo: there is nothing to share before it is public."
        )
    return (
        f"“{release.headline}” is held back by its publication time, not by an embargo: "
        "set an embargo to share it."
    )


def _recipient(data: RecipientData | Recipient) -> Recipient:
    """The stored recipient for ``data``: found by e-mail (any case), made if new; a name
    or outlet typed now replaces the stored one (links made earlier keep the name and
    outlet they were made for, ``ShareLink.recipient_name``)."""
    if isinstance(data, Recipient):
        return data
    email = data.email.strip().lower()
    name, outlet = data.name.strip(), data.outlet.strip()
    recipient = Recipient.objects.filter(email=email).first()
    if recipient is None:
        recipient = Recipient(email=email, name=name or email.split("@", 1)[0], outlet=outlet)
        recipient.full_clean()
        recipient.save()
        return recipient
    # A new name is a new person at that address (or a new job): the outlet typed with it,
    # even none, goes with it rather than the one typed for the earlier name.
    if name and name != recipient.name:
        changed = {"name": name, "outlet": outlet}
    else:
        changed = {"outlet": outlet} if outlet and outlet != recipient.outlet else {}
    if changed:
        for field, value in changed.items():
            setattr(recipient, field, value)
        recipient.full_clean()
        recipient.save(update_fields=list(changed))
    return recipient


def _issue(*, release, kind, recipient, expires_at, user) -> IssuedLink:
    token = new_token()
    link = ShareLink.objects.create(
        release=release,
        kind=kind,
        recipient=recipient,
        recipient_name=recipient.name,
        recipient_outlet=recipient.outlet,
        token_hash=hash_token(token),
        expires_at=expires_at,
        created_by=user,
    )
    action = "share" if kind == Kind.EMBARGO else "review_link"
    send_release_action(release=release, user=user, action=action, note=str(recipient))
    return IssuedLink(link, token)


# -- the actions -----------------------------------------------------------------------


@transaction.atomic
def share_release(
    *,
    release: Release,
    recipients: list[RecipientData | Recipient],
    user,
    expires_at: datetime | None = None,
) -> list[IssuedLink]:
    """One embargo link per recipient, expiring when the embargo lifts or at ``expires_at``.

    Raises ``PermissionDenied`` unless ``user`` is an editor (or None, the shell), and
    ``ValidationError`` for a release that no embargo holds back (``embargo_refusal``),
    an expiry not before the lift or not in the future, or no recipient.
    """
    if not can_share_embargo(user):
        raise PermissionDenied("Only editors may share a release under embargo.")
    if refusal := embargo_refusal(release):
        raise ValidationError(refusal)
    lift = release.embargoed_until
    # No expiry of its own: the link lasts until the embargo lifts, wherever it is moved.
    if expires_at is not None and expires_at >= lift:
        expires_at = None
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError("Pick an expiry in the future.")
    if not recipients:
        raise ValidationError("Name at least one recipient.")
    return [
        _issue(
            release=release,
            kind=Kind.EMBARGO,
            recipient=_recipient(recipient),
            expires_at=expires_at,
            user=user,
        )
        for recipient in recipients
    ]


@transaction.atomic
def make_review_link(
    *,
    release: Release,
    recipient: RecipientData | Recipient,
    user,
    expires_at: datetime | None = None,
) -> IssuedLink:
    """A read-only link to a draft or a release in review, for 7 days or until ``expires_at``.

    Raises ``PermissionDenied`` unless ``user`` may change releases (or is None), and
    ``ValidationError`` for a release that is neither a draft nor in review, or an expiry
    in the past.
    """
    if not can_make_review_link(user):
        raise PermissionDenied("Only staff who may change releases may make review links.")
    if release.status not in (Status.DRAFT, Status.REVIEW):
        raise ValidationError(
            f"Review links are for drafts and releases in review; “{release.headline}” is "
            f"{release.state_label.lower()}."
        )
    expires_at = expires_at or timezone.now() + timedelta(days=REVIEW_LINK_DAYS)
    if expires_at <= timezone.now():
        raise ValidationError("Pick an expiry in the future.")
    return _issue(
        release=release,
        kind=Kind.REVIEW,
        recipient=_recipient(recipient),
        expires_at=expires_at,
        user=user,
    )


@transaction.atomic
def revoke(*, link: ShareLink, user) -> ShareLink:
    """Stop ``link`` now. Revoking a revoked link changes nothing (and sends nothing)."""
    if not can_manage(user, link.kind):
        raise PermissionDenied(f"You may not revoke {link.get_kind_display().lower()}s.")
    if link.revoked_at is not None:
        return link
    link.revoked_at = timezone.now()
    link.revoked_by = user
    link.save(update_fields=["revoked_at", "revoked_by"])
    send_release_action(release=link.release, user=user, action="revoke", note=str(link.recipient))
    return link


@transaction.atomic
def revoke_all(*, release: Release, user) -> list[ShareLink]:
    """Revoke every active link to ``release`` that ``user`` may revoke; returns them.

    An editor revokes both kinds; a writer their review links. Raises
    ``PermissionDenied`` when the user may revoke neither kind.
    """
    kinds = [kind for kind in Kind.values if can_manage(user, kind)]
    if not kinds:
        raise PermissionDenied("You may not revoke links to this release.")
    links = list(
        ShareLink.objects.active()
        .filter(release=release, kind__in=kinds)
        .select_related("recipient", "release")
        .select_for_update(of=("self",))
    )
    return [revoke(link=link, user=user) for link in links]


def record_view(*, link: ShareLink, what: str, user_agent: str = "") -> LinkView:
    """Log one view of ``link``: ``what`` is ``page``, ``pdf``, ``txt``,
    ``attachment: <file name>`` or ``image: <which>``."""
    return LinkView.objects.create(
        link=link, what=what[:WHAT_LENGTH], user_agent=user_agent[:USER_AGENT_LENGTH]
    )


def find_link(token: str) -> ShareLink | None:
    """The link whose token is ``token`` (any kind), with its recipient; one query."""
    return ShareLink.objects.for_token(token).select_related("recipient").first()
