"""Facet counts of a public list: tags, organizations, authors, years and months.

Every count is taken over the *filtered* public queryset, so each facet says how many
of the results it would keep. All of them come from one SQL statement (a UNION ALL of
small GROUP BYs over the filtered rows read once), and the result is cached under the
public data's version plus the normalized filters: a warm page runs no facet query at
all, and any write or any release going live changes the version. Right after a change
the previous version's facets of the same filters are shown at once while one request
computes the new ones in a background thread (``cached_facets``): counts may lag a change
by the time one computation takes (under a second at 100,000 releases); the list of
releases itself is never stale. A page showing such counts says so (``Facets.stale``)
and the page cache does not keep it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from taggit.models import Tag, TaggedItem

from releases.freshness import etag_for
from releases.models import Author, Organization, Release, ReleaseOrganization

# Keys change with every write, so old entries are dead weight: let them expire.
FACETS_TIMEOUT = 60 * 60
# How long a claim to compute a version's facets lasts, and how long a request with no
# previous facets to show waits for the claimant's before computing them itself (s).
CLAIM_SECONDS = 10
WAIT_SECONDS = 2.0
WAIT_STEP = 0.02

logger = logging.getLogger(__name__)


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
    # The counts of an earlier version of the data, shown while the new ones are
    # computed: a page showing them must not be kept as the page of the new version.
    stale: bool = False

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


def compute_facets(queryset, *, selected_tags: Iterable[str] = ()) -> Facets:
    """The facets of ``queryset`` (a filtered ``Release.objects.published()``): one query.

    The filtered releases are read once, as a common table expression of their id,
    author and month; the tag and organization counts are taken on the link tables
    joined to it and grouped by the tag's or organization's id, whose names are joined
    to the few counted rows afterwards. (The statement this replaces read the release
    table once per facet: four scans of the table for the whole list.) On PostgreSQL
    the CTE, referenced several times, is computed once; for the whole public list it
    is an index-only scan when the public rows have a covering index.

    Reads the content type from Django's per-process cache (a query only the first time
    a process asks).
    """
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    # year * 100 + month in the site's time zone: the same boundaries the year/month
    # filters use.
    month_key = Cast(
        ExtractYear("published_at") * 100 + ExtractMonth("published_at"),
        output_field=CharField(),
    )
    rows = queryset.order_by().values("pk", "author_id", month=month_key)
    filtered_sql, filtered_params = rows.query.sql_with_params()
    tagged, tag = TaggedItem._meta.db_table, Tag._meta.db_table
    linked = ReleaseOrganization._meta.db_table
    organization, author = Organization._meta.db_table, Author._meta.db_table
    # Table names come from the models; every value is a parameter.
    sql = (
        f"WITH filtered (id, author_id, month) AS ({filtered_sql}) "  # noqa: S608
        f"SELECT 'tag', t.slug, t.name, c.n FROM (SELECT i.tag_id, COUNT(*) AS n "
        f"FROM {quote(tagged)} i INNER JOIN filtered f ON f.id = i.object_id "
        "WHERE i.content_type_id = %s GROUP BY i.tag_id) c "
        f"INNER JOIN {quote(tag)} t ON t.id = c.tag_id "
        "UNION ALL "
        "SELECT 'organization', o.slug, o.name, c.n FROM (SELECT l.organization_id, "
        f"COUNT(*) AS n FROM {quote(linked)} l INNER JOIN filtered f ON f.id = l.release_id "
        "GROUP BY l.organization_id) c "
        f"INNER JOIN {quote(organization)} o ON o.id = c.organization_id "
        "UNION ALL "
        "SELECT 'author', a.slug, a.name, c.n FROM (SELECT author_id, COUNT(*) AS n "
        "FROM filtered WHERE author_id IS NOT NULL GROUP BY author_id) c "
        f"INNER JOIN {quote(author)} a ON a.id = c.author_id "
        "UNION ALL "
        "SELECT 'month', month, '', COUNT(*) FROM filtered GROUP BY month"
    )
    params = [*filtered_params, ContentType.objects.get_for_model(Release).pk]
    selected_tags = list(selected_tags)
    if selected_tags:
        marks = ", ".join(["%s"] * len(selected_tags))
        sql += (
            f" UNION ALL SELECT 'selected', slug, name, 0 FROM {quote(tag)} "  # noqa: S608
            f"WHERE slug IN ({marks})"
        )
        params += selected_tags
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    def items(wanted):
        # A tag whose name has nothing to slugify has an empty slug: nothing can link to it.
        found = [FacetItem(key, label, n) for kind, key, label, n in rows if kind == wanted and key]
        return tuple(sorted(found, key=lambda item: (-item.count, item.label.casefold())))

    months = sorted(
        ((int(key) // 100, int(key) % 100, n) for kind, key, _, n in rows if kind == "month"),
        reverse=True,
    )
    return Facets(
        total=sum(count for _, _, count in months),
        tags=items("tag"),
        organizations=items("organization"),
        authors=items("author"),
        months=tuple(months),
        tag_names={key: label for kind, key, label, _ in rows if kind == "selected"},
    )


def cached_facets(
    queryset,
    *,
    version: dt.datetime,
    filters: Iterable[tuple[str, str]] = (),
    selected_tags: Iterable[str] = (),
) -> Facets:
    """``compute_facets`` behind the cache, computed once per version by one request.

    ``version`` is ``public_last_modified()``; ``filters`` the normalized filter pairs
    that produced ``queryset`` (the same filters always give the same queryset).

    After a change, the first request to miss claims the computation (``cache.add``:
    atomic in Redis across processes, and within a process in the per-process cache).
    When the facets of the same filters at an earlier version are kept (the "last"
    key), every request gets them at once, marked ``stale``, the claimant too, which
    computes the new ones in a background thread. With ``NEWSROOM_FACETS_IN_BACKGROUND``
    False (the tests: their database is not visible from another thread) the claimant
    computes them inline and gets them; only the requests arriving meanwhile get the
    stale ones. With no earlier facets, the others wait up to ``WAIT_SECONDS`` for the
    claimant's before computing them too. No stampede of identical scans after a
    publication, and in production no reader waits for one.
    """
    filters_key = etag_for(sorted(filters))
    key = f"facets:{etag_for(version.isoformat(), filters_key)}"
    last_key = f"facets:last:{filters_key}"
    facets = cache.get(key)
    if facets is not None:
        return facets
    claim = f"{key}:claim"
    claimed = cache.add(claim, 1, CLAIM_SECONDS)
    last = cache.get(last_key)
    if last is not None and (not claimed or _in_background()):
        if claimed:
            _refresh_in_background(queryset, key, last_key, claim, list(selected_tags))
        return dataclasses.replace(last, stale=True)
    if not claimed:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            if (facets := cache.get(key)) is not None:
                return facets
    return _compute(queryset, key, last_key, claim, selected_tags)


def public_total(version: dt.datetime) -> int:
    """How many releases are public at ``version`` (``public_last_modified()``): exact,
    counted once per version and shared by every reader of it (the API's unfiltered
    count, the release sitemap's pages).

    No query when the facets of the whole public list are cached for this version
    (their ``total``) or when this version was counted already; otherwise one
    ``COUNT(*)``, an index-only scan of ``release_public_newest_idx`` on PostgreSQL
    (~10 ms at 100,000 releases; the table scan it replaces took ~50-100 ms).
    """
    filters_key = etag_for(sorted([]))
    facets = cache.get(f"facets:{etag_for(version.isoformat(), filters_key)}")
    if facets is not None:
        return facets.total
    key = f"public-total:{version.isoformat()}"
    total = cache.get(key)
    if total is None:
        # Public *at the version's instant*: the same set as now, since anything that went
        # live or was written since would have moved the version (releases.freshness).
        total = Release.objects.published(version).count()
        cache.set(key, total, FACETS_TIMEOUT)
    return total


def _in_background() -> bool:
    return settings.NEWSROOM_FACETS_IN_BACKGROUND


def _compute(queryset, key: str, last_key: str, claim: str, selected_tags) -> Facets:
    """Compute and store the facets of ``key`` (and as the last ones), release ``claim``."""
    try:
        facets = compute_facets(queryset, selected_tags=selected_tags)
        cache.set_many({key: facets, last_key: facets}, FACETS_TIMEOUT)
    finally:
        cache.delete(claim)
    return facets


def _refresh_in_background(queryset, key, last_key, claim, selected_tags) -> None:
    """``_compute`` in a daemon thread, with its own database connection (closed after)."""

    def run():
        try:
            _compute(queryset, key, last_key, claim, selected_tags)
        except Exception:
            # The readers keep the earlier counts; once the claim is released (or has
            # expired) the next request tries again.
            logger.exception("facets: computing them in the background failed")
        finally:
            connections[queryset.db].close()  # this thread's connection, never reused

    threading.Thread(target=run, name="newsroom-facets", daemon=True).start()
