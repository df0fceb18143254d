"""The one definition of “public”: ``published()``, ``published_q()`` and ``is_published``.

PRODUCT.md: a release is public iff its status is published, its publication time is
not in the future and its embargo, if any, has lifted. The three spellings of that rule
must agree on every storable combination of status × publication time × embargo.
"""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from releases.models import Release, Status, published_q
from tests.factories import ReleaseFactory

# Offsets from “now” wide enough that the seconds a test takes cannot cross them.
PUBLICATION_TIMES = {"none": None, "past": timedelta(days=-2), "future": timedelta(days=2)}
EMBARGOES = {"none": None, "lifted": timedelta(days=-1), "future": timedelta(days=3)}


def _storable(status, publication):
    # The database refuses a published or withdrawn release without a publication time.
    return not (status in (Status.PUBLISHED, Status.WITHDRAWN) and publication == "none")


COMBINATIONS = [
    (status, publication, embargo)
    for status, publication, embargo in itertools.product(
        Status.values, PUBLICATION_TIMES, EMBARGOES
    )
    if _storable(status, publication)
]


def _expected_public(status, publication, embargo):
    return status == Status.PUBLISHED and publication == "past" and embargo in ("none", "lifted")


def test_the_combinations_cover_every_status_and_both_outcomes():
    assert {status for status, _, _ in COMBINATIONS} == set(Status.values)
    outcomes = {_expected_public(*combination) for combination in COMBINATIONS}
    assert outcomes == {True, False}
    # 4 statuses × 3 × 3, less the 2 × 3 that lack a publication time.
    assert len(COMBINATIONS) == 30


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "publication", "embargo"), COMBINATIONS)
def test_published_published_q_and_is_published_agree_with_the_rule(status, publication, embargo):
    now = timezone.now()
    offset, embargo_offset = PUBLICATION_TIMES[publication], EMBARGOES[embargo]
    release = ReleaseFactory(
        status=status,
        published_at=None if offset is None else now + offset,
        embargoed_until=None if embargo_offset is None else now + embargo_offset,
        withdrawn_at=now - timedelta(hours=1) if status == Status.WITHDRAWN else None,
    )
    # A second, unrelated public release makes sure the filters select, not just pass.
    other = ReleaseFactory(published_at=now - timedelta(days=5))
    expected = _expected_public(status, publication, embargo)

    assert (release in Release.objects.published()) is expected
    assert Release.objects.filter(published_q()).filter(pk=release.pk).exists() is expected
    assert Release.objects.exclude(published_q()).filter(pk=release.pk).exists() is not expected
    assert release.is_published is expected
    assert other in Release.objects.published()
    assert other not in Release.objects.exclude(published_q())


@pytest.mark.django_db
def test_scheduled_release_is_not_public_before_its_time():
    now = timezone.now()
    release = ReleaseFactory(published_at=now + timedelta(hours=1))

    assert not release.is_published
    assert release.is_scheduled
    assert release not in Release.objects.published()
    assert release in Release.objects.scheduled()


@pytest.mark.django_db
def test_scheduled_release_is_public_once_its_time_has_come():
    at = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)
    release = ReleaseFactory(published_at=at)

    assert release not in Release.objects.published(now=at - timedelta(seconds=1))
    assert release in Release.objects.published(now=at)
    assert release in Release.objects.published(now=at + timedelta(days=1))
    assert release in Release.objects.scheduled(now=at - timedelta(seconds=1))
    assert release not in Release.objects.scheduled(now=at)


@pytest.mark.django_db
def test_embargoed_release_is_public_once_the_embargo_lifts():
    published_at = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)
    lifts = published_at + timedelta(hours=3)
    release = ReleaseFactory(published_at=published_at, embargoed_until=lifts)

    assert release not in Release.objects.published(now=published_at)
    assert release not in Release.objects.published(now=lifts - timedelta(seconds=1))
    assert release in Release.objects.published(now=lifts)
    assert Release.objects.exclude(published_q(lifts - timedelta(seconds=1))).get() == release
    assert not Release.objects.exclude(published_q(lifts)).exists()


@pytest.mark.django_db
def test_published_q_works_across_a_relation():
    now = timezone.now()
    public = ReleaseFactory(published_at=now - timedelta(days=1), tags=["health"])
    ReleaseFactory(published_at=now + timedelta(days=1), tags=["health"])
    ReleaseFactory(draft=True, tags=["health"])

    tagged = Release.objects.published().filter(tags__slug="health")

    assert list(tagged) == [public]


@pytest.mark.django_db
def test_state_labels_name_what_an_editor_sees():
    now = timezone.now()
    assert ReleaseFactory(draft=True).state_label == "Draft"
    assert ReleaseFactory(in_review=True).state_label == "In review"
    assert ReleaseFactory(published_at=now + timedelta(days=1)).state_label == "Scheduled"
    embargoed = ReleaseFactory(
        published_at=now - timedelta(days=1), embargoed_until=now + timedelta(days=1)
    )
    assert embargoed.state_label == "Embargoed"
    assert embargoed.is_embargoed
    assert ReleaseFactory(published_at=now - timedelta(days=1)).state_label == "Published"
