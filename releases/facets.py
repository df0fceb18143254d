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

The whole archive's facets (the home page, the unfiltered list, the tag index: the
biggest count, ~400 ms at 100,000 releases) and those of the lists of one tag,
organization, author or year are not recounted in full per version. They are kept per
block of ``BLOCK_IDS`` release ids (``FacetBlocks``), and a new version recounts only the
blocks of the releases whose rows were written or that went public since the blocks
were counted (``block_facets``): after a publication or an edit, one block (~20 ms for
the whole archive), by the request that asks first, which then shows current counts.
The releases written are read from the data version log (``DataVersion.row_release_id``)
and from their ``updated_at``; a write that names no release (a link, a tag, a person, a
delete, a bulk update) has every block recounted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
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
from django.db.models import CharField, IntegerField, Q
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from releases.freshness import etag_for
from releases.models import (
    Author,
    DataVersion,
    Organization,
    Release,
    ReleaseOrganization,
    Status,
)

# Keys change with every write, so old entries are dead weight: let them expire.
FACETS_TIMEOUT = 60 * 60
# How long a claim to compute a version's facets lasts, and how long a request with no
# previous facets to show waits for the claimant's before computing them itself (s).
CLAIM_SECONDS = 10
WAIT_SECONDS = 2.0
WAIT_STEP = 0.02
# The whole archive's counts are kept per block of this many consecutive release ids: a
# release's id never changes, so a write tells which block to recount.
BLOCK_IDS = 4096
# Blocks are recounted for writes and publications from this long before they were
# counted: a transaction that wrote a release before the count and committed after it,
# or a server whose clock is behind, is not missed (s).
BLOCK_MARGIN = dt.timedelta(seconds=120)
# Every block is recounted when the last full count is this old, whatever changed: a
# change the rules above miss (a transaction open longer than the margin) shows in the
# counts within this time at most.
BLOCK_FULL_AGE = dt.timedelta(hours=1)
# Recounting more blocks than this share of them is done as one full count.
BLOCK_SHARE = 0.5
# A request recounts this many blocks itself at most (the rest: in the background).
INLINE_BLOCKS = 2
BLOCKS_KEY = "facets:blocks"
# The shape of ``FacetBlocks``: a deploy that changes it changes this.
BLOCKS_FORMAT = 2
# The filters key of the whole archive (no filters).
WHOLE_ARCHIVE = etag_for([])

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
    # When they were counted (``cached_facets`` sets it): counts from before a release
    # left public view are never shown as stale ones (they may name it).
    counted_at: dt.datetime | None = field(default=None, compare=False)

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
        return tuple(sorted(found, key=lambda item: (-item.count, item.label.casefold(), item.key)))

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


# -- kept per block of ids: the whole archive and single-filter lists --------------------


@dataclass(frozen=True)
class FacetBlocks:
    """A list's facet counts at ``counted_at``, per block of release ids.

    ``counts``: block number (id // ``BLOCK_IDS``) -> {(kind, key): count}, kind "tag",
    "organization" or "author" with the row's id as key, or "month" with
    year * 100 + month. ``labels``: (kind, id) -> (slug, name) of every counted row, and
    ``tag_names`` the names of the tags asked for (a rename is a write no release's
    timestamp shows: every block is then recounted, names with them).
    """

    counted_at: dt.datetime
    counts: dict[int, dict[tuple[str, int], int]]
    labels: dict[tuple[str, int], tuple[str, str]]
    # When every block was last counted.
    full_count_at: dt.datetime
    tag_names: dict[str, str] = field(default_factory=dict)


def keeps_blocks(filters: Iterable[tuple[str, str]]) -> bool:
    """Whether the facets of the list filtered by ``filters`` are kept per block: the
    whole archive and the lists of one tag, organization, author or year (a bounded
    number of them: the pages of tags, organizations and authors and their like).
    Searches and combinations are counted per version."""
    filters = list(filters)
    return not filters or (
        len(filters) == 1 and filters[0][0] in ("tag", "organization", "author", "year")
    )


def count_blocks(
    queryset, now: dt.datetime, blocks: Iterable[int] | None = None, selected_tags=()
) -> FacetBlocks:
    """The facet counts of ``queryset`` (a filtered ``Release.objects.published()``)
    per block of ids, as of ``now``: one query.

    ``blocks``: only these blocks (every one when None). The statement is
    ``compute_facets``'s, grouped by block as well, with the names joined to the
    counted rows."""
    if blocks is not None:
        ranges = Q()
        for block in blocks:
            ranges |= Q(pk__gte=block * BLOCK_IDS, pk__lt=(block + 1) * BLOCK_IDS)
        queryset = queryset.filter(ranges)
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    month_key = Cast(
        ExtractYear("published_at") * 100 + ExtractMonth("published_at"),
        output_field=IntegerField(),
    )
    rows = queryset.order_by().values("pk", "author_id", month=month_key)
    filtered_sql, filtered_params = rows.query.sql_with_params()
    tagged, tag = TaggedItem._meta.db_table, Tag._meta.db_table
    linked = ReleaseOrganization._meta.db_table
    organization, author = Organization._meta.db_table, Author._meta.db_table
    size = int(BLOCK_IDS)

    def block_of(column: str) -> str:
        # Floor division, as Python's // (SQL's / truncates toward zero): an id below
        # zero (an importer may keep one) is in the block Python names it by.
        # (%% is the modulo operator: the statement has parameters.)
        return f"(({column}) - ((({column}) %% {size}) + {size}) %% {size}) / {size}"

    # Table names come from the models, the block size is an int; every value is a
    # parameter.
    sql = (
        f"WITH filtered (id, author_id, month) AS ({filtered_sql}) "  # noqa: S608
        f"SELECT c.block, 'tag', c.tag_id, t.slug, t.name, c.n FROM (SELECT "
        f"{block_of('f.id')} AS block, i.tag_id, COUNT(*) AS n FROM {quote(tagged)} i "
        f"INNER JOIN filtered f ON f.id = i.object_id WHERE i.content_type_id = %s "
        f"GROUP BY {block_of('f.id')}, i.tag_id) c INNER JOIN {quote(tag)} t "
        "ON t.id = c.tag_id "
        "UNION ALL "
        f"SELECT c.block, 'organization', c.organization_id, o.slug, o.name, c.n FROM "
        f"(SELECT {block_of('f.id')} AS block, l.organization_id, COUNT(*) AS n FROM "
        f"{quote(linked)} l INNER JOIN filtered f ON f.id = l.release_id "
        f"GROUP BY {block_of('f.id')}, l.organization_id) c "
        f"INNER JOIN {quote(organization)} o ON o.id = c.organization_id "
        "UNION ALL "
        f"SELECT c.block, 'author', c.author_id, a.slug, a.name, c.n FROM (SELECT "
        f"{block_of('id')} AS block, author_id, COUNT(*) AS n FROM filtered WHERE "
        f"author_id IS NOT NULL GROUP BY {block_of('id')}, author_id) c "
        f"INNER JOIN {quote(author)} a ON a.id = c.author_id "
        "UNION ALL "
        f"SELECT {block_of('id')}, 'month', month, '', '', COUNT(*) FROM filtered "
        f"GROUP BY {block_of('id')}, month"
    )
    params = [*filtered_params, ContentType.objects.get_for_model(Release).pk]
    selected_tags = list(selected_tags) if blocks is None else []
    if selected_tags:
        marks = ", ".join(["%s"] * len(selected_tags))
        sql += (
            f" UNION ALL SELECT -1, 'selected', id, slug, name, 0 FROM {quote(tag)} "  # noqa: S608
            f"WHERE slug IN ({marks})"
        )
        params += selected_tags
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    counts: dict[int, dict[tuple[str, int], int]] = {block: {} for block in blocks or ()}
    labels: dict[tuple[str, int], tuple[str, str]] = {}
    tag_names: dict[str, str] = {}
    for block, kind, key, slug, name, n in found:
        if kind == "selected":
            tag_names[slug] = name
            continue
        counts.setdefault(int(block), {})[kind, int(key)] = n
        if kind != "month":
            labels[kind, int(key)] = (slug, name)
    return FacetBlocks(now, counts, labels, full_count_at=now, tag_names=tag_names)


def blocks_to_recount(since: dt.datetime, now: dt.datetime) -> set[int] | None:
    """The blocks whose releases may have changed in (``since``, ``now``]: those of the
    releases whose row was saved (the data version log names them, and their
    ``updated_at`` shows most) or that went public (publication or embargo lift) in that
    span. None when a write that names no release happened (``DataVersion``: neither
    ``row_release_id`` nor ``release_id``): every block must be recounted. Three
    queries, on indexes (the log keeps every entry of the last ``KEEP_SECONDS``)."""
    log = DataVersion.objects.filter(changed_at__gt=since)
    if log.filter(row_release_id__isnull=True, release_id__isnull=True).exists():
        return None
    saved = log.filter(row_release_id__isnull=False).values_list("row_release_id", flat=True)
    published = Q(status=Status.PUBLISHED)
    changed = (
        Q(updated_at__gt=since)
        | published & Q(published_at__gt=since, published_at__lte=now)
        | published & Q(embargoed_until__gt=since, embargoed_until__lte=now)
    )
    ids = {*saved, *Release.objects.filter(changed).values_list("pk", flat=True)}
    return {pk // BLOCK_IDS for pk in ids}


def blocks_key(filters: Iterable[tuple[str, str]]) -> str:
    """Where the blocks of the list filtered by ``filters`` are kept: a key naming the
    block size, the time zone of the month keys and the format, so that blocks counted
    otherwise (before a deploy that changed one) are never merged with these."""
    counted = f"{BLOCKS_KEY}:{BLOCKS_FORMAT}:{BLOCK_IDS}:{etag_for(settings.TIME_ZONE)}"
    return f"{counted}:{etag_for(sorted(filters))}"


def recount_plan(key: str, now: dt.datetime) -> tuple[FacetBlocks | None, set[int] | None]:
    """The blocks kept under ``key`` and the blocks to recount since they were counted,
    less ``BLOCK_MARGIN``; (None, None) or (kept, None) when every block must be: none
    kept, a recounting rule does not hold, most blocks changed, or the last full count
    is ``BLOCK_FULL_AGE`` old. No query when nothing is kept, two otherwise."""
    kept = cache.get(key)
    if not (
        isinstance(kept, FacetBlocks)
        and kept.counted_at <= now
        and now - kept.full_count_at < BLOCK_FULL_AGE
    ):
        return None, None
    recount = blocks_to_recount(kept.counted_at - BLOCK_MARGIN, now)
    if recount is not None and len(recount) > max(INLINE_BLOCKS, BLOCK_SHARE * len(kept.counts)):
        recount = None
    return kept, recount


def block_facets(
    queryset,
    key: str,
    *,
    selected_tags=(),
    now: dt.datetime | None = None,
    plan: tuple[FacetBlocks | None, set[int] | None] | None = None,
) -> Facets:
    """The facets of ``queryset`` (filtered so that its blocks are kept under ``key``,
    ``blocks_key``), recounting only what changed since they were counted
    (``recount_plan``, or ``plan`` when the caller has it), and keeping the result for
    the next version. After a publication or an edit: two queries plus one that
    recounts one block (~20 ms for the whole of 100,000 releases, a few ms for a tag's);
    one query when nothing is kept."""
    now = now or timezone.now()
    kept, recount = plan if plan is not None else recount_plan(key, now)
    if kept is None or recount is None:
        blocks = count_blocks(queryset, now, selected_tags=selected_tags)
    elif not recount:
        blocks = dataclasses.replace(kept, counted_at=now)
    else:
        fresh = count_blocks(queryset, now, sorted(recount))
        counts = {b: c for b, c in kept.counts.items() if b not in recount} | fresh.counts
        blocks = dataclasses.replace(
            kept, counted_at=now, counts=counts, labels=kept.labels | fresh.labels
        )
    cache.set(key, blocks, FACETS_TIMEOUT)
    return facets_of_blocks(blocks)


def archive_facets(now: dt.datetime | None = None) -> Facets:
    """The facets of every release public at ``now`` (``block_facets`` of the whole
    archive)."""
    now = now or timezone.now()
    return block_facets(Release.objects.published(now), blocks_key([]), now=now)


def facets_of_blocks(blocks: FacetBlocks) -> Facets:
    """The blocks' counts summed into ``Facets`` (ordered as ``compute_facets``'s)."""
    totals: dict[tuple[str, int], int] = {}
    for counts in blocks.counts.values():
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n

    def items(wanted):
        found = []
        for (kind, key), n in totals.items():
            if kind == wanted and n:
                slug, name = blocks.labels[kind, key]
                if slug:  # an empty slug: nothing can link to it
                    found.append(FacetItem(slug, name, n))
        return tuple(sorted(found, key=lambda item: (-item.count, item.label.casefold(), item.key)))

    months = sorted(
        ((key // 100, key % 100, n) for (kind, key), n in totals.items() if kind == "month" and n),
        reverse=True,
    )
    return Facets(
        total=sum(n for _, _, n in months),
        tags=items("tag"),
        organizations=items("organization"),
        authors=items("author"),
        months=tuple(months),
        tag_names=dict(blocks.tag_names),
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
    When the list's counts are kept per block (``keeps_blocks``: the whole archive, one
    tag, organization, author or year) and at most ``INLINE_BLOCKS`` are to be recounted
    (a publication, an edit), the claimant recounts them and gets this version's counts
    at once (a few to ~20 ms). Otherwise, when the facets of the same filters at an
    earlier version are kept (the "last" key), every request gets them at once, marked
    ``stale``, the claimant too, which computes the new ones in a background thread. With
    ``NEWSROOM_FACETS_IN_BACKGROUND`` False (the tests: their database is not visible
    from another thread) the claimant computes them inline and gets them; only the
    requests arriving meanwhile get the stale ones. With no earlier facets, the others
    wait up to ``WAIT_SECONDS`` for the claimant's before computing them too. No
    stampede of identical scans after a publication, and in production no reader waits
    for one. Except after a release left public view (``taken_down_since``): the earlier
    counts may name it, so they are not shown and every reader waits as with none.
    """
    filters, selected_tags = sorted(filters), list(selected_tags)
    filters_key = etag_for(filters)
    key = f"facets:{etag_for(version.isoformat(), filters_key)}"
    last_key = f"facets:last:{filters_key}"
    facets = cache.get(key)
    if facets is not None:
        return facets
    state = blocks_key(filters) if keeps_blocks(filters) else None
    if state is not None:
        compute = functools.partial(block_facets, queryset, state, selected_tags=selected_tags)
    else:
        compute = functools.partial(compute_facets, queryset, selected_tags=selected_tags)
    claim = f"{key}:claim"
    claimed = cache.add(claim, 1, CLAIM_SECONDS)
    if claimed and state is not None:
        # Blocks are kept: when only some are to be recounted (a publication, an edit),
        # the claimant recounts them at once and shows this version's counts.
        now = timezone.now()
        plan = recount_plan(state, now)
        if plan[1] is not None and len(plan[1]) <= INLINE_BLOCKS:
            recount = functools.partial(compute, now=now, plan=plan)
            return _compute(recount, key, last_key, claim)
    last = cache.get(last_key)
    if (
        last is not None
        and (not claimed or _in_background())
        # Counts from before a release left public view may name it (its tags, its
        # organizations, its author): never shown, even for a moment.
        and not taken_down_since(last)
    ):
        if claimed:
            _refresh_in_background(compute, key, last_key, claim)
        return dataclasses.replace(last, stale=True)
    if not claimed:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            if (facets := cache.get(key)) is not None:
                return facets
    return _compute(compute, key, last_key, claim)


def public_total(version: dt.datetime) -> int:
    """How many releases are public at ``version`` (``public_last_modified()``): exact,
    counted once per version and shared by every reader of it (the API's unfiltered
    count, the release sitemap's pages).

    No query when the facets of the whole public list are cached for this version
    (their ``total``) or when this version was counted already; otherwise one
    ``COUNT(*)``, an index-only scan of ``release_public_newest_idx`` on PostgreSQL
    (~10 ms at 100,000 releases; the table scan it replaces took ~50-100 ms).
    """
    facets = cache.get(f"facets:{etag_for(version.isoformat(), WHOLE_ARCHIVE)}")
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


def taken_down_since(facets: Facets) -> bool:
    """Whether a release may have left public view since ``facets`` were counted (a
    ``DataVersion.takedown`` entry since then, less ``BLOCK_MARGIN`` for a transaction
    that committed after the count); True when that time is unknown. One query."""
    if facets.counted_at is None:
        return True
    since = facets.counted_at - BLOCK_MARGIN
    return DataVersion.objects.filter(takedown=True, changed_at__gt=since).exists()


def _compute(compute, key: str, last_key: str, claim: str) -> Facets:
    """``compute()`` and store the facets as ``key`` (and as the last ones), stamped
    with when they were counted; release ``claim``."""
    try:
        started = timezone.now()
        facets = dataclasses.replace(compute(), counted_at=started)
        cache.set_many({key: facets, last_key: facets}, FACETS_TIMEOUT)
    finally:
        cache.delete(claim)
    return facets


def _refresh_in_background(compute, key, last_key, claim) -> None:
    """``_compute`` in a daemon thread, with its own database connections (closed after)."""

    def run():
        try:
            _compute(compute, key, last_key, claim)
        except Exception:
            # The readers keep the earlier counts; once the claim is released (or has
            # expired) the next request tries again.
            logger.exception("facets: computing them in the background failed")
        finally:
            connections.close_all()  # this thread's connections, never reused

    threading.Thread(target=run, name="newsroom-facets", daemon=True).start()
