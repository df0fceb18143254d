"""The release form's ordering and tag widgets in a real browser (issue 9): rows dragged or
moved with the keyboard, the form then asks before it is left, and tags picked or typed
in the autocomplete box are what is saved."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from releases.models import Attachment, Release, ReleaseContact
from tests.browser.test_editor_flow import log_in, staff
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def row_names(page, group: str) -> list[str]:
    """The names of the saved rows of an inline, in their order on the page."""
    cells = page.locator(f"#{group}-group tr.has_original td.original p")
    # "Zeta Council (ZC)", "Ann Press, ZC": the name, then its organization.
    return [text.split(" (")[0].split(",")[0].strip() for text in cells.all_inner_texts()]


def drag_above(page, source, target, attempts: int = 20) -> None:
    """Drag ``source`` by the hand over the top edge of ``target`` and drop it there.

    SortableJS (adminsortable2's) begins a drag on a later tick than the press, and moves
    the row only on a ``dragover`` that comes after that. Playwright's ``drag_to`` makes a
    single jump from source to target, which on a busy machine can arrive before the drag
    has begun, and the row then stays put. So the pointer keeps moving over the target's
    top edge, as a hand does, until the row has moved there (or ``attempts`` moves have
    passed: the caller's assertion on the order then fails)."""
    target.scroll_into_view_if_needed()  # the mouse moves in the viewport's coordinates
    start, goal = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 5, start["y"] + 2, steps=3)
    dragged = source.element_handle()  # the row itself, wherever it moves
    before = dragged.evaluate("node => node.closest('tr').rowIndex")
    for attempt in range(attempts):
        page.mouse.move(goal["x"] + 5 + attempt % 2, goal["y"] + 2, steps=2)
        if dragged.evaluate("node => node.closest('tr').rowIndex") != before:
            break
    page.mouse.up()


def test_organizations_dragged_into_a_new_order_are_saved_in_it(live_server, new_page):
    staff("edna", "Editors")
    alpha, zeta = OrganizationFactory(name="Alpha Lab"), OrganizationFactory(name="Zeta Council")
    release = ReleaseFactory(draft=True, organizations=[alpha, zeta])
    page = new_page()
    log_in(page, live_server, "edna")
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    page.wait_for_load_state("load")

    rows = page.locator("#releaseorganization_set-group tr.has_original td.original p")
    drag_above(page, rows.nth(1), rows.nth(0))
    assert row_names(page, "releaseorganization_set") == ["Zeta Council", "Alpha Lab"]

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert Release.objects.get().issuer == zeta


def test_the_keyboard_moves_a_contact_first_and_the_form_then_asks_before_it_is_left(
    live_server, new_page
):
    staff("edna", "Editors")
    ann, bob = ContactFactory(name="Ann Press"), ContactFactory(name="Bob Media")
    release = ReleaseFactory(draft=True, contacts=[ann, bob])
    change = f"{live_server.url}/admin/releases/release/{release.pk}/change/"
    page = new_page()
    log_in(page, live_server, "edna")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto(change)
    page.wait_for_load_state("load")

    arrow = page.locator("#releasecontact_set-group i.move-begin").nth(1)
    assert arrow.get_attribute("tabindex") == "0"
    assert arrow.get_attribute("aria-label").startswith("Move Bob Media")
    arrow.focus()
    page.keyboard.press("Enter")
    assert row_names(page, "releasecontact_set") == ["Bob Media", "Ann Press"]
    page.click("text=Home")  # the new order is not saved yet: leaving asks first
    assert dialogs == ["beforeunload"]
    assert page.url == change

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    links = ReleaseContact.objects.filter(release=release).select_related("contact")
    assert [link.contact.name for link in links] == ["Bob Media", "Ann Press"]


def test_tags_are_picked_from_existing_ones_or_typed_as_new_in_the_box(live_server, new_page):
    staff("edna", "Editors")
    ReleaseFactory(tags=["water", "waterways"])
    release = ReleaseFactory(draft=True, tags=["health"])
    page = new_page()
    log_in(page, live_server, "edna")
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    page.wait_for_load_state("load")

    search = page.locator("#id_tags_picked + .select2 .select2-search__field")
    assert search.get_attribute("aria-label") == "Tags"
    search.click()
    search.type("waterw")
    page.locator(".select2-results__option", has_text="waterways").first.click()
    search.type("Harbour City")
    page.locator(".select2-results__option", has_text="Harbour City").first.click()
    page.fill("#id_tags", "rates, fees")
    page.wait_for_load_state("networkidle")  # the box's searches, before the save
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    names = sorted(Release.objects.get(pk=release.pk).tags.names())
    assert names == ["Harbour City", "fees", "health", "rates", "waterways"]


def pdf_name(length: int) -> str:
    """A file name of ``length`` characters, mostly one unbroken word, as exports make."""
    return "harbour-water-quality-" + "x" * (length - len("harbour-water-quality-.pdf")) + ".pdf"


def test_the_change_form_with_attachments_fits_1280_px(live_server, new_page, settings, tmp_path):
    """Two attachments, one with a 200-character file name and a long title, and a featured
    image with a long name too: the form (the attachments table's file link, type and size
    and delete box among it) stays within the 1280 px window, no sideways scrolling."""
    settings.MEDIA_ROOT = tmp_path / "media"
    staff("edna", "Editors")
    release = ReleaseFactory(draft=True, headline="Harbour water report", featured_image_alt="Bay")
    release.featured_image.save(f"{'bay' * 60}.jpg", ContentFile(jpeg()))
    long_title = "Full report on the water of every district, " * 4
    for position, (title, name) in enumerate(
        [("Fact sheet", "fact-sheet.pdf"), (long_title.strip(), pdf_name(200))]
    ):
        attachment = Attachment(
            release=release, title=title, description="Figures by district.", position=position
        )
        attachment.file.save(name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert len(Attachment.objects.get(position=1).file.name.rsplit("/", 1)[1]) == 200
    page = new_page(width=1280, height=900)
    log_in(page, live_server, "edna")
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    page.wait_for_load_state("load")

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    rows = page.locator("#attachments-group tr.has_original")
    assert rows.count() == 2
    # Every column of each row is on the screen: the file link, its facts, the delete box.
    for selector in ("td.field-file a", "td.field-facts p", "td.delete input"):
        for element in rows.locator(selector).all():
            box = element.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, selector
    # The featured image's name wraps inside the form, not over its edge.
    link = page.locator(".field-featured_image .file-upload a").bounding_box()
    form = page.locator("#release_form").bounding_box()
    assert link["x"] + link["width"] <= form["x"] + form["width"]


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (20, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()
