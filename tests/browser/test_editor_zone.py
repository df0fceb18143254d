"""The admin learns the editor's own zone from the browser and shows times in it too."""

from datetime import UTC, datetime

import pytest

from tests.browser.test_editor_flow import staff
from tests.browser.test_review_flow import log_in
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_times_in_the_admin_are_also_shown_in_the_browsers_zone(live_server, new_page):
    staff("edna", "Editors")
    ReleaseFactory(
        headline="Harbour ferry returns", published_at=datetime(2030, 6, 10, 7, 0, tzinfo=UTC)
    )
    page = new_page(timezone_id="America/New_York")
    log_in(page, live_server, "edna")  # the first admin page sets the zone's cookie

    page.goto(f"{live_server.url}/admin/releases/release/")

    html = page.content()
    assert "10 June 2030, 07:00 UTC (03:00 EDT your time)" in html
