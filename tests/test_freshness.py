from datetime import timedelta

import pytest
from django.utils import timezone

from releases.freshness import public_last_modified
from releases.models import Organization
from tests.factories import OrganizationFactory, ReleaseFactory


@pytest.mark.django_db
@pytest.mark.parametrize("with_organization", [True, False])
def test_a_scheduled_release_going_live_moves_the_stamp_without_any_write(with_organization):
    if with_organization:
        OrganizationFactory()
    now = timezone.now()
    ReleaseFactory(published_at=now - timedelta(days=3))
    goes_live = now + timedelta(hours=2)
    ReleaseFactory(published_at=goes_live)
    before = public_last_modified(now=now)
    assert before < goes_live
    assert public_last_modified(now=goes_live + timedelta(minutes=1)) == goes_live
    assert Organization.objects.exists() is with_organization


@pytest.mark.django_db
def test_an_embargo_lifting_moves_the_stamp():
    OrganizationFactory()
    now = timezone.now()
    lifts = now + timedelta(hours=1)
    ReleaseFactory(published_at=now - timedelta(days=1), embargoed_until=lifts)
    assert public_last_modified(now=now) < lifts
    assert public_last_modified(now=lifts + timedelta(seconds=1)) == lifts


@pytest.mark.django_db
def test_editing_an_organization_moves_the_stamp(django_assert_num_queries):
    organization = OrganizationFactory()
    ReleaseFactory(organizations=[organization])
    before = public_last_modified()
    organization.boilerplate = "New words."
    organization.save()
    with django_assert_num_queries(1):
        after = public_last_modified()
    assert after > before


@pytest.mark.django_db
def test_an_empty_newsroom_has_a_fixed_stamp():
    assert public_last_modified().year == 2000
