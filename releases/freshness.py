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


def _latest(queryset, field: str) -> Subquery:
    """The greatest ``field`` of ``queryset``, read from the top of an index."""
    return Subquery(
        queryset.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1]
    )


def public_last_modified(now: dt.datetime | None = None) -> dt.datetime:
    """One query, of index look-ups only (no table scan at 100,000 releases).

    Never in the future; the epoch when there is nothing yet. A public release became
    public at the later of its publication time and its embargo, so the latest such
    moment is the later of the two maxima over the public set.
    """
    now = now or timezone.now()
    public = Release.objects.filter(published_q(now))
    stamps = {
        "written": Max(_latest(Release.objects.all(), "updated_at")),
        "went_live": Max(_latest(public, "published_at")),
        "embargo_lifted": Max(_latest(public, "embargoed_until")),
        "organization_written": Max("updated_at"),
    }
    # The sub-selects ride on the small organization table; an empty one yields no row.
    values = Organization.objects.aggregate(**stamps)
    if values["organization_written"] is None:
        values = Release.objects.aggregate(
            written=Max("updated_at"),
            went_live=Max(
                Greatest("published_at", Coalesce("embargoed_until", "published_at")),
                filter=published_q(now),
            ),
        )
    candidates = [v for v in values.values() if v is not None]
    latest = max(candidates) if candidates else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return min(latest, now)


def etag_for(*parts: object) -> str:
    return hashlib.sha1(  # noqa: S324 - a fingerprint, not a security boundary
        "|".join(str(p) for p in parts).encode()
    ).hexdigest()[:20]
