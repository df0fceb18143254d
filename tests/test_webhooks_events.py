"""Webhooks told by the real event sources (newsroom/events): the went-public sweep, a
save of a public release, a withdrawal, a deletion. Deliveries go to a local HTTP server
(tests/test_webhooks.py's ``Receiver``)."""

from __future__ import annotations

import json

import pytest

from newsroom.events.models import ReleaseEvent
from newsroom.events.publishing import sweep_went_public
from newsroom.events.signals import RELEASE_PUBLISHED, RELEASE_UPDATED, RELEASE_WITHDRAWN
from newsroom.webhooks.models import DeliveryStatus, WebhookDelivery
from releases.services import release_withdraw
from tests.factories import OrganizationFactory, ReleaseFactory, editor
from tests.test_webhooks import endpoint_for, receiver  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_a_release_s_life_reaches_its_organization_s_endpoint(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org], headline="Plant opens")
    ReleaseFactory(organizations=[org], scheduled=True)  # not public: never told

    with django_capture_on_commit_callbacks(execute=True):
        sweep_went_public()
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == [RELEASE_PUBLISHED]
    published = ReleaseEvent.objects.get(kind=RELEASE_PUBLISHED)
    assert json.loads(receiver.requests[0]["body"])["id"] == published.event_id

    release.headline = "Plant opens early"
    with django_capture_on_commit_callbacks(execute=True):
        release.save()
    updated = json.loads(receiver.requests[-1]["body"])
    assert updated["type"] == RELEASE_UPDATED
    assert updated["release"]["headline"] == "Plant opens early"

    with django_capture_on_commit_callbacks(execute=True):
        release_withdraw(release=release, user=editor(), reason="Wrong plant")
    withdrawn = json.loads(receiver.requests[-1]["body"])
    assert withdrawn["type"] == RELEASE_WITHDRAWN
    assert set(withdrawn["release"]) == {"id", "slug", "url"}

    assert len(receiver.requests) == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.SUCCEEDED
    }
    assert set(WebhookDelivery.objects.values_list("endpoint", flat=True)) == {endpoint.pk}


def test_deleting_a_public_release_tells_the_endpoints_that_knew_it(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    with django_capture_on_commit_callbacks(execute=True):
        sweep_went_public()
    release_pk, slug = release.pk, release.slug
    release = type(release).objects.get(pk=release_pk)  # loaded: its placement is known
    with django_capture_on_commit_callbacks(execute=True):
        release.delete()
    last = json.loads(receiver.requests[-1]["body"])
    assert last["type"] == RELEASE_WITHDRAWN
    assert last["release"]["id"] == release_pk and last["release"]["slug"] == slug


def test_back_to_draft_tells_a_withdrawals_only_endpoint(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """An endpoint subscribed to withdrawals only was never sent the publication; the
    event says the release was public (was_public), so its return to draft is told to it."""
    from releases.services import release_return_to_draft

    org = OrganizationFactory()
    endpoint_for(org, receiver.url(), events=[RELEASE_WITHDRAWN])
    release = ReleaseFactory(organizations=[org])
    with django_capture_on_commit_callbacks(execute=True):
        sweep_went_public()
    assert receiver.requests == []
    release = type(release).objects.get(pk=release.pk)
    with django_capture_on_commit_callbacks(execute=True):
        release_return_to_draft(release=release, user=editor())
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == [RELEASE_WITHDRAWN]
