"""When the public data last changed: the basis of ETag / Last-Modified and cache keys.

The public set changes when a release is saved, and also when time passes a
scheduled publication or an embargo — with no write at all. So the version is the
latest of: the last write to any release, organization or author, and the latest
moment a currently public release *became* public.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Max, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from releases.models import Organization, Release, published_q


def public_last_modified(now: dt.datetime | None = None) -> dt.datetime:
    """One query. Never in the future; the epoch when there is nothing yet."""
    now = now or timezone.now()
    became_public = Greatest("published_at", Coalesce("embargoed_until", "published_at"))
    latest_organization = Organization.objects.order_by("-updated_at").values("updated_at")[:1]
    stamps = Release.objects.aggregate(
        written=Max("updated_at"),
        went_live=Max(became_public, filter=published_q(now)),
        organization_written=Max(Subquery(latest_organization)),
    )
    candidates = [v for v in stamps.values() if v is not None]
    latest = max(candidates) if candidates else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return min(latest, now)


def etag_for(*parts: object) -> str:
    return hashlib.sha1(  # noqa: S324 - a fingerprint, not a security boundary
        "|".join(str(p) for p in parts).encode()
    ).hexdigest()[:20]
