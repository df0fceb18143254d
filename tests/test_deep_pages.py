"""Deep pages read by id from a sliced subquery (releases.paging) and the public total
kept per version (releases.facets.public_total): the same releases in the same order
as the plain OFFSET slice, and counts exact right after every kind of change.

Run on SQLite and on PostgreSQL (``DATABASE_URL=postgres://…``): both take the
subquery."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.facets import public_total
from releases.freshness import public_last_modified
from releases.models import Release, Status
from releases.paging import DeferredJoinPaginator, deferrable
from releases.search import search_releases
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

PAGE = 20


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def archive():
    """53 public releases (three pages), some sharing a publication time (the id breaks
    the tie), tagged in turn, among releases in every hidden state."""
    now = timezone.now()
    public = []
    for n in range(53):
        # Pairs of releases at the same instant: the order must fall back to the id.
        when = now - timedelta(hours=n // 2 + 1)
        public.append(
            ReleaseFactory(
                headline=f"Release {n} announced",
                published_at=when,
                tags=["Even" if n % 2 == 0 else "Odd"],
            )
        )
        if n % 10 == 0:
            ReleaseFactory(draft=True)
            ReleaseFactory(scheduled=True)
            ReleaseFactory(published_at=when, embargoed=True)
            ReleaseFactory(published_at=when, withdrawn=True)
    return public


def offset_ids(queryset, number: int) -> list[int]:
    """What the plain ``[offset:offset + PAGE]`` slice holds: the reference."""
    bottom = (number - 1) * PAGE
    return list(queryset.values_list("pk", flat=True)[bottom : bottom + PAGE])


def list_ids(client, query: str) -> list[int]:
    response = client.get(f"{reverse('releases:list')}?{query}")
    assert response.status_code == 200
    return [release.pk for release in response.context["page_obj"].object_list]


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_list_page_holds_the_releases_of_the_offset_slice_in_order(client, archive, number):
    public = Release.objects.published().newest_first()
    expected = offset_ids(public, number)

    assert expected  # three pages of 20, 20 and 13
    assert list_ids(client, f"page={number}") == expected


@pytest.mark.parametrize("number", [1, 2])
def test_a_filtered_list_page_holds_the_releases_of_the_offset_slice(client, archive, number):
    even = Release.objects.published().filter(tags__slug="even").newest_first()

    assert list_ids(client, f"tag=even&page={number}") == offset_ids(even, number)


@pytest.mark.parametrize("number", [1, 2, 3])
def test_an_api_page_holds_the_releases_of_the_offset_slice(client, archive, number):
    public = Release.objects.published().newest_first()
    expected = list(
        Release.objects.filter(pk__in=offset_ids(public, number))
        .order_by("-published_at", "-id")
        .values_list("slug", flat=True)
    )

    response = client.get(f"{reverse('api:release-list')}?page={number}")

    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == expected
    assert response.json()["count"] == 53


def test_pages_past_the_first_read_their_ids_from_a_sliced_subquery(archive):
    public = Release.objects.published().newest_first().only("headline", "slug")
    pages = DeferredJoinPaginator(public, PAGE)

    with CaptureQueriesContext(connection) as first:
        list(pages.page(1).object_list)
    with CaptureQueriesContext(connection) as third:
        rows = list(pages.page(3).object_list)

    assert "IN (SELECT" not in first.captured_queries[-1]["sql"]
    deep = third.captured_queries[-1]["sql"]
    assert "IN (SELECT" in deep and "OFFSET 40" in deep
    assert [release.pk for release in rows] == offset_ids(public, 3)


def test_a_search_keeps_the_plain_slice(archive):
    """A search orders by its rank and annotates a snippet: not deferred, still right."""
    found = search_releases(Release.objects.published(), "announced")
    assert not deferrable(found)
    pages = DeferredJoinPaginator(found, PAGE)

    assert [release.pk for release in pages.page(2).object_list] == offset_ids(found, 2)


def test_a_page_past_the_end_is_still_a_404(client, archive):
    assert client.get(f"{reverse('releases:list')}?page=4").status_code == 404
    assert client.get(f"{reverse('api:release-list')}?page=4").status_code == 404


# -- the public total, right after a change ---------------------------------------------


def api_count(client) -> int:
    response = client.get(reverse("api:release-list"))
    assert response.status_code == 200
    return response.json()["count"]


def test_the_api_count_is_exact_right_after_every_kind_of_change(client, archive, monkeypatch):
    assert api_count(client) == 53

    fresh = ReleaseFactory()  # a publication
    assert api_count(client) == 54

    fresh.status = Status.WITHDRAWN
    fresh.withdrawn_at = timezone.now()
    fresh.save()  # a withdrawal
    assert api_count(client) == 53

    Release.objects.published().first().delete()  # a deletion
    assert api_count(client) == 52

    # Scheduled releases going live and embargoes lifting: no write, only time.
    scheduled = Release.objects.scheduled().count()
    assert scheduled
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert api_count(client) == 52 + scheduled == Release.objects.published().count()


def test_the_public_total_is_counted_once_a_version(archive, django_assert_num_queries):
    version = public_last_modified()
    with django_assert_num_queries(1):
        assert public_total(version) == 53
    with django_assert_num_queries(0):
        assert public_total(version) == 53


def test_the_api_takes_the_total_of_the_list_pages_facets(client, archive):
    """The list page computed the facets of this version: the API counts nothing."""
    assert client.get(reverse("releases:list")).status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert api_count(client) == 53
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


# -- the plan on PostgreSQL ---------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_the_deep_page_and_the_count_read_the_public_index_alone(archive):
    """The skip and the count need no table row: ``release_public_newest_idx`` holds the
    order and every column of the visibility filter (with a few rows the planner would
    rather read the table, so sequential and bitmap scans are priced out)."""
    public = Release.objects.published().newest_first()
    inner = public.values("pk")[40:60]
    count = public.order_by().values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plans = []
        for queryset in (inner, count):
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    for plan in plans:
        assert "Index Only Scan using release_public_newest_idx" in plan, plan
