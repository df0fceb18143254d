"""Measurements taken inside one Django process, against one benchmark database.

    .venv/bin/python bench/inprocess.py targets  [--database-url URL]
    .venv/bin/python bench/inprocess.py measure  [--database-url URL] [--search]
                                                 [--admin] [--pages-only]

``targets`` prints (JSON) the URLs the load runs use: a tag, an organization, a release.
``measure`` prints (JSON) SQL query counts per page (cold cache and warm), page latency
(p50 of 50 requests), the full-text search latency over ``SEARCH_QUERIES``, and the
admin changelist. Requests go through Django's test client (the whole middleware stack,
no network), with the production settings ``bench.common.django_env`` gives.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DATABASE_URL, setup_django

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

LATENCY_REQUESTS = 50
COLD_REQUESTS = 5
ADMIN_REQUESTS = 20


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(q) - 1]


def targets() -> dict:
    """The subjects of the pages measured: the busiest tag (tag page), the busiest
    organization with one of its tags that keeps ~5 % of its releases (filtered list,
    a few pages), a public release in the middle of the archive (detail page)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from taggit.models import Tag, TaggedItem

    from releases.models import Organization, Release

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
    middle = public.order_by("-published_at", "-id")[public.count() // 2]
    return {
        "tag_page_tag": busiest_tag.slug,
        "filter_tag": filter_tag.slug,
        "filter_organization": organization.slug,
        "filtered_releases": of_organization.filter(tags=filter_tag).count(),
        "detail_slug": middle.slug,
        "public_releases": public.count(),
        "all_releases": Release.objects.count(),
    }


def page_urls(found: dict) -> dict[str, str]:
    """The pages measured; page 2,000 only where there is one (not at 10,000)."""
    from django.conf import settings
    from django.urls import reverse

    urls = {
        "list": reverse("releases:list"),
        "filtered": reverse("releases:list")
        + f"?tag={found['filter_tag']}&organization={found['filter_organization']}",
        "tag": reverse("releases:tag", kwargs={"slug": found["tag_page_tag"]}),
        "detail": reverse("releases:detail", kwargs={"slug": found["detail_slug"]}),
    }
    if found["public_releases"] > 1999 * settings.NEWSROOM_PAGE_SIZE:
        urls["page_2000"] = reverse("releases:list") + "?page=2000"
    return urls


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


def measure_pages(urls: dict[str, str]) -> dict:
    from django.core.cache import cache

    web = client()
    results = {}
    for name, url in urls.items():
        timed_get(web, url)  # per-process state: content types, templates, connection
        cache.clear()
        cold, cold_sql = count_queries(web, url)
        warm, warm_sql = count_queries(web, url)
        warm_ms = [timed_get(web, url) for _ in range(LATENCY_REQUESTS)]
        cold_ms = []
        for _ in range(COLD_REQUESTS):
            cache.clear()
            cold_ms.append(timed_get(web, url))
        results[name] = {
            "url": url,
            "queries_cold": cold,
            "queries_warm": warm,
            "sql_cold": cold_sql,
            "sql_warm": warm_sql,
            "p50_ms_warm": statistics.median(warm_ms),
            "p95_ms_warm": percentile(warm_ms, 95),
            "p50_ms_cold": statistics.median(cold_ms),
        }
    return results


def measure_compute(urls: dict[str, str], requests: int = 100) -> dict:
    """Milliseconds of one warm request in this process, straight through the WSGI
    handler (no network, no test client): the CPU cost the throughput ratios come from.
    "hello" is the baseline view, routed with its own urlconf in the same process."""
    import io

    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    handler = WSGIHandler()

    def call(url: str) -> None:
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(body)
        body.close()
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"GET {url}: {statuses[0]}")

    def mean_ms(url: str) -> float:
        for _ in range(10):
            call(url)
        began = time.perf_counter()
        for _ in range(requests):
            call(url)
        return (time.perf_counter() - began) * 1000 / requests

    with override_settings(ROOT_URLCONF="bench.hello"):
        results = {"hello": mean_ms("/")}
    for name, url in urls.items():
        results[name] = mean_ms(url)
    return results


def measure_search() -> dict:
    """``search_releases`` over the public releases: the first page (20 rows) and the
    count, as the list needs them. One pass to warm PostgreSQL's buffers, two timed."""
    from django.core.cache import cache

    from releases.models import Release
    from releases.search import search_releases

    def run(query: str) -> tuple[float, int]:
        began = time.perf_counter()
        found = search_releases(Release.objects.published(), query)
        rows = list(found[:20])
        total = found.count()
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
    setup_django(options.database_url)
    found = json.loads(options.targets) if options.targets else targets()
    if options.what == "targets":
        print(json.dumps(found))
        return 0
    urls = page_urls(found)
    result = {"targets": found, "pages": measure_pages(urls), "compute_ms": measure_compute(urls)}
    if options.search:
        result["search"] = measure_search()
    if options.admin:
        result["admin"] = measure_admin()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
