"""Facets shown stale (the previous version's, while the new ones are counted) never
name a release taken out of public view since they were counted, and a list whose
releases lie in one block is recounted by its first reader, not shown stale
(``releases.facets.cached_facets``). Found by trying."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from releases import facets
from releases.facets import cached_facets, compute_facets
from releases.freshness import public_last_modified
from releases.models import Release, Status
from tests.facet_blocks import (
    age_everything,
    small_blocks,  # noqa: F401 - the fixture, used by name
)
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_blocks")]


def archive(count=6):
    orgs = [OrganizationFactory(name=n) for n in ("Alpha Lab", "Beta Port")]
    now = timezone.now()
    releases = [
        ReleaseFactory(
            published_at=now - dt.timedelta(days=40 * n + 1),
            organizations=orgs[n % 2 : n % 2 + 1],
            author=AuthorFactory(name=f"Writer {n}"),
            tags=["energy"],
        )
        for n in range(count)
    ]
    secret = ReleaseFactory(
        published_at=now - dt.timedelta(days=3),
        organizations=[OrganizationFactory(name="Secret Merger Partner")],
        author=AuthorFactory(name="Whistle Blower"),
        tags=["energy", "secret-merger"],
    )
    age_everything()
    return releases, secret


def leaks(found) -> list[str]:
    names = [i.label for i in (*found.tags, *found.organizations, *found.authors)]
    return [n for n in names if n in ("secret-merger", "Secret Merger Partner", "Whistle Blower")]


@pytest.fixture
def in_background(settings, monkeypatch):
    settings.NEWSROOM_FACETS_IN_BACKGROUND = True
    monkeypatch.setattr(facets, "_refresh_in_background", lambda *a, **k: None)


@pytest.mark.parametrize("takedown", ["delete", "withdraw", "draft"])
def test_a_reader_after_a_takedown_is_shown_nothing_of_the_release_taken_down(
    client, in_background, takedown
):
    """The home page read, then a public release taken down: the next reader (the
    claimant after a delete, a concurrent reader after a withdrawal) must not get the
    previous version's facets, which name the release's tag, organization and author."""
    _, secret = archive()
    assert "secret-merger" in client.get("/").content.decode()
    if takedown == "delete":
        secret.delete()
    elif takedown == "withdraw":
        secret.status, secret.withdrawn_at = Status.WITHDRAWN, timezone.now()
        secret.save()
    else:
        secret.status = Status.DRAFT
        secret.save()
    version = public_last_modified()
    # Another request is recounting this version (it holds the claim) as this one reads.
    key = f"facets:{facets.etag_for(version.isoformat(), facets.WHOLE_ARCHIVE)}"
    if takedown != "delete":
        cache.add(f"{key}:claim", 1, facets.CLAIM_SECONDS)
    body = client.get("/").content.decode()
    assert "secret-merger" not in body
    assert "Secret Merger Partner" not in body
    found = cached_facets(Release.objects.published(), version=version)
    assert leaks(found) == []
    assert found == compute_facets(Release.objects.published())


@pytest.mark.parametrize("block_ids", [2, 4096])
def test_the_first_reader_after_an_edit_of_a_one_block_list_gets_current_counts(
    settings, monkeypatch, block_ids
):
    """A list whose releases all lie in one block (every list of a site with fewer than
    4,096 releases; a small tag's list anywhere): an edit changes that one block, which
    its first reader recounts itself (it is not "most of the blocks", a full count)."""
    monkeypatch.setattr(facets, "BLOCK_IDS", block_ids)
    settings.NEWSROOM_FACETS_IN_BACKGROUND = True

    def no_thread(*args, **kwargs):
        raise AssertionError("recounted in a thread, the claimant shown stale counts")

    monkeypatch.setattr(facets, "_refresh_in_background", no_thread)
    archive()
    ReleaseFactory(tags=["small"], author=None, published_at=timezone.now() - dt.timedelta(days=1))
    small = Release.objects.filter(tags__slug="small").get()
    if block_ids == 2:
        small.tags.add("tiny")  # the one release of "tiny": one block
    byline = AuthorFactory(name="New Byline")
    age_everything()
    filters = [("tag", "tiny")] if block_ids == 2 else []
    queryset = (
        (lambda: Release.objects.published().filter(tags__slug="tiny"))
        if block_ids == 2
        else Release.objects.published
    )
    selected = ["tiny"] if block_ids == 2 else []
    version = timezone.now()
    cached_facets(queryset(), version=version, filters=filters, selected_tags=selected)
    small.author = byline  # an existing author: the one write is the release's row
    small.save()
    found = cached_facets(
        queryset(),
        version=version + dt.timedelta(seconds=1),
        filters=filters,
        selected_tags=selected,
    )
    assert not found.stale
    assert found == compute_facets(queryset(), selected_tags=selected)
