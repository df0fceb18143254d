"""Review (issue 8): a writer submits with a note, an editor sends back with a comment or
approves (publish now or schedule); the release keeps the thread, who and when.

Services first (the rule), then the admin pages (writer / editor / anonymous).
"""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from releases.models import ReviewNote, Status
from releases.services import release_approve, release_send_back, release_submit_for_review
from releases.signals import release_action
from tests.factories import ReleaseFactory, editor, ready_release, writer

pytestmark = pytest.mark.django_db


def review_url(release, step, **query):
    url = reverse("admin:releases_release_review", args=[release.pk, step])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


@pytest.fixture
def actions():
    seen = []

    def receiver(sender, release, user, action, note, **kwargs):
        seen.append((action, note))

    release_action.connect(receiver)
    yield seen
    release_action.disconnect(receiver)


def thread_of(release):
    return [(n.kind, n.text) for n in ReviewNote.objects.filter(release=release)]


# -- services -----------------------------------------------------------------------


def test_submitting_with_a_note_starts_the_thread(actions):
    author = writer()
    release = ReleaseFactory(draft=True)
    release_submit_for_review(release=release, user=author, note="  Please check the figures. ")
    release.refresh_from_db()
    assert release.status == Status.REVIEW
    note = ReviewNote.objects.get(release=release)
    assert (note.kind, note.text, note.author) == ("submitted", "Please check the figures.", author)
    assert actions == [("submit", "Please check the figures.")]


def test_sending_back_returns_the_release_to_draft_with_the_comment(actions):
    release = ReleaseFactory(in_review=True)
    release_send_back(release=release, user=editor(), comment="Add a quote from the CEO.")
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert thread_of(release) == [("sent_back", "Add a quote from the CEO.")]
    assert actions == [("send_back", "Add a quote from the CEO.")]


def test_sending_back_needs_a_comment():
    release = ReleaseFactory(in_review=True)
    with pytest.raises(ValidationError, match="Say what must change"):
        release_send_back(release=release, user=editor(), comment="   ")
    release.refresh_from_db()
    assert release.status == Status.REVIEW
    assert thread_of(release) == []


def test_only_a_release_in_review_can_be_sent_back_or_approved():
    draft = ReleaseFactory(draft=True)
    with pytest.raises(ValidationError):
        release_send_back(release=draft, user=editor(), comment="No.")
    with pytest.raises(ValidationError):
        release_approve(release=draft, user=editor())


def test_approving_without_a_time_publishes_now(actions):
    release = ReleaseFactory(in_review=True)
    before = timezone.now()
    release_approve(release=release, user=editor())
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert before <= release.published_at <= timezone.now()
    assert release.is_published
    assert thread_of(release) == [("approved", "Approved and published.")]
    assert actions == [("approve", "approved and published")]


def test_approving_with_a_future_time_schedules(actions):
    release = ReleaseFactory(in_review=True)
    when = timezone.now() + timedelta(days=1)
    release_approve(release=release, user=editor(), at=when)
    release.refresh_from_db()
    assert (release.status, release.published_at, release.is_published) == (
        Status.PUBLISHED,
        when,
        False,
    )
    assert actions == [("approve", "approved and scheduled")]


@pytest.mark.parametrize("decide", ["approve", "send_back"])
def test_a_writer_cannot_approve_or_send_back(decide):
    release = ReleaseFactory(in_review=True)
    with pytest.raises(PermissionDenied):
        if decide == "approve":
            release_approve(release=release, user=writer())
        else:
            release_send_back(release=release, user=writer(), comment="No.")
    release.refresh_from_db()
    assert release.status == Status.REVIEW


def test_the_thread_keeps_every_round_in_order():
    author, boss = writer(), editor()
    release = ReleaseFactory(draft=True)
    release_submit_for_review(release=release, user=author, note="First go.")
    release_send_back(release=release, user=boss, comment="Shorter headline.")
    release_submit_for_review(release=release, user=author, note="Shortened.")
    release_approve(release=release, user=boss)
    notes = list(ReviewNote.objects.filter(release=release))
    assert [(n.kind, n.author) for n in notes] == [
        ("submitted", author),
        ("sent_back", boss),
        ("submitted", author),
        ("approved", boss),
    ]
    assert [n.created_at for n in notes] == sorted(n.created_at for n in notes)


# -- admin: the writer's side --------------------------------------------------------


def test_writer_submits_with_a_note_from_the_change_form(client):
    author = writer()
    client.force_login(author)
    release = ReleaseFactory(draft=True, created_by=author)
    form = client.get(change_url(release)).content.decode()
    assert review_url(release, "submit") in form
    assert review_url(release, "approve") not in form

    response = client.post(review_url(release, "submit"), {"note": "Ready, I think."})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.REVIEW
    assert thread_of(release) == [("submitted", "Ready, I think.")]
    assert LogEntry.objects.filter(object_id=str(release.pk)).exists()


def test_writer_sees_the_comment_a_draft_came_back_with_on_the_draft(client):
    author = writer()
    release = ReleaseFactory(draft=True, created_by=author)
    release_submit_for_review(release=release, user=author)
    release_send_back(release=release, user=editor(), comment="Check the <b>dateline</b>.")
    client.force_login(author)
    page = client.get(change_url(release)).content.decode()
    assert 'class="messagelist review-came-back"' in page
    assert "Check the &lt;b&gt;dateline&lt;/b&gt;." in page
    assert "<b>dateline</b>" not in page


def test_the_came_back_comment_goes_once_the_draft_is_resubmitted(client):
    author = writer()
    release = ReleaseFactory(draft=True, created_by=author)
    release_submit_for_review(release=release, user=author)
    release_send_back(release=release, user=editor(), comment="Fix the lede.")
    client.force_login(author)
    client.post(review_url(release, "submit"), {"note": "Lede fixed."})
    release.refresh_from_db()
    assert release.status == Status.REVIEW
    page = client.get(change_url(release)).content.decode()
    assert "review-came-back" not in page
    assert "Fix the lede." in page  # still in the thread
    assert "Lede fixed." in page


def test_the_thread_on_the_change_form_is_escaped_and_oldest_first(client):
    author, boss = writer(), editor()
    release = ReleaseFactory(draft=True)
    release_submit_for_review(release=release, user=author, note="<script>alert(1)</script>")
    release_send_back(release=release, user=boss, comment="Second word")
    client.force_login(boss)
    page = client.get(change_url(release)).content.decode()
    assert "<script>alert(1)</script>" not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    thread = page[page.index('class="module review-thread"') :]
    assert escaped in thread
    assert thread.index(escaped) < thread.index("Second word")


@pytest.mark.parametrize("step", ["approve", "send-back", "publish", "withdraw"])
def test_a_writer_gets_403_on_the_editors_pages(client, step):
    release = ReleaseFactory(in_review=True)
    client.force_login(writer())
    assert client.get(review_url(release, step)).status_code == 403
    data = {"comment": "x", "reason": "x", "publish_anyway": "on"}
    assert client.post(review_url(release, step), data).status_code == 403
    release.refresh_from_db()
    assert release.status == Status.REVIEW


@pytest.mark.parametrize("step", ["submit", "approve", "send-back", "publish", "withdraw"])
def test_anonymous_users_are_sent_to_the_login_page(client, step):
    release = ReleaseFactory(in_review=True)
    response = client.post(review_url(release, step), {"comment": "x", "reason": "x"})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    release.refresh_from_db()
    assert (release.status, thread_of(release)) == (Status.REVIEW, [])


def test_an_unknown_step_or_release_is_404(client):
    client.force_login(editor())
    release = ReleaseFactory(in_review=True)
    assert client.get(review_url(release, "nonsense")).status_code == 404
    missing = reverse("admin:releases_release_review", args=[999999, "approve"])
    assert client.get(missing).status_code == 404


# -- admin: the editor's side --------------------------------------------------------


def test_editor_sees_approve_and_send_back_on_a_release_in_review(client):
    client.force_login(editor())
    release = ReleaseFactory(in_review=True)
    page = client.get(change_url(release)).content.decode()
    assert review_url(release, "approve") in page
    assert "Approve and schedule" in page
    assert review_url(release, "send-back") in page


def test_editor_sends_back_with_a_comment(client):
    client.force_login(editor())
    release = ReleaseFactory(in_review=True)
    response = client.post(review_url(release, "send-back"), {"comment": "Needs a contact."})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert thread_of(release) == [("sent_back", "Needs a contact.")]


def test_sending_back_without_a_comment_is_a_form_error(client):
    client.force_login(editor())
    release = ReleaseFactory(in_review=True)
    response = client.post(review_url(release, "send-back"), {"comment": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    release.refresh_from_db()
    assert release.status == Status.REVIEW


def test_editor_approves_and_publishes(client):
    client.force_login(editor())
    release = ready_release(in_review=True)
    response = client.post(review_url(release, "approve"), {"published_at": ""}, follow=True)
    release.refresh_from_db()
    assert release.is_published
    assert f"“{release.headline}” published; public now." in [
        str(m) for m in response.context["messages"]
    ]
    assert client.get(release.get_absolute_url()).status_code == 200


def test_editor_approves_and_schedules(client):
    client.force_login(editor())
    release = ready_release(in_review=True)
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    client.post(
        review_url(release, "approve", schedule=1),
        {"published_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    release.refresh_from_db()
    assert (release.status, release.published_at, release.state_label) == (
        Status.PUBLISHED,
        when,
        "Scheduled",
    )


def test_approve_and_schedule_needs_a_future_time(client):
    client.force_login(editor())
    release = ready_release(in_review=True)
    response = client.post(review_url(release, "approve", schedule=1), {"published_at": ""})
    assert response.status_code == 200
    past = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(review_url(release, "approve", schedule=1), {"published_at": past})
    assert "Pick a time in the future" in response.content.decode()
    release.refresh_from_db()
    assert release.status == Status.REVIEW


def test_a_step_that_does_not_apply_says_so_and_changes_nothing(client):
    client.force_login(editor())
    release = ReleaseFactory(draft=True)
    response = client.post(review_url(release, "approve"), {}, follow=True)
    assert "does not apply" in " ".join(str(m) for m in response.context["messages"])
    release.refresh_from_db()
    assert release.status == Status.DRAFT


# -- withdrawal asks for the reason first -------------------------------------------


def test_withdrawing_from_the_change_form_asks_for_a_reason_first(client):
    client.force_login(editor())
    release = ReleaseFactory()
    assert review_url(release, "withdraw") in client.get(change_url(release)).content.decode()
    page = client.get(review_url(release, "withdraw"))
    assert page.status_code == 200
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED

    response = client.post(review_url(release, "withdraw"), {"reason": ""})
    assert "This field is required." in response.content.decode()
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED

    client.post(review_url(release, "withdraw"), {"reason": "Wrong figures."})
    release.refresh_from_db()
    assert (release.status, release.withdrawal_reason) == (Status.WITHDRAWN, "Wrong figures.")
