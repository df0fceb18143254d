"""The tag condition's two shapes (``releases.filters.TagSlugsFilter``): a tag on many
releases is a semi-join that PostgreSQL answers by walking the publication index, any
other a join on the tag's own rows; both keep the same releases in the same order, and
the tag page reads its tag once (the filter's validation), never again for its heading.

The rule's source: ``FoundTag.dense`` (uses² ≥ page size × extent); the numbers behind it
are in docs/performance.md ("The tag page")."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases.filters import FoundTag, ReleaseFilter
from releases.models import Release
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 1, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def archive(settings):
    """30 releases an hour apart and a draft: "energy" on 28 of them and the draft
    (dense: 29² ≥ 20 × 31), "water" on 4, "grid" on the draft only; two pairs share a
    publication time, so the order's tie-break (the newest id first) is exercised."""
    settings.NEWSROOM_PAGE_SIZE = 20
    made = []
    for n in range(30):
        tags = ["energy"] if n % 15 else []
        if n % 8 == 0:
            tags.append("water")
        at = START + timedelta(hours=n - (n % 10 == 1))  # n=11 and n=21 tie with n-1
        made.append(ReleaseFactory(headline=f"Release {n:02}", published_at=at, tags=tags))
    ReleaseFactory(headline="Draft", draft=True, tags=["grid", "energy"])
    return made


def newest_first(releases):
    return sorted(releases, key=lambda r: (r.published_at, r.pk), reverse=True)


def found(slug):
    filterset = ReleaseFilter({"tag": [slug]}, queryset=Release.objects.published())
    assert filterset.form.is_valid(), filterset.form.errors
    return filterset.form.fields["tag"].found[slug]


def test_a_tag_on_more_releases_than_the_square_root_of_page_size_times_archive_is_dense(
    archive,
):
    energy, water = found("energy"), found("water")
    assert (energy.uses, water.uses) == (29, 4)  # drafts count: it is an estimate
    ids = [r.pk for r in Release.objects.all()]
    assert energy.extent == water.extent == max(ids) - min(ids) + 1 == 31
    assert energy.dense and not water.dense
    assert FoundTag(1, "x", uses=45, extent=100_000).dense is False
    assert FoundTag(1, "x", uses=1_415, extent=100_000).dense is True
    assert FoundTag(1, "x", uses=0, extent=0).dense is False


@pytest.mark.parametrize("slug", ["energy", "water"])
def test_the_tag_page_lists_the_same_releases_in_either_shape(client, archive, slug):
    tagged = [r for r in archive if slug in {t.name for t in r.tags.all()}]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/tags/{slug}/")
    assert response.status_code == 200
    shown = [release.pk for release in response.context["page_obj"].object_list]
    assert shown == [r.pk for r in newest_first(tagged)][:20]
    assert response.context["total"] == len(tagged)
    listing = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "releases_release"."id"') and " LIMIT " in q["sql"]
    ]
    assert len(listing) == 1
    semi_join = 'IN (SELECT U0."object_id"' in listing[0]
    assert semi_join == (slug == "energy"), listing[0]
    # The page's second page holds the rest, in order, in the same shape.
    if len(tagged) > 20:
        rest = client.get(f"/tags/{slug}/", {"page": 2}).context["page_obj"].object_list
        assert [r.pk for r in rest] == [r.pk for r in newest_first(tagged)][20:]


def test_a_dense_and_a_sparse_tag_together_keep_the_releases_with_both(client, archive):
    response = client.get("/releases/", {"tag": ["energy", "water"]})
    both = [r for r in archive if {"energy", "water"} <= {t.name for t in r.tags.all()}]
    assert both, "the archive must have releases with both tags"
    shown = [release.pk for release in response.context["page_obj"].object_list]
    assert shown == [r.pk for r in newest_first(both)]


def test_the_tag_page_reads_its_tag_once_and_heads_the_page_with_its_name(client, archive):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tags/water/")
    assert response.status_code == 200
    assert "<h1>water</h1>" in response.content.decode()
    tag_reads = [q for q in queries.captured_queries if q["sql"].startswith('SELECT "taggit_tag"')]
    assert len(tag_reads) == 1, [q["sql"] for q in tag_reads]


@pytest.mark.parametrize("path", ["/tags/grid/", "/tags/Energy/", "/tags/nothing/"])
def test_a_tag_only_drafts_carry_or_no_tag_has_no_page(client, archive, path):
    assert client.get(path).status_code == 404
