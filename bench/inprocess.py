"""Measurements taken inside one Django process, against one benchmark database.

    .venv/bin/python bench/inprocess.py targets  [--database-url URL]
    .venv/bin/python bench/inprocess.py measure  [--database-url URL] [--search] [--admin]

``targets`` prints (JSON) the subjects of the pages measured and their URLs (``urls``),
which the load runs use too. ``measure`` prints (JSON), per page: SQL queries with
empty caches and warm, latency warm (p50 of ``LATENCY_REQUESTS``) and with empty caches
(p50 of ``COLD_REQUESTS``); the queries of a page cache hit; the full-text search
latency over ``SEARCH_QUERIES``; the admin changelist. Requests go through Django's
test client (the whole middleware stack, no network), with the production settings
``bench.common.django_env`` gives, and **with the page cache off**: these are the costs
of rendering a page, which the first reader after a change pays (the load runs measure
what the page cache makes of them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DATABASE_URL, percentile, setup_django

# ~50 queries a newsroom's readers type: single words common and rare, phrases, OR,
# exclusions, names, and a few that match nothing.
SEARCH_QUERIES = [
    "vaccine",
    "vaccination",
    "malaria",
    "climate",
    "solar",
    "emissions",
    "broadband",
    "cybersecurity",
    "inflation",
    "pension",
    "scholarship",
    "railway",
    "harvest",
    "museum",
    "telescope",
    "refugees",
    "government",
    "announced",
    "international partnership",
    "clinical trial",
    '"clinical trials"',
    '"renewable energy"',
    '"interest rates"',
    '"open source"',
    '"supply chains"',
    "malaria OR tuberculosis",
    "solar OR wind",
    "museum OR gallery OR theatre",
    "vaccine -malaria",
    "climate -carbon",
    "refugees -conflict",
    "Northwind",
    "WVP",
    "Global Climate Alliance",
    "Relief Without Borders",
    "health in Africa",
    "climate change Asia",
    "electric vehicles Europe",
    "quantum computing startup",
    "farmers crops irrigation",
    "hospital nurses",
    "earthquake relief",
    "genome species discovery",
    "budget taxes trade",
    "teachers pupils literacy",
    "airport aviation flights",
    "fossils",
    "zyzzyva",
    "quantum OR zyzzyva",
    "the",
]

LATENCY_REQUESTS = 20
COLD_REQUESTS = 3
# A page's samples stop after this many seconds (at least one sample): a sitemap section
# of 50,000 URLs takes seconds to render, and the run must stay bounded.
SAMPLE_SECONDS = 4.0
ADMIN_REQUESTS = 20


# The search pages: a word in ~45 % of the releases, and a name in ~1 %.
COMMON_WORD, RARE_WORD = "announced", "haddad"


def targets() -> dict:
    """The subjects of the pages measured: the busiest tag (tag page), the busiest
    organization (organization page) with one of its tags that keeps ~5 % of its
    releases (filtered list, a few pages), a public release in the middle of the archive
    (release page, API detail, archive year and month), and the URL of every page."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from releases.models import Organization, Release
    from releases.search import search_releases

    public = Release.objects.published()
    content_type = ContentType.objects.get_for_model(Release)
    tagged = TaggedItem.objects.filter(content_type=content_type)
    busiest_tag = Tag.objects.get(
        pk=tagged.values("tag_id").annotate(n=Count("pk")).order_by("-n")[0]["tag_id"]
    )
    organization = Organization.objects.annotate(n=Count("releases")).order_by("-n")[0]
    of_organization = public.filter(organizations=organization)
    wanted = of_organization.count() * 0.05
    per_tag = (
        tagged.filter(object_id__in=of_organization.values("pk"))
        .values("tag_id")
        .annotate(n=Count("pk"))
    )
    filter_tag = Tag.objects.get(pk=min(per_tag, key=lambda row: abs(row["n"] - wanted))["tag_id"])
    public_count = public.count()
    middle = public.order_by("-published_at", "-id")[public_count // 2]
    published = timezone.localtime(middle.published_at)  # the archive's calendar
    found = {
        "tag_page_tag": busiest_tag.slug,
        "filter_tag": filter_tag.slug,
        "filter_organization": organization.slug,
        "filtered_releases": of_organization.filter(tags=filter_tag).count(),
        "detail_slug": middle.slug,
        "archive_year": published.year,
        "archive_month": published.month,
        "common_word": COMMON_WORD,
        "common_word_matches": search_releases(public, COMMON_WORD).count(),
        "rare_word": RARE_WORD,
        "rare_word_matches": search_releases(public, RARE_WORD).count(),
        "public_releases": public_count,
        "all_releases": Release.objects.count(),
    }
    listing = reverse("releases:list")
    urls = {
        "home": reverse("releases:home"),
        "list": listing,
        "filtered": f"{listing}?tag={filter_tag.slug}&organization={organization.slug}",
        "tag": reverse("releases:tag", kwargs={"slug": busiest_tag.slug}),
        "organization": reverse("releases:organization", kwargs={"slug": organization.slug}),
        "archive_year": reverse("releases:archive_year", kwargs={"year": published.year}),
        "archive_month": reverse(
            "releases:archive_month", kwargs={"year": published.year, "month": published.month}
        ),
        "detail": middle.get_absolute_url(),
        "atom": reverse("releases:feed_atom"),
        "rss": reverse("releases:feed_rss"),
        "api_list": reverse("api:release-list"),
        "api_detail": reverse("api:release-detail", kwargs={"slug": middle.slug}),
        "sitemap": reverse("sitemap"),
        "sitemap_section": reverse("sitemap_section", kwargs={"section": "releases"}),
        "search_common": f"{listing}?{_urlencode(q=COMMON_WORD)}",
        "search_rare": f"{listing}?{_urlencode(q=RARE_WORD)}",
    }
    # Page 2,000 only where there is one (not at 10,000 releases).
    if public_count > 1999 * settings.NEWSROOM_PAGE_SIZE:
        urls["page_2000"] = f"{listing}?page=2000"
    found["urls"] = urls
    return found


def client():
    from django.test import Client

    return Client(SERVER_NAME="127.0.0.1")


def timed_get(web, url: str, *, expect=200) -> float:
    began = time.perf_counter()
    response = web.get(url)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != expect:
        raise RuntimeError(f"GET {url}: {response.status_code}, expected {expect}")
    return elapsed


def count_queries(web, url: str) -> tuple[int, list[str]]:
    """The number of SQL queries of one request, and each as "<ms> <start of the SQL>"."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        timed_get(web, url)
    return len(captured.captured_queries), [
        f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}" for q in captured.captured_queries
    ]


def _samples(request, count: int) -> list[float]:
    """Up to ``count`` latencies of ``request()``, within ``SAMPLE_SECONDS``."""
    deadline = time.monotonic() + SAMPLE_SECONDS
    found = [request()]
    while len(found) < count and time.monotonic() < deadline:
        found.append(request())
    return found


def measure_pages(urls: dict[str, str]) -> dict:
    """Per page, rendered (the page cache off): queries and latency, warm and after
    ``cache.clear()`` (the cards and facets computed again, as after a change)."""
    from django.core.cache import cache

    web = client()
    results = {}
    for name, url in urls.items():
        timed_get(web, url)  # per-process state: content types, templates, connection
        cache.clear()
        cold, cold_sql = count_queries(web, url)
        warm, warm_sql = count_queries(web, url)
        warm_ms = _samples(lambda url=url: timed_get(web, url), LATENCY_REQUESTS)

        def cold_request(url=url):
            cache.clear()
            return timed_get(web, url)

        cold_ms = _samples(cold_request, COLD_REQUESTS)
        results[name] = {
            "url": url,
            "queries_cold": cold,
            "queries_warm": warm,
            "sql_cold": cold_sql,
            "sql_warm": warm_sql,
            "p50_ms_warm": statistics.median(warm_ms),
            "p95_ms_warm": percentile(warm_ms, 95),
            "p50_ms_cold": statistics.median(cold_ms),
            "samples": [len(warm_ms), len(cold_ms)],
        }
    return results


def measure_hit(url: str) -> dict:
    """A page cache hit of ``url`` in this process: its queries and latency."""
    from django.test.utils import override_settings

    from releases.pagecache import reset_response_cache

    web = client()
    with override_settings(NEWSROOM_PAGE_CACHE=True):
        reset_response_cache()
        timed_get(web, url)
        queries, sql = count_queries(web, url)
        samples = [timed_get(web, url) for _ in range(LATENCY_REQUESTS)]
    reset_response_cache()
    return {"url": url, "queries": queries, "sql": sql, "p50_ms": statistics.median(samples)}


def measure_search() -> dict:
    """``search_releases`` over the public releases: the first page (20 rows) and the
    count, as the list needs them. One pass to warm PostgreSQL's buffers, two timed."""
    from django.core.cache import cache

    from releases.models import Release
    from releases.search import COUNT_CAP, is_capped, search_releases

    def run(query: str) -> tuple[float, int]:
        began = time.perf_counter()
        found = search_releases(Release.objects.published(), query)
        rows = list(found[:20])
        # As the list counts: past COUNT_CAP matches it says "more than 1,000" and never
        # counts them all (releases/search.py).
        total = COUNT_CAP + 1 if is_capped(found) else found.count()
        elapsed = (time.perf_counter() - began) * 1000
        assert len(rows) == min(20, total)
        return elapsed, total

    for query in SEARCH_QUERIES:
        run(query)
    samples, per_query = [], {}
    for _ in range(2):
        for query in SEARCH_QUERIES:
            elapsed, total = run(query)
            samples.append(elapsed)
            previous = per_query.get(query, {"ms": 0.0})
            per_query[query] = {"ms": max(previous["ms"], elapsed), "matches": total}
    # The same queries as a reader gets them: the list page with ?q=, cold cache (the
    # facets of the results are computed too).
    web = client()
    page_ms = []
    for query in SEARCH_QUERIES:
        cache.clear()
        page_ms.append(timed_get(web, "/releases/?" + _urlencode(q=query)))
    slowest = sorted(per_query.items(), key=lambda item: -item[1]["ms"])[:5]
    return {
        "queries": len(SEARCH_QUERIES),
        "samples": len(samples),
        "p50_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 95),
        "max_ms": max(samples),
        "slowest": [{"q": q, **v} for q, v in slowest],
        "page_p50_ms_cold": statistics.median(page_ms),
        "page_p95_ms_cold": percentile(page_ms, 95),
        "page_max_ms_cold": max(page_ms),
    }


def _urlencode(**params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def measure_admin() -> dict:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from releases.models import Release, Status

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-admin").first()
    if user is None:
        user = user_model.objects.create_superuser("bench-admin", "bench@example.org", None)
    web = client()
    web.force_login(user)
    url = reverse("admin:releases_release_changelist")
    # A filter that shows a handful of rows, to compare with a full page of 100.
    few = (
        Release.objects.filter(status=Status.REVIEW)
        .values_list("author_id", flat=True)
        .order_by("author_id")
        .first()
    )
    few_url = f"{url}?state=review&author__id__exact={few}"
    timed_get(web, url)
    full_queries, full_sql = count_queries(web, url)
    few_queries, _ = count_queries(web, few_url)
    samples = [timed_get(web, url) for _ in range(ADMIN_REQUESTS)]
    search_samples = [timed_get(web, f"{url}?q=vaccine") for _ in range(5)]
    return {
        "url": url,
        "queries_100_rows": full_queries,
        "queries_few_rows": few_queries,
        "few_rows_url": few_url,
        "few_rows": Release.objects.filter(status=Status.REVIEW, author_id=few).count(),
        "sql": full_sql,
        "p50_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 95),
        "search_p50_ms": statistics.median(search_samples),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["targets", "measure"])
    parser.add_argument("--database-url", default=BENCH_DATABASE_URL)
    parser.add_argument("--targets", help="JSON of `targets` (default: computed).")
    parser.add_argument("--search", action="store_true", help="Also full-text search.")
    parser.add_argument("--admin", action="store_true", help="Also the admin changelist.")
    options = parser.parse_args(argv)
    # Rendering is measured, not the page cache (``measure_hit`` turns it on for itself).
    os.environ["NEWSROOM_PAGE_CACHE"] = "0"
    setup_django(options.database_url)
    found = json.loads(options.targets) if options.targets else targets()
    if options.what == "targets":
        print(json.dumps(found))
        return 0
    urls = found["urls"]
    result = {"targets": found, "pages": measure_pages(urls), "hit": measure_hit(urls["list"])}
    if options.search:
        result["search"] = measure_search()
    if options.admin:
        result["admin"] = measure_admin()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
