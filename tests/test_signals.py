"""The services tell other apps what happened, through ``releases.signals``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from releases import services
from releases.signals import release_action, send_release_action
from tests.factories import ReleaseFactory, editor, writer

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events = []

    def receiver(sender, release, user, action, note, **kwargs):
        events.append((release.pk, user, action, note))

    release_action.connect(receiver)
    yield events
    release_action.disconnect(receiver)


def test_each_service_sends_its_action_with_who_and_why(heard):
    boss, author = editor(), writer()
    draft = ReleaseFactory(draft=True)

    services.release_submit_for_review(release=draft, user=author)
    services.release_publish(release=draft, user=boss)
    services.release_withdraw(release=draft, user=boss, reason="Wrong figures")
    later = ReleaseFactory(draft=True)
    services.release_schedule(release=later, user=boss, at=timezone.now() + timedelta(days=1))
    services.release_return_to_draft(release=later, user=boss)
    copy = services.release_duplicate(release=later, user=author)

    assert heard == [
        (draft.pk, author, "submit", ""),
        (draft.pk, boss, "publish", ""),
        (draft.pk, boss, "withdraw", "Wrong figures"),
        (later.pk, boss, "schedule", ""),
        (later.pk, boss, "unpublish", ""),
        (copy.pk, author, "duplicate", str(later.pk)),
    ]


def test_returning_a_draft_in_review_to_draft_is_no_unpublish(heard):
    release = ReleaseFactory(in_review=True)

    services.release_return_to_draft(release=release, user=writer())

    assert heard == []


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="Unknown release action 'publsh'"):
        send_release_action(release=ReleaseFactory(), user=None, action="publsh")
