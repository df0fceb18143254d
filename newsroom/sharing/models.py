"""Embargo and review links, their recipients and the log of every view.

A link's secret is a random token (``secrets.token_urlsafe(32)``, 256 bits) of which only
the SHA-256 digest is stored: a copy of the database (a backup, a leak) holds no working
link, and revoking is a row update. Hashing rather than ``django.core.signing``: a signed
value would be valid wherever ``SECRET_KEY`` is known and until it expires, so revocation
would need a row anyway; a random token looked up by its digest needs nothing else. The
price: a link can be shown only when it is made (the admin shows it then, the command
prints it); a lost link is revoked and made again.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from releases.models import Release

# The bytes of randomness in a token; token_urlsafe makes 43 URL-safe characters of 32.
TOKEN_BYTES = 32
# Longer path segments are not a token: refused before any query.
MAX_TOKEN_LENGTH = 64


def hash_token(token: str) -> str:
    """The stored form of ``token``: its SHA-256 digest in hex (64 characters)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Recipient(models.Model):
    """A journalist or reviewer links were shared with; picked again for later releases.

    One row per e-mail address (stored lower-case), so the same person is not listed twice.
    """

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    outlet = models.CharField(
        max_length=200, blank=True, help_text="Publication or organization, e.g. The Daily Example."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        who = f"{self.name} <{self.email}>"
        return f"{who} ({self.outlet})" if self.outlet else who

    @property
    def described(self) -> str:
        """``Jane Roe of The Daily Example`` (or the name alone): how banners name them."""
        return f"{self.name} of {self.outlet}" if self.outlet else self.name


class Kind(models.TextChoices):
    EMBARGO = "embargo", "Embargo link"
    REVIEW = "review", "Review link"


class LinkStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class Delivery(models.TextChoices):
    """Where a link's e-mail is: ``newsroom.sharing.emails``. Empty: none was asked for."""

    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


def active_q(now=None) -> Q:
    """Links not revoked and not past their expiry at ``now`` (default: now). An embargo
    link without an expiry of its own lasts until its release is public (the view then
    leads to the public page), wherever the embargo is moved meanwhile."""
    not_expired = Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now())
    return Q(revoked_at__isnull=True) & not_expired


class ShareLinkQuerySet(models.QuerySet):
    def active(self, now=None) -> ShareLinkQuerySet:
        return self.filter(active_q(now))

    def for_token(self, token: str) -> ShareLinkQuerySet:
        return self.filter(token_hash=hash_token(token))


class ShareLink(models.Model):
    """One personal link to one release, for one recipient.

    It opens exactly ``release`` (its page, downloads and files), nothing else, until
    ``expires_at`` or ``revoked_at``. An embargo link's ``expires_at`` is empty unless an
    earlier expiry was chosen: it then lasts until the embargo lifts, even when the
    embargo is moved later (``stops_at``); afterwards it leads to the public page.
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="share_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="links")
    # The name and outlet the link was made for, kept with it: a later link to the same
    # address under another name (typed by anyone who may make links) must not relabel
    # this one, its banner or its log.
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_outlet = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty for an embargo link that lasts until the embargo lifts.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when made from the shell (manage.py share_release).",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The e-mail carrying the link (newsroom.sharing.emails): queued, sent, or failed for
    # good (a permanent SMTP answer, a misconfigured backend, retries exhausted), with the
    # error (no token in it) and when that was known.
    delivery_status = models.CharField(
        "e-mail", max_length=10, choices=Delivery.choices, blank=True, editable=False
    )
    delivery_error = models.CharField("e-mail error", max_length=500, blank=True, editable=False)
    delivery_at = models.DateTimeField("e-mail status at", null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["release", "-created_at"], name="sharing_link_release")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.shared_with.described}"

    @property
    def shared_with(self) -> Recipient:
        """The recipient as named when the link was made (an unsaved ``Recipient``, for its
        ``described``); reads ``recipient`` for the e-mail address unless loaded."""
        return Recipient(
            name=self.recipient_name or self.recipient.name,
            outlet=self.recipient_outlet if self.recipient_name else self.recipient.outlet,
            email=self.recipient.email,
        )

    @property
    def stops_at(self):
        """When the link stops working: its own expiry, else its release's embargo lift
        (None if the release no longer has one). Reads ``release`` unless loaded."""
        return self.expires_at or self.release.embargoed_until

    def status(self, now=None) -> LinkStatus:
        if self.revoked_at is not None:
            return LinkStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return LinkStatus.EXPIRED
        return LinkStatus.ACTIVE

    @property
    def is_active(self) -> bool:
        return self.status() == LinkStatus.ACTIVE


def link_path(kind: str, token: str, name: str = "page", **kwargs) -> str:
    """The site path of a link's page (``name="page"``) or of one of its downloads
    (``"pdf"``, ``"text"``, ``"attachment"`` with ``attachment_id``, ``"image"`` with
    ``which``): ``/embargo/<token>/…`` or ``/review/<token>/…``."""
    return reverse(f"sharing:{kind}_{name}", kwargs={"token": token, **kwargs})


class LinkView(models.Model):
    """One view of a link: when, what (``page``, ``pdf``, ``txt``, ``attachment: <name>``,
    ``image: featured``…) and the browser's User-Agent (truncated). No IP address: the
    recipient is known by the link itself, and an address is personal data the editor
    does not need."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)
    what = models.CharField(max_length=255)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.what} at {self.viewed_at:%Y-%m-%d %H:%M:%S}"
