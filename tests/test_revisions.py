"""Revisions of releases: recorded with who and when, none without a change, compared
with escaped diffs, restored as a new revision under the permission rules."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from releases.models import Release, ReleaseContact
from releases.revisions.snapshots import release_versions
from releases.services import release_publish
from tests.factories import ContactFactory, ReleaseFactory, editor, writer
from tests.test_admin import change_url, release_form_data

pytestmark = pytest.mark.django_db
JUNE_10 = datetime(2099, 6, 10, 7, 0, tzinfo=UTC)


def save_form(client, release, **fields):
    release.refresh_from_db()
    response = client.post(change_url(release), release_form_data(release, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def versions(release) -> list[Version]:
    return list(release_versions(release))


def url(name, release, *args):
    return reverse(f"admin:releases_release_{name}", args=[release.pk, *args])


@pytest.fixture
def draft():
    return ReleaseFactory(draft=True, headline="Council opens library")


@pytest.fixture
def editor_client(client):
    client.force_login(editor(username="ada"))
    return client


@pytest.fixture
def writer_client(client):
    client.force_login(writer(username="wes"))
    return client


def test_a_saved_change_is_a_revision_with_who_and_when(writer_client, draft):
    before = datetime.now(UTC)
    save_form(writer_client, draft, headline="Council opens new library")
    latest = versions(draft)[0]
    assert latest.revision.user.username == "wes"
    assert before <= latest.revision.date_created <= datetime.now(UTC)
    assert latest.field_dict["headline"] == "Council opens new library"


def test_saving_without_a_change_makes_no_revision(writer_client, draft):
    save_form(writer_client, draft, headline="Council opens new library")
    count = len(versions(draft))
    save_form(writer_client, draft)
    assert len(versions(draft)) == count


def test_a_change_of_tags_alone_is_a_revision(writer_client, draft):
    save_form(writer_client, draft, tags="culture")
    count = len(versions(draft))
    save_form(writer_client, draft, tags="culture, libraries")
    assert len(versions(draft)) == count + 1


def test_a_change_of_contact_order_alone_is_a_revision(writer_client, draft):
    first, second = ContactFactory(name="Ann"), ContactFactory(name="Ben")
    save_form(writer_client, draft, contacts=[first, second])
    count = len(versions(draft))
    data = release_form_data(draft)
    data["releasecontact_set-0-position"], data["releasecontact_set-1-position"] = 1, 0
    writer_client.post(change_url(draft), data)
    assert [c.contact.name for c in ReleaseContact.objects.filter(release=draft)] == ["Ben", "Ann"]
    assert len(versions(draft)) == count + 1


def test_a_lifecycle_action_is_a_revision_with_its_user(draft):
    the_editor = editor(username="eve")
    release_publish(release=draft, user=the_editor, at=JUNE_10)
    latest = versions(draft)[0]
    assert latest.revision.user == the_editor
    assert latest.revision.comment == "Scheduled."


def test_compare_shows_an_escaped_word_diff_of_any_two_revisions(editor_client, draft):
    save_form(editor_client, draft, summary="Plain lede.")
    save_form(editor_client, draft, summary="Plain <script>alert(1)</script> lede.", tags="x")
    new, old = versions(draft)[:2]
    html = editor_client.get(url("revision_compare", draft), {"a": old.pk, "b": new.pk})
    html = html.content.decode()
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; </ins>" in html
    assert "<script>alert(1)" not in html
    assert "<li><ins>x</ins></li>" in html


def test_compare_answers_400_without_two_revisions_and_404_for_another_release(
    editor_client, draft
):
    other = ReleaseFactory(draft=True)
    save_form(editor_client, other, headline="Other")
    save_form(editor_client, draft, headline="Mine")
    assert editor_client.get(url("revision_compare", draft), {"a": "x"}).status_code == 400
    foreign = versions(other)[0].pk
    response = editor_client.get(url("revision_compare", draft), {"a": foreign, "b": foreign})
    assert response.status_code == 404
    mine = versions(draft)[0].pk
    for huge in ("99999999999999999999999", str(2**31), "-1", "0"):
        response = editor_client.get(url("revision_compare", draft), {"a": mine, "b": huge})
        assert response.status_code == 404, huge


def test_the_revisions_page_lists_them_for_a_writer_and_not_for_anonymous(
    client, writer_client, draft
):
    save_form(writer_client, draft, headline="Council opens new library")
    page = writer_client.get(url("revisions", draft)).content.decode()
    assert "wes" in page
    assert "Restore…" in page
    client.logout()
    assert client.get(url("revisions", draft)).status_code == 302


def test_restoring_brings_back_tags_and_contacts_as_a_new_revision(editor_client, draft):
    ann, ben = ContactFactory(name="Ann"), ContactFactory(name="Ben")
    save_form(editor_client, draft, tags="culture, libraries", contacts=[ann, ben])
    old = versions(draft)[0]
    data = release_form_data(Release.objects.get(pk=draft.pk), tags="sport")
    data["releasecontact_set-0-DELETE"] = "on"
    editor_client.post(change_url(draft), data)
    assert sorted(draft.tags.names()) == ["sport"]

    page = editor_client.get(url("revision_restore", draft, old.pk))
    assert Release.objects.get(pk=draft.pk).tags.names()[0] == "sport"  # asked first
    assert "Yes, restore this revision" in page.content.decode()
    count = len(versions(draft))
    editor_client.post(url("revision_restore", draft, old.pk))

    assert sorted(draft.tags.names()) == ["culture", "libraries"]
    contacts = [link.contact for link in ReleaseContact.objects.filter(release=draft)]
    assert contacts == [ann, ben]
    assert len(versions(draft)) == count + 1
    assert versions(draft)[0].revision.comment.startswith("Restored the revision of")


def test_a_writer_restoring_keeps_the_publication_time_and_embargo(client, draft):
    the_editor = editor()
    client.force_login(the_editor)
    save_form(client, draft, embargoed_until=JUNE_10, headline="Old headline")
    old = versions(draft)[0]
    save_form(client, draft, embargoed_until=None, headline="New headline")
    client.force_login(writer())

    page = client.get(url("revision_restore", draft, old.pk)).content.decode()
    assert "only an editor can change them" in page
    client.post(url("revision_restore", draft, old.pk))

    draft.refresh_from_db()
    assert draft.headline == "Old headline"
    assert draft.embargoed_until is None


def test_a_writer_cannot_restore_into_a_published_release(writer_client):
    release = ReleaseFactory(published_at=JUNE_10)
    other = Client()
    other.force_login(editor())
    save_form(other, release, headline="Published headline")
    version = versions(release)[0]
    response = writer_client.post(url("revision_restore", release, version.pk))
    assert response.status_code == 403
