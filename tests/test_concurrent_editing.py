"""Two people editing the same release: the second save is refused, loses nothing and
shows what the first changed (releases.revisions.concurrency)."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from releases.models import Release
from releases.services import release_publish
from tests.factories import ReleaseFactory, editor, writer
from tests.test_admin import change_url, release_form_data

pytestmark = pytest.mark.django_db
OPENED = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_form(client, release) -> dict:
    """The change form as loaded by ``client``: its POST data with the hidden version."""
    form = client.get(change_url(release)).context["adminform"].form
    release.refresh_from_db()
    data = release_form_data(release)
    data["opened_version"] = form["opened_version"].value()
    data["opened_revision"] = form["opened_revision"].value() or ""
    return data


@pytest.fixture
def draft():
    return ReleaseFactory(draft=True, headline="Council opens library", summary="Old lede.")


def test_the_second_of_two_editors_saving_is_refused_with_the_others_changes(draft):
    first, second = logged_in(editor(username="ada")), logged_in(editor(username="bob"))
    first_data, second_data = open_form(first, draft), open_form(second, draft)

    first_data["headline"] = "Council opens new library"
    assert first.post(change_url(draft), first_data).status_code == 302
    second_data["summary"] = "Bob's careful lede."
    response = second.post(change_url(draft), second_data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.edit_conflict is not None
    assert "ada saved this release" in " ".join(form.non_field_errors())
    html = response.content.decode()
    assert "Council opens <ins>new </ins>library" in html  # the other’s change, as a diff
    assert "Bob&#x27;s careful lede." in html  # the second person's input is kept
    draft.refresh_from_db()
    assert (draft.headline, draft.summary) == ("Council opens new library", "Old lede.")


def test_saving_again_after_seeing_the_conflict_goes_through(draft):
    first, second = logged_in(editor()), logged_in(writer())
    first_data, second_data = open_form(first, draft), open_form(second, draft)
    first_data["headline"] = "Council opens new library"
    first.post(change_url(draft), first_data)
    second_data["summary"] = "A writer's lede."
    refused = second.post(change_url(draft), second_data)
    form = refused.context["adminform"].form
    second_data["opened_version"] = form["opened_version"].value()
    second_data["opened_revision"] = form["opened_revision"].value()

    assert second.post(change_url(draft), second_data).status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "A writer's lede."


def test_a_save_after_a_service_action_is_refused_but_the_action_was_not_blocked(draft):
    the_editor = editor()
    client = logged_in(the_editor)
    data = open_form(client, draft)
    # An action from the changelist while the form is open: a service, not a form edit.
    release_publish(release=draft, user=the_editor, at=OPENED)
    assert Release.objects.get(pk=draft.pk).status == "published"
    data["summary"] = "Typed meanwhile."
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.edit_conflict is not None


def test_one_person_saving_twice_in_a_row_is_not_refused(draft):
    client = logged_in(editor())
    data = open_form(client, draft)
    data["headline"] = "First edit"
    assert client.post(change_url(draft), data).status_code == 302
    data = open_form(client, draft)
    data["headline"] = "Second edit"
    assert client.post(change_url(draft), data).status_code == 302


def test_every_save_moves_the_edit_version(draft):
    before = draft.edit_version
    draft.summary = "Changed."
    draft.save(update_fields=["summary"])
    assert Release.objects.get(pk=draft.pk).edit_version == before + 1


def test_the_change_form_warns_before_leaving_with_unsaved_changes(draft):
    html = logged_in(writer()).get(change_url(draft)).content.decode()
    assert "js/unsaved_changes.js" in html
    assert 'name="opened_version"' in html


def test_anonymous_cannot_post_the_change_form(client, draft):
    response = client.post(change_url(draft), {"headline": "x"})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert timezone.now()  # nothing else to check: the release is untouched
    draft.refresh_from_db()
    assert draft.headline == "Council opens library"
