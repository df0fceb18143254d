"""Facet counts of a public list: tags, organizations, authors, years and months.

Every count is taken over the *filtered* public queryset, so each facet says how many
of the results it would keep. All of them come from one SQL statement (a UNION ALL of
small GROUP BYs), and the result is cached under the public data's version plus the
normalized filters: a warm page runs no facet query at all, and any write or any
release going live changes the version, so a stale count is never served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import CharField, Count, F, IntegerField, Value
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from taggit.models import Tag, TaggedItem

from releases.freshness import etag_for
from releases.models import Release, ReleaseOrganization

# Keys change with every write, so old entries are dead weight: let them expire.
FACETS_TIMEOUT = 60 * 60


@dataclass(frozen=True)
class FacetItem:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    """What the filtered public list contains; ``total`` is the number of results."""

    total: int = 0
    tags: tuple[FacetItem, ...] = ()
    organizations: tuple[FacetItem, ...] = ()
    authors: tuple[FacetItem, ...] = ()
    # (year, month, count), newest first.
    months: tuple[tuple[int, int, int], ...] = ()
    # Names of the tags asked for, found even when no release carries all of them.
    tag_names: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[tuple[int, int]]:
        """(year, count), newest first."""
        return [
            (year, sum(count for _, _, count in rows))
            for year, rows in groupby(self.months, key=lambda row: row[0])
        ]

    def months_of(self, year: int) -> list[tuple[int, int]]:
        """(month, count) of ``year``, newest first."""
        return [(month, count) for y, month, count in self.months if y == year]


def _part(queryset, kind: str, key, label, count):
    return (
        queryset.order_by()
        .values(
            kind=Value(kind, output_field=CharField()),
            key=key,
            label=label,
        )
        .annotate(n=count)
    )


def compute_facets(queryset, *, selected_tags: Iterable[str] = ()) -> Facets:
    """The facets of ``queryset`` (a filtered ``Release.objects.published()``): one query.

    Reads the content type from Django's per-process cache (a query only the first time
    a process asks).
    """
    ids = queryset.order_by().values("pk")
    content_type = ContentType.objects.get_for_model(Release)
    # year * 100 + month in the site's time zone: the same boundaries the year/month
    # filters use.
    month_key = Cast(
        ExtractYear("published_at") * 100 + ExtractMonth("published_at"),
        output_field=CharField(),
    )
    parts = [
        _part(
            TaggedItem.objects.filter(content_type=content_type, object_id__in=ids),
            "tag",
            F("tag__slug"),
            F("tag__name"),
            Count("pk"),
        ),
        _part(
            ReleaseOrganization.objects.filter(release__in=ids),
            "organization",
            F("organization__slug"),
            F("organization__name"),
            Count("pk"),
        ),
        _part(
            Release.objects.filter(pk__in=ids, author__isnull=False),
            "author",
            F("author__slug"),
            F("author__name"),
            Count("pk"),
        ),
        _part(
            Release.objects.filter(pk__in=ids),
            "month",
            month_key,
            Value("", output_field=CharField()),
            Count("pk"),
        ),
    ]
    selected_tags = list(selected_tags)
    if selected_tags:
        parts.append(
            _part(
                Tag.objects.filter(slug__in=selected_tags),
                "selected",
                F("slug"),
                F("name"),
                Value(0, output_field=IntegerField()),
            )
        )
    rows = list(parts[0].union(*parts[1:], all=True))

    def items(kind):
        # A tag whose name has nothing to slugify has an empty slug: nothing can link to it.
        found = [
            FacetItem(r["key"], r["label"], r["n"]) for r in rows if r["kind"] == kind and r["key"]
        ]
        return tuple(sorted(found, key=lambda item: (-item.count, item.label.casefold())))

    months = sorted(
        ((int(r["key"]) // 100, int(r["key"]) % 100, r["n"]) for r in rows if r["kind"] == "month"),
        reverse=True,
    )
    return Facets(
        total=sum(count for _, _, count in months),
        tags=items("tag"),
        organizations=items("organization"),
        authors=items("author"),
        months=tuple(months),
        tag_names={r["key"]: r["label"] for r in rows if r["kind"] == "selected"},
    )


def cached_facets(
    queryset,
    *,
    version: dt.datetime,
    filters: Iterable[tuple[str, str]] = (),
    selected_tags: Iterable[str] = (),
) -> Facets:
    """``compute_facets`` behind the cache.

    ``version`` is ``public_last_modified()``; ``filters`` the normalized filter pairs
    that produced ``queryset`` (the same filters always give the same queryset).
    """
    filters = sorted(filters)
    key = "facets:" + etag_for(version.isoformat(), filters)
    facets = cache.get(key)
    if facets is None:
        facets = compute_facets(queryset, selected_tags=selected_tags)
        cache.set(key, facets, FACETS_TIMEOUT)
    return facets
