"""axe-core on the release admin (issue 9): the changelist, the add form and the change
form of a release with organizations, contacts, tags and an attachment have no critical
or serious violation (WCAG 2.2 AA rules and axe's best practices, as axe reports them);
nor has the body editor's image picker, open on a change form with images."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.utils import timezone

from releases.models import Attachment, Correction
from tests.browser.test_editor_flow import log_in
from tests.browser.test_rich_text import EDITOR
from tests.factories import (
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    UserFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db(transaction=True)
BLOCKING = ("critical", "serious")


def full_release():
    """A release with every inline filled: two issuers, two contacts, tags, a file and a
    correction, plus an embargoed one so the changelist shows every column."""
    release = ReleaseFactory(
        headline="Harbour City water is cleaner than ever, the board's district tests show",
        organizations=[OrganizationFactory(), OrganizationFactory()],
        contacts=[ContactFactory(), ContactFactory()],
        tags=["water", "health", "Harbour City"],
    )
    attachment = Attachment(release=release, title="Fact sheet", position=0)
    attachment.file.save("fact-sheet.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    Correction.objects.create(
        release=release, note="The district count was 12.", noted_at=timezone.now()
    )
    ReleaseFactory(embargoed=True, published_at=timezone.now() + timedelta(hours=2))
    ReleaseFactory(draft=True)
    return release


def blocking_violations(page) -> list[str]:
    """``id (impact): targets`` of each critical or serious violation on ``page``."""
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.fixture
def admin_page(live_server, new_page):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    page = new_page(width=1280, height=900)
    log_in(page, live_server, "root")
    return page


@pytest.mark.parametrize("path", ["", "add/", "{pk}/change/"], ids=["changelist", "add", "change"])
def test_release_admin_pages_have_no_critical_or_serious_axe_violation(
    live_server, admin_page, path
):
    release = full_release()
    admin_page.goto(f"{live_server.url}/admin/releases/release/{path.format(pk=release.pk)}")
    admin_page.wait_for_load_state("load")
    found = blocking_violations(admin_page)
    assert not found, "axe violations:\n" + "\n".join(found)


def test_the_release_changelist_fits_1280_pixels_with_long_headlines(
    live_server, admin_page, screenshots_dir, settings
):
    settings.TIME_ZONE = "Europe/Berlin"  # times with their zone and UTC: the widest cells
    full_release()
    for n in range(12):
        ReleaseFactory(
            headline=f"Regional transport authority {n} announces a decade-long programme to "
            "rebuild every bridge, tunnel and ferry terminal across the northern districts",
            organizations=[OrganizationFactory(name=f"Northern Districts Transport Authority {n}")],
            embargoed=n % 3 == 0,
            tags=["transport", "infrastructure"],
        )
    admin_page.goto(f"{live_server.url}/admin/releases/release/")
    admin_page.screenshot(path=screenshots_dir / "admin-changelist-1280.png", full_page=True)

    width = admin_page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 1280, f"the page scrolls sideways: {width} px wide"
    # The table scrolls inside its own box when it does not fit (.results: overflow auto).
    table, box = admin_page.eval_on_selector(
        "#changelist-form .results", "box => [box.scrollWidth, box.clientWidth]"
    )
    assert table <= box, f"the table scrolls sideways: {table} px in {box} px"
    # Headlines take two lines at most, the whole headline in their title.
    heights = admin_page.eval_on_selector_all(
        "#result_list .release-headline",
        "spans => spans.map(s => s.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(s).lineHeight))",
    )
    assert heights and max(heights) <= 2.05, heights
    titles = admin_page.eval_on_selector_all(
        "#result_list .release-headline", "spans => spans.map(s => s.title === s.textContent)"
    )
    assert all(titles), titles


def test_the_image_picker_dialog_is_named_and_has_no_critical_or_serious_violation(
    live_server, admin_page
):
    release = full_release()
    release.featured_image_alt = "Harbour"
    release.featured_image.save("harbour.jpg", ContentFile(image_bytes((1600, 1000))))
    photo = Attachment(release=release, title="Filter plant", position=1)
    photo.file.save("plant.png", ContentFile(image_bytes((800, 600), "PNG")), save=True)
    admin_page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    admin_page.click(EDITOR)
    admin_page.click(".field-body button[data-name=newsroomImage]")
    dialog = admin_page.get_by_role("dialog", name="Insert an image of this release")
    dialog.wait_for()
    assert dialog.get_attribute("aria-modal") == "true"
    assert dialog.locator(".prose-images-choice").count() == 2
    found = blocking_violations(admin_page)
    assert not found, "axe violations:\n" + "\n".join(found)
    # Two pickers opened one after the other each have their own heading id.
    admin_page.keyboard.press("Escape")
    admin_page.click(".field-body button[data-name=newsroomImage]")
    assert admin_page.locator(".prose-images-dialog").count() == 1
    admin_page.get_by_role("dialog", name="Insert an image of this release").wait_for()
