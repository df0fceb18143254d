"""The release form warns before a changed form is left (issue 8: nothing typed is lost)."""

import pytest

from tests.browser.test_editor_flow import staff
from tests.browser.test_review_flow import log_in
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_leaving_a_changed_release_form_asks_first_and_an_unchanged_one_does_not(
    live_server, new_page
):
    staff("edna", "Editors")
    release = ReleaseFactory(draft=True, headline="Harbour ferry returns")
    change = f"{live_server.url}/admin/releases/release/{release.pk}/change/"
    page = new_page()
    log_in(page, live_server, "edna")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", answer)

    page.goto(change)
    page.goto(f"{live_server.url}/admin/")  # nothing typed: no question
    assert dialogs == []

    page.goto(change)
    page.fill("#id_subheadline", "A dek typed and not yet saved")
    page.click("text=Home")  # leaving by a link asks first; staying keeps the input
    assert dialogs == ["beforeunload"]
    assert page.url == change
    assert page.input_value("#id_subheadline") == "A dek typed and not yet saved"


def test_a_form_sent_back_with_errors_asks_before_it_is_left(live_server, new_page):
    """What the server refused (an error, or a colleague's save first) is not saved: the
    input on the page would be lost."""
    staff("edna", "Editors")
    release = ReleaseFactory(draft=True, headline="Harbour ferry returns")
    page = new_page()
    log_in(page, live_server, "edna")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    page.fill("#id_headline", "")
    page.fill("#id_summary", "A summary typed before the error")
    page.click("input[name=_continue]")
    page.wait_for_selector(".errornote")
    page.click("text=Home")

    assert dialogs == ["beforeunload"]
    assert page.input_value("#id_summary") == "A summary typed before the error"
