"""What the tests of the facets kept per block share (``releases.facets``): blocks of 2
ids, so a handful of releases spans several; the full count to compare with; the
setup's writes made old, beyond the recount margin."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from releases import facets
from releases.facets import compute_facets
from releases.models import DataVersion, Release


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 2 ids, and an empty cache before and after."""
    monkeypatch.setattr(facets, "BLOCK_IDS", 2)
    cache.clear()
    yield
    cache.clear()


def full_count(now=None):
    """The facets of every release public at ``now``, counted in full."""
    return compute_facets(Release.objects.published(now))


def age_everything():
    """Every write so far two hours ago: only what is written next is within the
    recount margin."""
    long_ago = timezone.now() - dt.timedelta(hours=2)
    Release.objects.update(updated_at=long_ago)
    DataVersion.objects.update(changed_at=long_ago)
