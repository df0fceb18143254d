"""Who may do what in the admin: anonymous, writer, editor, superuser.

Writers draft and submit for review; editors (``releases.publish_release``) also
publish, schedule, withdraw and change published releases. The admin hides what a
writer may not do, and the form and the services refuse it when asked anyway.
"""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from releases.admin import actions
from releases.forms import ReleaseAdminForm
from releases.models import Release, Status
from tests.factories import ReleaseFactory, UserFactory, ready_release, writer
from tests.test_admin import (
    ADD,
    CHANGELIST,
    change_url,
    messages_of,
    release_form_data,
    run_action,
)

pytestmark = pytest.mark.django_db

PUBLISHER_ACTIONS = {"publish_now", "schedule", "withdraw"}
EVERYONE_ACTIONS = {"submit_for_review", "return_to_draft", "duplicate"}


@pytest.fixture
def writer_client(client):
    client.force_login(writer())
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def action_names(response) -> set[str]:
    return {value for value, _ in response.context["action_form"].fields["action"].choices} - {""}


def future(**delta):
    return (timezone.now() + timedelta(**delta)).replace(second=0, microsecond=0)


# -- anonymous --------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["changelist", "add"])
def test_anonymous_is_sent_to_the_login_page(client, url_name):
    url = reverse(f"admin:releases_release_{url_name}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_cannot_open_or_post_a_release_change_form(client):
    release = ReleaseFactory(draft=True)
    assert client.get(change_url(release)).status_code == 302
    response = client.post(change_url(release), release_form_data(release, headline="Hacked"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    release.refresh_from_db()
    assert release.headline != "Hacked"


def test_anonymous_cannot_run_an_action(client):
    release = ReleaseFactory(draft=True)
    response = client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [release.pk]})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.DRAFT


# -- writer -----------------------------------------------------------------------


def test_writer_can_add_a_draft(writer_client):
    response = writer_client.post(ADD, release_form_data(status="draft"))
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.status == Status.DRAFT


def test_writer_can_edit_a_draft_and_submit_it_for_review(writer_client):
    release = ReleaseFactory(draft=True)
    assert writer_client.get(change_url(release)).status_code == 200
    response = writer_client.post(
        change_url(release), release_form_data(release, headline="Better", status="review")
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.headline, release.status) == ("Better", Status.REVIEW)


def test_writer_is_offered_only_draft_and_review_as_status(writer_client):
    release = ReleaseFactory(draft=True)
    form = writer_client.get(change_url(release)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "review"]
    assert "published_at" not in form.fields
    assert "embargoed_until" not in form.fields


def test_writer_cannot_publish_through_the_form(writer_client):
    release = ReleaseFactory(draft=True)
    response = writer_client.post(
        change_url(release),
        release_form_data(release, status="published", published_at=timezone.now()),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    release.refresh_from_db()
    assert (release.status, release.published_at) == (Status.DRAFT, None)


def test_writer_cannot_add_a_release_as_published(writer_client):
    response = writer_client.post(ADD, release_form_data(status="published"))
    assert response.status_code == 200
    assert not Release.objects.exists()


@pytest.mark.parametrize("status", ["published", "withdrawn"])
def test_the_form_refuses_a_writer_setting_status_times_or_embargo_with_clear_errors(status):
    release = ReleaseFactory(draft=True)
    data = {
        "headline": release.headline,
        "status": status,
        "language": "en",
        "published_at": timezone.now(),
        "embargoed_until": future(days=1),
    }
    form_class = type("WriterForm", (ReleaseAdminForm,), {"user": writer()})
    form = form_class(data, instance=release)
    # The choices are narrowed for writers; make the crafted value reach clean().
    form.fields["status"].choices = Status.choices
    assert not form.is_valid()
    assert "Only an editor can publish or withdraw" in form.errors["status"][0]
    assert "Only an editor can set the publication time" in form.errors["published_at"][0]
    assert "Only an editor can set the publication time" in form.errors["embargoed_until"][0]


def test_the_form_refuses_a_writer_changing_a_published_release():
    release = ReleaseFactory()
    form_class = type("WriterForm", (ReleaseAdminForm,), {"user": writer()})
    form = form_class({"headline": "Edited", "status": "draft", "language": "en"}, instance=release)
    assert not form.is_valid()
    assert "only an editor can change it" in form.non_field_errors()[0]


def test_writer_is_not_offered_the_publishing_actions(writer_client):
    ReleaseFactory(draft=True)
    names = action_names(writer_client.get(CHANGELIST))
    assert names >= EVERYONE_ACTIONS
    assert not names & PUBLISHER_ACTIONS


@pytest.mark.parametrize(
    ("action", "extra"),
    [
        ("publish_now", {"apply": "Publish now", "publish_anyway": "on"}),
        ("schedule", {"apply": "Schedule", "published_at": "2099-01-01T09:00"}),
        ("withdraw", {"apply": "Withdraw", "reason": "Because"}),
    ],
)
def test_writer_cannot_run_a_publishing_action_by_crafting_the_post(writer_client, action, extra):
    draft = ReleaseFactory(draft=True)
    published = ReleaseFactory()
    response = run_action(writer_client, action, [draft, published], **extra)
    assert response.status_code == 200
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, draft.published_at) == (Status.DRAFT, None)
    assert published.status == Status.PUBLISHED


@pytest.mark.parametrize("action", ["publish_now", "withdraw"])
def test_the_services_refuse_a_writer_even_if_an_action_were_reached(action):
    """The hidden actions are a courtesy; the service's check is the rule."""
    release = ReleaseFactory() if action == "withdraw" else ReleaseFactory(draft=True)
    # "apply" and "publish_anyway": past the confirmation page, to the service.
    request = RequestFactory().post(CHANGELIST, {"apply": "Apply", "publish_anyway": "on"})
    request.user = writer()
    request.session = {}
    request._messages = FallbackStorage(request)
    getattr(actions, action)(site.get_model_admin(Release), request, Release.objects.all())
    texts = [str(m) for m in request._messages]
    assert any("Only editors may publish" in t for t in texts), texts
    before = release.status
    release.refresh_from_db()
    assert release.status == before


def test_writer_cannot_take_a_published_release_back_to_draft(writer_client):
    release = ReleaseFactory(headline="Live")
    response = run_action(writer_client, "return_to_draft", [release])
    assert any("“Live” could not be returned to draft" in t for t in messages_of(response))
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED


@pytest.mark.parametrize("trait", ["published", "scheduled", "withdrawn"])
def test_writer_can_view_but_not_change_a_published_or_withdrawn_release(writer_client, trait):
    release = ReleaseFactory(**({} if trait == "published" else {trait: True}))
    page = writer_client.get(change_url(release))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert "headline" not in page.context["adminform"].form.fields
    response = writer_client.post(change_url(release), release_form_data(release, headline="X"))
    assert response.status_code == 403
    release.refresh_from_db()
    assert release.headline != "X"


def test_writer_can_duplicate_a_published_release_as_a_draft(writer_client):
    release = ReleaseFactory()
    run_action(writer_client, "duplicate", [release])
    copy = Release.objects.exclude(pk=release.pk).get()
    assert copy.status == Status.DRAFT


def test_writer_can_preview_a_draft_on_the_site(writer_client):
    draft = ReleaseFactory(draft=True)
    response = writer_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_writer_cannot_delete_a_release(writer_client):
    release = ReleaseFactory(draft=True)
    response = writer_client.post(
        reverse("admin:releases_release_delete", args=[release.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Release.objects.filter(pk=release.pk).exists()


# -- editor and superuser -----------------------------------------------------------


@pytest.fixture(params=["editor", "superuser"])
def publisher_client(request):
    return request.getfixturevalue(f"{request.param}_client")


def test_publisher_is_offered_every_action(publisher_client):
    ReleaseFactory(draft=True)
    names = action_names(publisher_client.get(CHANGELIST))
    assert names >= PUBLISHER_ACTIONS | EVERYONE_ACTIONS


def test_publisher_can_publish_through_the_form(publisher_client):
    release = ready_release(draft=True)
    response = publisher_client.post(
        change_url(release), release_form_data(release, status="published")
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.is_published


def test_publisher_can_set_an_embargo_and_reschedule_a_published_release(publisher_client):
    release = ReleaseFactory()
    when, embargo = future(days=2), future(days=3)
    response = publisher_client.post(
        change_url(release),
        release_form_data(release, published_at=when, embargoed_until=embargo),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.published_at, release.embargoed_until) == (when, embargo)
    assert release.state_label == "Embargoed"


def test_publisher_can_change_a_published_release(publisher_client):
    release = ReleaseFactory()
    response = publisher_client.post(
        change_url(release), release_form_data(release, headline="Corrected")
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.headline, release.status) == ("Corrected", Status.PUBLISHED)


@pytest.mark.parametrize(
    ("action", "extra", "expected"),
    [
        ("publish_now", {"apply": "Publish now"}, "Published"),
        ("schedule", {"apply": "Schedule", "published_at": "2099-01-01T09:00"}, "Scheduled"),
    ],
)
def test_publisher_can_run_the_publishing_actions(publisher_client, action, extra, expected):
    release = ready_release(draft=True)
    run_action(publisher_client, action, [release], **extra)
    release.refresh_from_db()
    assert release.state_label == expected


def test_publisher_can_withdraw(publisher_client):
    release = ReleaseFactory()
    run_action(publisher_client, "withdraw", [release], apply="Withdraw")
    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN


def test_editor_can_delete_a_release(editor_client):
    release = ReleaseFactory(draft=True)
    response = editor_client.post(
        reverse("admin:releases_release_delete", args=[release.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Release.objects.filter(pk=release.pk).exists()
