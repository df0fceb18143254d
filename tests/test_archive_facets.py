"""The whole archive's facets, kept per block of release ids and recounted for what
changed (``releases.facets.archive_facets``): after every kind of change they equal a
full count, and a write of one release's row recounts its block only."""

import dataclasses
import datetime as dt
import random

import pytest
from django.core.cache import cache
from django.utils import timezone
from taggit.models import Tag

from releases import facets
from releases.facets import FacetBlocks, archive_facets, compute_facets
from releases.freshness import data_changed
from releases.models import DataVersion, Release, ReleaseOrganization, Status
from tests.facet_blocks import (
    age_everything,
    full_count,
    small_blocks,  # noqa: F401 - the fixture, used by name
)
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_blocks")]

# A month no release is in: a count planted there in a kept block shows whether that
# block was recounted (the plant gone) or kept (the plant still counted).
PLANTED = ("month", 190001)


def archive(count=8):
    """``count`` public releases with tags, organizations and authors, and a draft."""
    orgs = [OrganizationFactory(name=name) for name in ("Alpha Lab", "Beta Port", "Gamma")]
    authors = [AuthorFactory(name=name) for name in ("Ada Ames", "Ben Bly")]
    now = timezone.now()
    releases = [
        ReleaseFactory(
            published_at=now - dt.timedelta(days=40 * n + 1),
            organizations=orgs[n % 3 : n % 3 + 1 + n % 2],
            author=authors[n % 2] if n % 3 else None,
            tags=["energy", "health"][: 1 + n % 2] + ([f"topic {n % 4}"] if n % 2 else []),
        )
        for n in range(count)
    ]
    draft = ReleaseFactory(draft=True, tags=["energy"])
    age_everything()
    for release in [*releases, draft]:
        release.refresh_from_db()
    return releases, draft


def plant_in_block_of(release: Release) -> int:
    """Plant a count in the kept block that holds ``release``; return the block."""
    kept = cache.get(facets.blocks_key([]))
    block = release.pk // facets.BLOCK_IDS
    counts = {b: dict(c) for b, c in kept.counts.items()}
    counts[block][PLANTED] = 5
    cache.set(facets.blocks_key([]), dataclasses.replace(kept, counts=counts))
    return block


def planted(result) -> bool:
    return (1900, 1, 5) in result.months


def test_the_first_count_is_a_full_count_and_is_kept_per_block():
    releases, _ = archive()
    result = archive_facets()
    assert result == full_count()
    assert result.total == len(releases)
    kept = cache.get(facets.blocks_key([]))
    assert isinstance(kept, FacetBlocks)
    assert set(kept.counts) == {r.pk // facets.BLOCK_IDS for r in releases}


def test_an_edit_of_one_release_recounts_its_block_only():
    releases, _ = archive()
    archive_facets()
    untouched, edited = releases[0], releases[-1]
    assert untouched.pk // 2 != edited.pk // 2
    plant_in_block_of(untouched)
    plant_in_block_of(edited)
    edited.author = None
    edited.save()
    result = archive_facets()
    assert planted(result)  # the untouched block was kept ...
    assert result.months.count((1900, 1, 5)) == 1  # ... the edited one recounted
    assert dataclasses.replace(result, months=result.months[:-1], total=result.total - 5) == (
        full_count()
    )


@pytest.mark.parametrize(
    "change",
    ["unpublish", "publish_draft", "withdraw", "reschedule", "embargo_again", "author", "new"],
)
def test_after_each_kind_of_write_to_a_release_row_the_counts_are_a_full_count(change):
    releases, draft = archive()
    archive_facets()
    target = releases[3]
    if change == "unpublish":
        target.status = Status.DRAFT
    elif change == "publish_draft":
        target = draft
        target.status, target.published_at = Status.PUBLISHED, timezone.now()
    elif change == "withdraw":
        target.status, target.withdrawn_at = Status.WITHDRAWN, timezone.now()
    elif change == "reschedule":
        target.published_at = timezone.now() + dt.timedelta(days=2)
    elif change == "embargo_again":
        target.embargoed_until = timezone.now() + dt.timedelta(days=2)
    elif change == "author":
        target.author = AuthorFactory(name="Cy Cole")
    if change == "new":
        ReleaseFactory(tags=["fresh"], organizations=[OrganizationFactory(name="Delta")])
    else:
        target.save()
    assert archive_facets() == full_count()


@pytest.mark.parametrize(
    "change",
    [
        "tag_added",
        "tag_removed",
        "tag_renamed",
        "tag_deleted",
        "organization_linked",
        "organization_unlinked",
        "organization_renamed",
        "author_renamed",
        "release_deleted",
        "bulk_update",
    ],
)
def test_a_write_no_release_timestamp_shows_recounts_every_block(change):
    releases, _ = archive()
    archive_facets()
    target = releases[2]
    plant_in_block_of(releases[5])
    if change == "tag_added":
        target.tags.add("brand new")
    elif change == "tag_removed":
        target.tags.remove("energy")
    elif change == "tag_renamed":
        Tag.objects.filter(name="health").update(name="Wellbeing")
        data_changed(tags=True)  # QuerySet.update() sends no signal: its caller says so
    elif change == "tag_deleted":
        Tag.objects.get(name="energy").delete()
    elif change == "organization_linked":
        target.organizations.add(OrganizationFactory(name="Epsilon"))
    elif change == "organization_unlinked":
        ReleaseOrganization.objects.filter(release=target).first().delete()
    elif change == "organization_renamed":
        organization = target.organizations.first()
        organization.name = "Alpha Laboratories"
        organization.save()
    elif change == "author_renamed":
        author = releases[1].author
        author.name = "Ada Ames-Smith"
        author.save()
    elif change == "release_deleted":
        target.delete()
    elif change == "bulk_update":
        Release.objects.filter(pk=target.pk).update(status=Status.DRAFT)
        data_changed()
    result = archive_facets()
    assert not planted(result)
    assert result == full_count()


def test_a_scheduled_release_and_an_embargo_going_live_with_no_write_are_counted():
    releases, _ = archive()
    now = timezone.now()
    scheduled = ReleaseFactory(published_at=now + dt.timedelta(minutes=10), tags=["later"])
    embargoed = ReleaseFactory(
        published_at=now - dt.timedelta(days=1),
        embargoed_until=now + dt.timedelta(minutes=20),
        organizations=[OrganizationFactory(name="Zeta")],
    )
    # Counted long after the writes (beyond the margin), before either goes live.
    later = now + facets.BLOCK_MARGIN * 2
    archive_facets(later)
    plant_in_block_of(releases[0])
    for minutes in (15, 25):
        moment = later + dt.timedelta(minutes=minutes)
        result = archive_facets(moment)
        assert planted(result)  # no write: the other blocks were kept
        without_plant = dataclasses.replace(result, months=result.months[:-1])
        assert without_plant.tags == full_count(moment).tags
        assert without_plant.organizations == full_count(moment).organizations
    assert any(item.key == "later" for item in result.tags)
    assert any(item.label == "Zeta" for item in result.organizations)
    assert scheduled.pk and embargoed.pk


def test_a_write_committed_after_the_count_but_stamped_before_it_is_recounted():
    """A transaction that wrote a release before a count and committed after it: its
    ``updated_at`` is earlier than the count, within the margin."""
    releases, _ = archive()
    archive_facets()
    kept = cache.get(facets.blocks_key([]))
    target = releases[4]
    Release.objects.filter(pk=target.pk).update(
        author=None, updated_at=kept.counted_at - facets.BLOCK_MARGIN / 2
    )
    assert archive_facets() == full_count()


def test_every_block_is_recounted_once_the_last_full_count_is_old():
    releases, _ = archive()
    archive_facets()
    plant_in_block_of(releases[1])
    kept = cache.get(facets.blocks_key([]))
    old = kept.full_count_at - facets.BLOCK_FULL_AGE
    cache.set(facets.blocks_key([]), dataclasses.replace(kept, full_count_at=old))
    assert not planted(archive_facets())


def test_random_sequences_of_changes_always_match_a_full_count():
    """Any mix of row writes, link writes and deletes: the kept blocks never drift."""
    releases, draft = archive(10)
    pool = [*releases, draft]
    rng = random.Random(11)
    archive_facets()
    for step in range(40):
        release = rng.choice(pool)
        action = rng.choice(["status", "date", "author", "tag", "untag", "org", "delete"])
        if action == "status":
            release.status = rng.choice([Status.PUBLISHED, Status.DRAFT, Status.WITHDRAWN])
            release.published_at = release.published_at or timezone.now()
            release.withdrawn_at = timezone.now() if release.status == Status.WITHDRAWN else None
            release.save()
        elif action == "date":
            release.published_at = timezone.now() - dt.timedelta(days=rng.randint(0, 900))
            release.save()
        elif action == "author":
            release.author = rng.choice([None, AuthorFactory(name=f"Writer {step}")])
            release.save()
        elif action == "tag":
            release.tags.add(f"tag {rng.randint(0, 5)}")
        elif action == "untag":
            release.tags.clear()
        elif action == "org":
            release.organizations.add(OrganizationFactory(name=f"Body {step}"))
        elif len(pool) > 3:
            pool.remove(release)
            release.delete()
        assert archive_facets() == full_count(), (step, action)


# -- the lists of one tag, organization, author or year --------------------------------


def single_filter_lists(releases):
    """(filters, queryset, selected tags) of a list of each kind kept per block."""
    organization = releases[0].organizations.first()
    author = releases[1].author
    year = releases[3].published_at.year
    published = Release.objects.published
    return [
        ([("tag", "energy")], lambda: published().filter(tags__slug="energy"), ["energy"]),
        (
            [("organization", organization.slug)],
            lambda: published().filter(organizations=organization),
            [],
        ),
        ([("author", author.slug)], lambda: published().filter(author=author), []),
        ([("year", str(year))], lambda: published().filter(published_at__year=year), []),
    ]


def test_the_lists_kept_per_block_are_the_whole_archive_and_single_filters():
    assert facets.keeps_blocks([])
    for key in ("tag", "organization", "author", "year"):
        assert facets.keeps_blocks([(key, "x")])
    assert not facets.keeps_blocks([("q", "energy")])
    assert not facets.keeps_blocks([("month", "5")])
    assert not facets.keeps_blocks([("tag", "a"), ("organization", "b")])
    assert facets.blocks_key([]) != facets.blocks_key([("tag", "a")])
    assert facets.blocks_key([("tag", "a")]) != facets.blocks_key([("tag", "b")])


def test_single_filter_lists_match_a_full_count_through_random_changes():
    releases, draft = archive(10)
    lists = single_filter_lists(releases)
    rng = random.Random(5)
    pool = [*releases, draft]
    for step in range(30):
        release = rng.choice(pool)
        action = rng.choice(["status", "date", "author", "tag", "untag", "edit"])
        if action == "status":
            release.status = rng.choice([Status.PUBLISHED, Status.DRAFT])
            release.published_at = release.published_at or timezone.now()
        elif action == "date":
            release.published_at = timezone.now() - dt.timedelta(days=rng.randint(0, 900))
        elif action == "author":
            release.author = rng.choice([None, releases[1].author])
        elif action == "tag":
            release.tags.add("energy")
        elif action == "untag":
            release.tags.remove("energy")
        if action not in ("tag", "untag"):
            release.save()
        for filters, queryset, selected in lists:
            kept = facets.block_facets(
                queryset(), facets.blocks_key(filters), selected_tags=selected
            )
            assert kept == compute_facets(queryset(), selected_tags=selected), (step, filters)


def test_after_an_edit_the_first_reader_gets_current_counts_not_stale_ones(settings, monkeypatch):
    """With blocks kept, the request that claims a new version recounts the edited
    release's block itself: no background thread, no stale counts."""
    settings.NEWSROOM_FACETS_IN_BACKGROUND = True

    def no_thread(*args, **kwargs):
        raise AssertionError("recounted in a thread, readers shown stale counts")

    monkeypatch.setattr(facets, "_refresh_in_background", no_thread)
    releases, _ = archive()
    lists = [([], Release.objects.published, []), *single_filter_lists(releases)]
    version = timezone.now()
    for filters, queryset, selected in lists:
        facets.cached_facets(queryset(), version=version, filters=filters, selected_tags=selected)
    edited = releases[1]
    edited.tags.remove("energy")  # a write no timestamp shows: every block recounted ...
    edited.author = None
    edited.save()
    DataVersion.objects.update(changed_at=timezone.now() - dt.timedelta(hours=2))
    settings.NEWSROOM_FACETS_IN_BACKGROUND = False
    for filters, queryset, selected in lists:  # ... by a full count, done here inline
        facets.cached_facets(
            queryset(),
            version=version + dt.timedelta(seconds=1),
            filters=filters,
            selected_tags=selected,
        )
    settings.NEWSROOM_FACETS_IN_BACKGROUND = True
    edited.status = Status.DRAFT
    edited.save()
    later = version + dt.timedelta(seconds=2)
    for filters, queryset, selected in lists:
        found = facets.cached_facets(
            queryset(), version=later, filters=filters, selected_tags=selected
        )
        assert not found.stale, filters
        assert found == compute_facets(queryset(), selected_tags=selected), filters
