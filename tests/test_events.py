"""Release events (newsroom/events): "went public" fired once per publication by the
sweep's database claim, "updated" and "withdrawn" from saves, each logged."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.events import publishing
from newsroom.events.models import ReleaseEvent
from newsroom.events.signals import (
    RELEASE_PUBLISHED,
    RELEASE_UPDATED,
    RELEASE_WITHDRAWN,
    release_event,
)
from releases import services
from releases.models import Release
from tests.factories import ReleaseFactory, editor


@pytest.fixture
def heard():
    """The ``release_event`` calls receivers got: a list of their keyword arguments."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    release_event.connect(receiver, dispatch_uid="test_events_heard")
    yield calls
    release_event.disconnect(dispatch_uid="test_events_heard")


def sweep(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publishing.sweep_went_public()


@pytest.mark.django_db
def test_a_release_that_became_public_is_told_once(heard, django_capture_on_commit_callbacks):
    release = ReleaseFactory()
    ReleaseFactory(scheduled=True)
    ReleaseFactory(embargoed=True)
    ReleaseFactory(draft=True)

    [event] = sweep(django_capture_on_commit_callbacks)
    assert sweep(django_capture_on_commit_callbacks) == []

    assert [(c["kind"], c["release_id"]) for c in heard] == [(RELEASE_PUBLISHED, release.pk)]
    assert heard[0]["event_id"] == event.event_id
    assert heard[0]["occurred_at"] == release.published_at
    assert ReleaseEvent.objects.get().public_since == release.published_at


@pytest.mark.django_db
def test_embargo_lift_and_scheduled_time_are_noticed_when_they_pass(
    heard, django_capture_on_commit_callbacks
):
    later = timezone.now() + timedelta(hours=1)
    embargoed = ReleaseFactory(embargoed_until=later)
    scheduled = ReleaseFactory(published_at=later)
    assert sweep(django_capture_on_commit_callbacks) == []

    fired = publishing.sweep_went_public(now=later + timedelta(seconds=1))

    assert sorted(e.release_id for e in fired) == sorted([embargoed.pk, scheduled.pk])
    assert {e.public_since for e in fired} == {later}


@pytest.mark.django_db
def test_unpublished_and_published_again_is_a_new_publication(
    heard, django_capture_on_commit_callbacks
):
    release = ReleaseFactory()
    sweep(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.release_return_to_draft(release=release, user=editor())
    release.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.release_publish(release=release, user=editor())
    sweep(django_capture_on_commit_callbacks)

    assert [c["kind"] for c in heard] == [RELEASE_PUBLISHED, RELEASE_WITHDRAWN, RELEASE_PUBLISHED]
    assert len({c["event_id"] for c in heard}) == 3
    assert ReleaseEvent.objects.filter(kind=RELEASE_PUBLISHED).count() == 2


@pytest.mark.django_db
def test_old_publications_are_not_fired_on_a_first_sweep(django_capture_on_commit_callbacks):
    ReleaseFactory(published_at=timezone.now() - publishing.LOOKBACK - timedelta(hours=1))
    assert sweep(django_capture_on_commit_callbacks) == []


@pytest.mark.django_db
def test_saving_a_public_release_tells_updated_after_commit(
    heard, django_capture_on_commit_callbacks
):
    release = Release.objects.get(pk=ReleaseFactory().pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        release.headline = "Harbour reopens, corrected"
        release.save()
        release.save()  # one event per transaction
        assert heard == []  # not before the commit
    for callback in callbacks:
        callback()

    [call] = heard
    assert (call["kind"], call["release_id"]) == (RELEASE_UPDATED, release.pk)
    event = ReleaseEvent.objects.get(event_id=call["event_id"])
    assert event.headline == "Harbour reopens, corrected"


@pytest.mark.django_db
def test_saving_a_draft_or_scheduled_release_tells_nothing(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for release in (ReleaseFactory(draft=True), ReleaseFactory(scheduled=True)):
            release = Release.objects.get(pk=release.pk)
            release.headline = "Changed"
            release.save()
    assert heard == []


@pytest.mark.django_db
def test_withdrawing_or_deleting_a_public_release_tells_withdrawn(
    heard, django_capture_on_commit_callbacks
):
    withdrawn = Release.objects.get(pk=ReleaseFactory().pk)
    deleted = Release.objects.get(pk=ReleaseFactory().pk)
    deleted_id = deleted.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(release=withdrawn, user=editor(), reason="Recalled")
    with django_capture_on_commit_callbacks(execute=True):
        deleted.delete()

    assert [(c["kind"], c["release_id"]) for c in heard] == [
        (RELEASE_WITHDRAWN, withdrawn.pk),
        (RELEASE_WITHDRAWN, deleted_id),
    ]


@pytest.mark.django_db
def test_the_hooks_add_no_query_to_a_save(django_capture_on_commit_callbacks):
    release = Release.objects.get(pk=ReleaseFactory().pk)
    release_event.receivers, saved = [], release_event.receivers
    try:
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=False) as callbacks,
        ):
            release.save()
    finally:
        release_event.receivers = saved
    assert not any("events_" in q["sql"] for q in queries.captured_queries)
    # the event, logged and told after the commit:
    assert [c for c in callbacks if "_after_commit" in getattr(c, "__qualname__", "")]


@pytest.mark.django_db
def test_a_failing_receiver_does_not_stop_the_others(heard, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("receiver down")

    release_event.connect(broken, dispatch_uid="test_events_broken")
    try:
        ReleaseFactory()
        sweep(django_capture_on_commit_callbacks)
    finally:
        release_event.disconnect(dispatch_uid="test_events_broken")
    assert len(heard) == 1


@pytest.mark.django_db(transaction=True)
def test_sweeps_running_at_once_fire_each_publication_once(heard):
    """Real threads, each with its own database connection (SQLite or PostgreSQL).

    SQLite's in-memory test database shares one cache between connections, where a read
    that meets another's write fails at once ("database table is locked") instead of
    waiting as a file database does: such a sweep stopped before or at a claim (the claim
    is its own transaction), and is run again, as the next beat would."""
    releases = [ReleaseFactory() for _ in range(5)]
    workers = 4
    start = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            start.wait()
            for _ in range(100):
                try:
                    results.append(publishing.sweep_went_public())
                    break
                except OperationalError as error:
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    time.sleep(0.01)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    # Told once each (a sweep that failed after some claims told those before failing).
    assert sorted(c["release_id"] for c in heard) == sorted(r.pk for r in releases)
    fired = [event.release_id for result in results for event in result]
    assert len(fired) == len(set(fired))
    assert ReleaseEvent.objects.filter(kind=RELEASE_PUBLISHED).count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_claim_inserted_first_elsewhere_wins(heard):
    """The claim itself: an insert racing a committed one gets nothing, fires nothing."""
    release = ReleaseFactory()
    [candidate] = publishing.went_public_unclaimed()
    assert publishing.claim_published(candidate, candidate.public_since) is not None
    assert publishing.claim_published(candidate, candidate.public_since) is None
    assert ReleaseEvent.objects.filter(release_id=release.pk).count() == 1


@pytest.mark.django_db
def test_the_event_log_and_outbox_are_read_only_in_the_admin(admin_client):
    from newsroom.events.models import OutboxTask

    ReleaseEvent.objects.create(
        kind=RELEASE_UPDATED, release_id=7, headline="<b>Harbour</b>", occurred_at=timezone.now()
    )
    OutboxTask.objects.create(
        task_name="newsroom.events.send_email", kwargs={"message": {"body": "secret-token"}}
    )

    log = admin_client.get("/admin/events/releaseevent/")
    assert log.status_code == 200
    assert "&lt;b&gt;Harbour&lt;/b&gt;" in log.content.decode()
    assert admin_client.get("/admin/events/releaseevent/add/").status_code == 403
    event = ReleaseEvent.objects.get()
    assert admin_client.post(f"/admin/events/releaseevent/{event.pk}/delete/").status_code == 403

    row = OutboxTask.objects.get()
    page = admin_client.get(f"/admin/events/outboxtask/{row.pk}/change/")
    assert page.status_code == 200
    assert "secret-token" not in page.content.decode()  # what an e-mail link carries
