"""Release events (newsroom/events): "went public" fired once per publication by the
sweep's database claim, "updated" and "withdrawn" from saves, each logged."""

import importlib
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
from releases.models import Release, Status
from tests.factories import OrganizationFactory, ReleaseFactory, editor


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
def test_the_archive_is_not_scanned_nor_fired(django_capture_on_commit_callbacks):
    """Public long ago and not saved within the window: no candidate."""
    old = timezone.now() - publishing.LOOKBACK - timedelta(hours=1)
    release = ReleaseFactory(published_at=old)
    Release.objects.filter(pk=release.pk).update(updated_at=old)
    assert sweep(django_capture_on_commit_callbacks) == []


@pytest.mark.django_db
def test_the_upgrade_records_a_baseline_so_a_first_sweep_fires_nothing(
    heard, django_capture_on_commit_callbacks
):
    """Migration 0002's data step on releases public before it, saved just now too."""
    from django.apps import apps

    migration = importlib.import_module("newsroom.events.migrations.0002_spells")
    public = [ReleaseFactory(), ReleaseFactory(published_at=timezone.now() - timedelta(days=30))]
    draft = ReleaseFactory(draft=True)
    scheduled = ReleaseFactory(scheduled=True)
    migration.number_spells_and_record_baseline(apps, connection.schema_editor())

    assert sweep(django_capture_on_commit_callbacks) == []
    assert heard == []
    baseline = ReleaseEvent.objects.filter(baseline=True)
    assert sorted(baseline.values_list("release_id", flat=True)) == sorted(r.pk for r in public)
    # Not public at the upgrade: told when they become public.
    with django_capture_on_commit_callbacks(execute=True):
        services.release_publish(release=Release.objects.get(pk=draft.pk), user=editor())
    fired = publishing.sweep_went_public(now=scheduled.published_at + timedelta(seconds=1))
    assert sorted(e.release_id for e in fired) == sorted([draft.pk, scheduled.pk])


@pytest.mark.django_db
def test_the_upgrade_numbers_the_publications_logged_before_it(django_capture_on_commit_callbacks):
    """Rows of migration 0001 had no spell; a moved time had logged a second one."""
    from django.apps import apps

    migration = importlib.import_module("newsroom.events.migrations.0002_spells")
    release = ReleaseFactory()
    at = release.published_at

    def logged(kind, **fields):
        fields = {"occurred_at": at, "public_since": at, **fields}
        return ReleaseEvent.objects.create(kind=kind, release_id=release.pk, **fields)

    first = logged(RELEASE_PUBLISHED)
    moved = logged(RELEASE_PUBLISHED, public_since=at - timedelta(minutes=5))
    withdrawn = ReleaseEvent.objects.create(
        kind=RELEASE_WITHDRAWN, release_id=release.pk, occurred_at=at
    )
    again = logged(RELEASE_PUBLISHED)
    migration.number_spells_and_record_baseline(apps, connection.schema_editor())

    spells = dict(ReleaseEvent.objects.values_list("pk", "spell"))
    assert [spells[e.pk] for e in (first, moved, again)] == [0, None, withdrawn.pk]
    assert not ReleaseEvent.objects.filter(baseline=True).exists()  # its spell is told
    assert sweep(django_capture_on_commit_callbacks) == []


@pytest.mark.django_db
def test_made_public_with_a_time_long_past_is_told(heard, django_capture_on_commit_callbacks):
    """A save that makes a release public with a publication time before the window."""
    release = Release.objects.get(pk=ReleaseFactory(draft=True).pk)
    release.status = Status.PUBLISHED
    release.published_at = timezone.now() - timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        release.save()

    [event] = sweep(django_capture_on_commit_callbacks)
    assert event.release_id == release.pk
    assert sweep(django_capture_on_commit_callbacks) == []
    assert [c["kind"] for c in heard] == [RELEASE_PUBLISHED]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "shift", [timedelta(minutes=-5), timedelta(minutes=5), timedelta(days=-20)]
)
def test_moving_the_time_of_a_public_release_is_not_a_new_publication(
    heard, django_capture_on_commit_callbacks, shift
):
    release = ReleaseFactory(published_at=timezone.now() - timedelta(hours=2))
    sweep(django_capture_on_commit_callbacks)
    release = Release.objects.get(pk=release.pk)
    release.published_at += shift  # still in the past: public throughout
    with django_capture_on_commit_callbacks(execute=True):
        release.save()
    assert sweep(django_capture_on_commit_callbacks) == []
    assert [c["kind"] for c in heard] == [RELEASE_PUBLISHED, RELEASE_UPDATED]


@pytest.mark.django_db
@pytest.mark.parametrize("leave", ["reschedule", "embargo", "review"])
def test_leaving_public_view_and_coming_back_is_a_new_publication(
    heard, django_capture_on_commit_callbacks, leave
):
    release = ReleaseFactory()
    sweep(django_capture_on_commit_callbacks)
    release = Release.objects.get(pk=release.pk)
    back = timezone.now() + timedelta(hours=1)
    if leave == "reschedule":
        release.published_at = back
    elif leave == "embargo":
        release.embargoed_until = back
    else:
        release.status = Status.REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        release.save()
    assert sweep(django_capture_on_commit_callbacks) == []
    if leave == "review":
        release.status = Status.PUBLISHED
        with django_capture_on_commit_callbacks(execute=True):
            release.save()  # back with its old, past time
        [again] = sweep(django_capture_on_commit_callbacks)
    else:
        with django_capture_on_commit_callbacks(execute=True):
            [again] = publishing.sweep_went_public(now=back + timedelta(seconds=1))
    assert publishing.sweep_went_public(now=back + timedelta(seconds=2)) == []

    assert [c["kind"] for c in heard] == [RELEASE_PUBLISHED, RELEASE_WITHDRAWN, RELEASE_PUBLISHED]
    assert again.spell == ReleaseEvent.objects.get(kind=RELEASE_WITHDRAWN).pk


@pytest.mark.django_db
def test_every_event_says_was_public_and_the_organizations(
    heard, django_capture_on_commit_callbacks
):
    first, second = OrganizationFactory(), OrganizationFactory()
    release = ReleaseFactory(organizations=[second, first])
    deleted = Release.objects.get(pk=ReleaseFactory(organizations=[first]).pk)
    deleted_id = deleted.pk
    sweep(django_capture_on_commit_callbacks)
    release = Release.objects.get(pk=release.pk)
    release.headline = "Changed"
    with django_capture_on_commit_callbacks(execute=True):
        release.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(release=release, user=editor(), reason="Recalled")
    with django_capture_on_commit_callbacks(execute=True):
        deleted.delete()

    told = [(c["kind"], c["release_id"], c["was_public"], c["organization_ids"]) for c in heard]
    assert told == [
        (RELEASE_PUBLISHED, release.pk, True, [second.pk, first.pk]),
        (RELEASE_PUBLISHED, deleted_id, True, [first.pk]),
        (RELEASE_UPDATED, release.pk, True, [second.pk, first.pk]),
        (RELEASE_WITHDRAWN, release.pk, True, [second.pk, first.pk]),
        (RELEASE_WITHDRAWN, deleted_id, True, [first.pk]),  # read before the delete
    ]


@pytest.mark.django_db
def test_saving_without_a_change_a_reader_sees_tells_nothing(
    heard, django_capture_on_commit_callbacks
):
    release = Release.objects.get(pk=ReleaseFactory().pk)
    with django_capture_on_commit_callbacks(execute=True):
        release.save()
        release.save(update_fields=["headline", "body"])
        Release.objects.get(pk=release.pk).save()
    assert heard == []

    release.summary = "A corrected lede."
    with django_capture_on_commit_callbacks(execute=True):
        release.save(update_fields=["headline"])  # the change is not written
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        release.save()
    assert [c["kind"] for c in heard] == [RELEASE_UPDATED]


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
def test_the_hooks_add_one_read_to_a_save_of_a_public_release(django_capture_on_commit_callbacks):
    """One SELECT of the stored row (what changed); events are written after the commit."""
    release = Release.objects.get(pk=ReleaseFactory().pk)
    draft = Release.objects.get(pk=ReleaseFactory(draft=True).pk)
    release_event.receivers, saved = [], release_event.receivers
    try:
        with CaptureQueriesContext(connection) as on_draft:
            draft.save()
        release.headline = "Changed"
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=False) as callbacks,
        ):
            release.save()
        with CaptureQueriesContext(connection) as unhooked:
            release_event_hooks(False)
            try:
                Release.objects.get(pk=release.pk).save()
            finally:
                release_event_hooks(True)
    finally:
        release_event.receivers = saved
    assert not any("events_" in q["sql"] for q in queries.captured_queries)
    assert not any("events_" in q["sql"] for q in on_draft.captured_queries)
    # the same save without the hooks: one query less (the load above is one more)
    assert len(queries.captured_queries) == len(unhooked.captured_queries)
    # the event, logged and told after the commit:
    assert [c for c in callbacks if "_updated" in getattr(c, "__qualname__", "")]


def release_event_hooks(on: bool) -> None:
    from django.db.models.signals import pre_save

    from newsroom.events import receivers

    if on:
        pre_save.connect(
            receivers._before_save, sender=Release, dispatch_uid="events_release_before_save"
        )
    else:
        pre_save.disconnect(sender=Release, dispatch_uid="events_release_before_save")


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
    assert publishing.claim_published(candidate) is not None
    assert publishing.claim_published(candidate) is None
    assert ReleaseEvent.objects.filter(release_id=release.pk).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("leave", ["withdraw", "review"])
def test_a_spell_that_ended_since_the_sweep_found_it_is_not_claimed(
    heard, django_capture_on_commit_callbacks, leave
):
    release = ReleaseFactory()
    [candidate] = publishing.went_public_unclaimed()
    changed = Release.objects.get(pk=release.pk)
    with django_capture_on_commit_callbacks(execute=True):
        if leave == "withdraw":
            services.release_withdraw(release=changed, user=editor(), reason="Recalled")
        else:
            services.release_return_to_draft(release=changed, user=editor())
    assert publishing.claim_published(candidate) is None
    assert [c["kind"] for c in heard] == [RELEASE_WITHDRAWN]


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
