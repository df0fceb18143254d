"""What a render costs where no page cache helps: facets computed once per version,
the release page's queries, and search counts estimated where exact ones cost a scan."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

import releases.facets as facets_module
from releases.facets import cached_facets, compute_facets
from releases.models import Release
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def hours_ago(hours):
    return NOW - timedelta(hours=hours)


# -- facets ------------------------------------------------------------------------------


def test_facets_count_tags_organizations_authors_and_months_of_the_public_rows_only():
    acme, beta = OrganizationFactory(name="Acme", slug="acme"), OrganizationFactory(name="Beta")
    ada = AuthorFactory(name="Ada", slug="ada")
    ReleaseFactory(published_at=hours_ago(1), organizations=[acme, beta], author=ada,
                   tags=["energy", "water"])  # fmt: skip
    ReleaseFactory(published_at=hours_ago(24 * 40), organizations=[acme], author=None,
                   tags=["energy"])  # fmt: skip
    ReleaseFactory(draft=True, organizations=[beta], author=ada, tags=["secret"])
    ReleaseFactory(published_at=NOW + timedelta(days=1), organizations=[beta], tags=["later"])

    found = compute_facets(Release.objects.published(), selected_tags=["energy", "none"])

    assert found.total == 2
    assert [(t.key, t.count) for t in found.tags] == [("energy", 2), ("water", 1)]
    assert [(o.label, o.count) for o in found.organizations] == [("Acme", 2), ("Beta", 1)]
    assert [(a.key, a.count) for a in found.authors] == [("ada", 1)]
    assert found.months == ((2025, 3, 1), (2025, 2, 1))
    assert found.tag_names == {"energy": "energy"}


def test_facets_are_one_query(django_assert_num_queries):
    ReleaseFactory(published_at=hours_ago(1), tags=["energy"])
    compute_facets(Release.objects.published())  # the content type enters its cache
    with django_assert_num_queries(1):
        compute_facets(Release.objects.published().filter(tags__slug="energy"))


def version(hours: int) -> datetime:
    return hours_ago(hours)


def test_a_request_while_another_computes_gets_the_previous_versions_facets(
    django_assert_num_queries,
):
    ReleaseFactory(published_at=hours_ago(3))
    before = cached_facets(Release.objects.published(), version=version(2))
    ReleaseFactory(published_at=hours_ago(1))
    # Another request claimed the new version's facets and is computing them.
    cache.add(f"{key_of(version(1))}:claim", 1)

    # One query, on an index: whether a release left public view since the previous
    # counts were made (then they are never shown); no count.
    with django_assert_num_queries(1):
        served = cached_facets(Release.objects.published(), version=version(1))

    # The previous counts, marked stale (the page showing them is not cached as current).
    assert served == dataclasses.replace(before, stale=True)
    assert served.total == 1


def test_the_claimant_stores_the_new_facets_for_everyone_and_releases_its_claim():
    ReleaseFactory(published_at=hours_ago(3))
    cached_facets(Release.objects.published(), version=version(2))
    ReleaseFactory(published_at=hours_ago(1))

    assert cached_facets(Release.objects.published(), version=version(1)).total == 2
    assert cache.get(f"{key_of(version(1))}:claim") is None
    assert cache.get(key_of(version(1))).total == 2


def test_with_no_previous_facets_a_request_waits_for_the_claimant_then_computes(monkeypatch):
    monkeypatch.setattr(facets_module, "WAIT_SECONDS", 0.05)
    ReleaseFactory(published_at=hours_ago(1))
    cache.add(f"{key_of(version(1))}:claim", 1)  # a claimant that never finishes

    assert cached_facets(Release.objects.published(), version=version(1)).total == 1


def test_previous_facets_are_kept_per_filter(monkeypatch):
    monkeypatch.setattr(facets_module, "WAIT_SECONDS", 0.05)
    ReleaseFactory(published_at=hours_ago(3), tags=["energy"])
    ReleaseFactory(published_at=hours_ago(3), tags=["water"])
    energy = Release.objects.published().filter(tags__slug="energy")
    cached_facets(energy, version=version(2), filters=[("tag", "energy")])
    cache.add(f"{key_of(version(1), [('tag', 'water')])}:claim", 1)

    water = Release.objects.published().filter(tags__slug="water")
    served = cached_facets(water, version=version(1), filters=[("tag", "water")])

    assert [t.key for t in served.tags] == ["water"]  # not the energy list's facets


def key_of(at: datetime, filters=()) -> str:
    from releases.freshness import etag_for

    return f"facets:{etag_for(at.isoformat(), etag_for(sorted(filters)))}"
