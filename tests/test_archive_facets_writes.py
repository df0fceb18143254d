"""Writes that once made the kept blocks of facets differ from a full count
(``releases.facets``), found by trying: an importer setting ``updated_at`` back after
its save, a release id below zero, a raw save (``loaddata``), ties of same-named rows,
and blocks counted under another block size or time zone."""

import dataclasses
import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from releases import facets
from releases.facets import archive_facets
from releases.importers.structured import import_json_file
from releases.models import Release, Status
from tests.facet_blocks import (
    age_everything,
    full_count,
    small_blocks,  # noqa: F401 - the fixture, used by name
)
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_blocks")]


def archive(count=8):
    orgs = [OrganizationFactory(name=name) for name in ("Alpha Lab", "Beta Port", "Gamma")]
    authors = [AuthorFactory(name=name) for name in ("Ada Ames", "Ben Bly")]
    now = timezone.now()
    return [
        ReleaseFactory(
            published_at=now - dt.timedelta(days=40 * n + 1),
            organizations=orgs[n % 3 : n % 3 + 1 + n % 2],
            author=authors[n % 2],
            tags=["energy", "health"][: 1 + n % 2],
        )
        for n in range(count)
    ]


def write_json(tmp_path, items) -> str:
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items))
    return str(path)


# -- 1. JSON import: a save, then updated_at set back to the item's time ----------------


def test_json_import_taking_a_release_down_with_its_own_updated_at_is_recounted(tmp_path, client):
    """An import item without "tags"/"organizations" that moves a public release to
    draft and carries its own updated_at: the save's log entry is release_row=True, but
    the importer's QuerySet.update() then moves updated_at back before the margin, so
    no rule names the block: the draft's tag, author and count stay on public pages."""
    releases = archive()
    target = releases[3]
    target.tags.add("secret merger")
    age_everything()
    assert any(item.key == "secret-merger" for item in archive_facets().tags)

    item = {
        "slug": target.slug,
        "headline": target.headline,
        "status": "draft",
        "updated_at": "2024-03-12T09:30:00Z",
    }
    import_json_file(write_json(tmp_path, [item]))
    target.refresh_from_db()
    assert target.status == Status.DRAFT

    page = client.get(reverse("releases:tags")).content.decode()
    assert "secret merger" not in page  # the draft's tag is listed on the public tag index
    result = archive_facets()
    assert not any(item.key == "secret-merger" for item in result.tags)  # leaks
    assert result == full_count()


def test_json_import_of_a_new_public_release_with_historic_times_is_counted(tmp_path):
    archive()
    age_everything()
    archive_facets()
    item = {
        "slug": "from-the-old-site",
        "headline": "From the old site",
        "status": "published",
        "published_at": "2019-05-01T10:00:00Z",
        "updated_at": "2019-05-02T10:00:00Z",
    }
    import_json_file(write_json(tmp_path, [item]))
    assert Release.objects.published().filter(slug="from-the-old-site").exists()
    got, want = archive_facets(), full_count()
    assert (got.total, got.months) == (want.total, want.months)  # one short, May 2019 missing


# -- 2. negative ids: Python floors, SQL truncates ------------------------------------


def test_a_release_with_a_negative_id_does_not_wipe_block_zero(tmp_path):
    """``pk // BLOCK_IDS`` (floor: -1 -> block -1) in blocks_to_recount, ``id / size``
    (truncation: -1 -> block 0) in count_blocks' SQL: recounting "block -1" returns
    block 0 holding only the negative id, which replaces the kept block 0."""
    archive()
    one = Release.objects.filter(pk=1).first() or ReleaseFactory(id=1)
    assert one.is_published
    item = {
        "id": -1,
        "slug": "negative",
        "headline": "Negative id",
        "status": "published",
        "published_at": "2024-03-12T09:30:00Z",
    }
    import_json_file(write_json(tmp_path, [item]))  # the JSON importer keeps free ids
    negative = Release.objects.get(pk=-1)
    age_everything()
    assert archive_facets() == full_count()

    negative.refresh_from_db()
    negative.summary = "An edit."
    negative.save()
    got, want = archive_facets(), full_count()
    assert (got.total, got.months) == (want.total, want.months)  # release 1 (SQL block 0) is lost
    assert got == want


# -- 3. raw saves (loaddata): release_row=True with the fixture's updated_at ----------


def test_loaddata_of_a_public_release_is_counted(tmp_path):
    archive()
    age_everything()
    archive_facets()
    fixture = tmp_path / "release.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "releases.release",
                    "pk": 9000,
                    "fields": {
                        "headline": "Loaded",
                        "slug": "loaded",
                        "status": "published",
                        "published_at": "2020-01-15T10:00:00Z",
                        "created_at": "2020-01-15T10:00:00Z",
                        "updated_at": "2020-01-15T10:00:00Z",
                    },
                }
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    got, want = archive_facets(), full_count()
    assert (got.total, got.months) == (want.total, want.months)


# -- 4. ties: same count, same name ------------------------------------------------------


def test_equal_counts_of_same_named_authors_keep_one_order():
    """Author names are not unique. facets_of_blocks orders ties (same count, same
    casefolded name) by dict order of the blocks, which a partial recount changes: the
    same data gives two orders, and at most one is compute_facets' order."""
    first, second = AuthorFactory(name="Sam Lee"), AuthorFactory(name="Sam Lee")
    a = ReleaseFactory(author=first)
    ReleaseFactory(author=None)
    ReleaseFactory(author=None)
    b = ReleaseFactory(author=second)
    assert a.pk // 2 != b.pk // 2
    age_everything()
    before = archive_facets()
    assert [x.key for x in before.authors] == [x.key for x in full_count().authors]
    # Save (no change to what is counted) the release of the author listed first.
    listed_first = before.authors[0].key
    (a if a.author.slug == listed_first else b).save()
    after = archive_facets()
    assert after.authors == before.authors


# -- 5. kept blocks outliving the settings they were counted under ----------------------


def test_kept_blocks_counted_with_another_block_size_are_not_merged(monkeypatch):
    """A deploy that changes BLOCK_IDS (Redis keeps the blocks across it)."""
    releases = archive()
    age_everything()
    archive_facets()  # blocks of 2
    monkeypatch.setattr(facets, "BLOCK_IDS", 4)
    releases[4].author = None
    releases[4].save()
    got, want = archive_facets(), full_count()
    assert (got.total, got.authors) == (want.total, want.authors)


def test_kept_blocks_counted_in_another_time_zone_are_not_merged():
    """TIME_ZONE is an environment setting: kept blocks' month keys are in the old
    zone, a partial recount's in the new one."""
    releases = archive()
    edge = ReleaseFactory(published_at=dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC))
    age_everything()
    with override_settings(TIME_ZONE="UTC"):
        archive_facets()
    with override_settings(TIME_ZONE="Europe/Paris"):
        other = next(r for r in releases if r.pk // 2 != edge.pk // 2)
        other.author = None
        other.save()
        got, want = archive_facets(), full_count()
        assert got.months == want.months


def test_blocks_kept_are_dataclass_instances():
    # sanity: the helpers above read what test_archive_facets reads
    archive()
    archive_facets()
    kept = cache.get(facets.blocks_key([]))
    assert dataclasses.is_dataclass(kept)
