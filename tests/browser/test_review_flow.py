"""Review in a real browser (issue 8): a writer submits with a note → an editor sends it
back with a comment → the writer sees the comment, edits and resubmits → the editor
approves → the release is public."""

import pytest

from releases.models import Release, ReviewNote, Status
from tests.browser.test_editor_flow import PASSWORD, staff
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_a_release_goes_from_writer_to_editor_and_back_then_out(live_server, new_page):
    wren = staff("wren", "Writers")
    staff("edna", "Editors")
    release = ReleaseFactory(
        draft=True,
        headline="Harbour ferry returns",
        created_by=wren,
        organizations=[OrganizationFactory(name="Harbour City Transport")],
        contacts=[ContactFactory(name="Mara Quell")],
    )
    change = f"{live_server.url}/admin/releases/release/{release.pk}/change/"
    writer_page, editor_page, reader = new_page(), new_page(), new_page()

    # The writer submits with a note.
    log_in(writer_page, live_server, "wren")
    writer_page.goto(change)
    writer_page.click("text=Submit for review…")
    writer_page.fill("#id_note", "First go: please check the timetable.")
    writer_page.click("input[type=submit][value='Submit for review']")
    writer_page.wait_for_selector(".messagelist .success")
    assert Release.objects.get().status == Status.REVIEW

    # The editor sees it waiting on the dashboard and sends it back with a comment.
    log_in(editor_page, live_server, "edna")
    editor_page.click("#dashboard-review >> text=Harbour ferry returns")
    assert "First go: please check the timetable." in editor_page.inner_text(".review-thread")
    editor_page.click("text=Send back…")
    editor_page.fill("#id_comment", "Add the first sailing time to the summary.")
    editor_page.click("input[type=submit][value='Send back']")
    editor_page.wait_for_selector(".messagelist .success")
    assert Release.objects.get().status == Status.DRAFT

    # The writer finds it among what came back, reads the comment, edits, resubmits.
    writer_page.goto(f"{live_server.url}/admin/")
    assert "Add the first sailing time" in writer_page.inner_text("#dashboard-came_back")
    writer_page.click("#dashboard-came_back >> text=Harbour ferry returns")
    banner = writer_page.inner_text(".review-came-back")
    assert "Add the first sailing time to the summary." in banner
    writer_page.fill("#id_summary", "The ferry sails again from 6:15 on Monday.")
    writer_page.click("input[name=_continue]")
    writer_page.wait_for_selector(".messagelist .success")
    writer_page.click("text=Submit for review…")
    writer_page.fill("#id_note", "Sailing time added.")
    writer_page.click("input[type=submit][value='Submit for review']")
    writer_page.wait_for_selector(".messagelist .success")
    assert writer_page.locator(".review-came-back").count() == 0

    # The editor approves; the release is public.
    editor_page.goto(change)
    editor_page.click("text=Approve and publish…")
    assert editor_page.locator(".prepublish-problems").count() == 0
    editor_page.click("input[type=submit][value='Approve and publish']")
    editor_page.wait_for_selector(".messagelist .success")

    release.refresh_from_db()
    assert release.is_published
    assert release.summary == "The ferry sails again from 6:15 on Monday."
    assert list(ReviewNote.objects.values_list("kind", flat=True)) == [
        "submitted",
        "sent_back",
        "submitted",
        "approved",
    ]
    public = reader.goto(f"{live_server.url}{release.get_absolute_url()}")
    assert public.status == 200
    assert "Harbour ferry returns" in reader.inner_text("h1")
