"""Embargo sharing in a real browser: an editor shares an embargoed release in the admin,
a journalist (a fresh browser, no account) opens the link under its banner, the editor
revokes it, and the journalist's reload shows the revoked page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_editor_flow import log_in, staff
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_shares_journalist_reads_editor_revokes(live_server, new_page):
    staff("edna", "Editors")
    release = ReleaseFactory(
        headline="Harbour merger agreed",
        embargoed_until=timezone.now() + timedelta(days=1),
    )

    editor = new_page()
    log_in(editor, live_server, "edna")
    editor.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    editor.click("text=Share / manage links…")
    editor.fill("#id_new-0-name", "Jane Roe")
    editor.fill("#id_new-0-email", "jane@daily.example")
    editor.fill("#id_new-0-outlet", "The Daily Example")
    editor.click("input[name=_share]")
    link = editor.locator("input.share-url").first.input_value()
    assert "/embargo/" in link

    journalist = new_page()
    journalist.goto(link)
    banner = journalist.locator(".share-banner")
    assert "EMBARGOED UNTIL" in banner.inner_text()
    assert "Jane Roe of The Daily Example" in banner.inner_text()
    assert journalist.locator("h1").inner_text() == "Harbour merger agreed"

    editor.goto(f"{live_server.url}/admin/sharing/sharelink/share/{release.pk}/")
    assert "1 view" in editor.locator("table.share-links").inner_text()
    editor.click("button:has-text('Revoke the link of Jane Roe')")
    editor.wait_for_selector(".messagelist .success")
    assert "Revoked" in editor.locator("table.share-links").inner_text()

    response = journalist.reload()
    assert response.status == 410
    assert journalist.locator("h1").inner_text() == "This link was revoked"
    assert "Harbour merger" not in journalist.content()
