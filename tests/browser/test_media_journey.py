"""Issue 9 end to end, in a real browser: an editor pastes a formatted text, adds a
featured image and a PDF, publishes; a reader on a 390 px phone sees the structure and a
smaller version of the image, downloads the media kit and the press contact's vCard.
Uploads that are not what they say are refused with a message the editor can act on."""

import io
import zipfile

import pytest
import vobject
from PIL import Image

from releases.models import Release
from tests.browser.test_editor_flow import log_in, pick, staff
from tests.browser.test_media_kit_download import download
from tests.browser.test_rich_text import PASTE
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

ADD = "/admin/releases/release/add/"
EDITOR = ".field-body .tiptap[contenteditable=true]"

FORMATTED = (
    "<h2>What the tests found</h2>"
    '<p>The board tested <b style="color:red">every</b> district; '
    '<a href="https://water.example.org/report">the full report</a> is online.</p>'
    "<ul><li>Lead pipes replaced</li><li>New filters installed</li></ul>"
    "<blockquote><p>Clean water is a right, not a luck of the postcode.</p></blockquote>"
    "<table><tr><th>District</th><th>Lead (µg/l)</th></tr>"
    "<tr><td>North</td><td>0.4</td></tr><tr><td>South</td><td>0.6</td></tr></table>"
)
PDF = b"%PDF-1.4\n% fact sheet\n" + b"0" * 2000


def photo(width=2400, height=1600) -> bytes:
    image = Image.new("RGB", (width, height), (20, 90, 160))
    for x in range(0, width, 40):  # stripes, so the JPEG is not trivially small
        image.paste((240, 200, 40), (x, 0, x + 12, height))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def upload(name: str, mime: str, data: bytes) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def test_an_editor_publishes_with_media_and_a_phone_reader_gets_the_kit(live_server, new_page):
    staff("edna", "Editors")
    organization = OrganizationFactory(name="Harbour City Water Board")
    ContactFactory(
        name="Mara Quell",
        role="Press officer",
        organization=organization,
        email="press@hcwb.example.org",
        phone="+442079460321",
    )
    original = photo()

    editor = new_page()
    log_in(editor, live_server, "edna")
    editor.goto(f"{live_server.url}{ADD}")
    editor.eval_on_selector_all("details", "sections => sections.forEach(s => s.open = true)")
    editor.fill("#id_headline", "Harbour City water is cleaner than ever")
    editor.fill("#id_dateline", "Harbour City")
    editor.fill("#id_summary", "Tests show the cleanest water on record.")
    editor.wait_for_selector(EDITOR)
    editor.evaluate(PASTE, [FORMATTED, "plain fallback that must not be used"])
    pick(editor, "id_releaseorganization_set-0-organization", "Harbour City Water Board")
    pick(editor, "id_releasecontact_set-0-contact", "Mara Quell")
    editor.set_input_files("#id_featured_image", upload("harbour.jpg", "image/jpeg", original))
    editor.fill("#id_featured_image_alt", "The harbour at dawn")
    editor.fill("#id_featured_image_credit", "Ola Finch")
    editor.locator("#attachments-group .add-row a").click()
    editor.set_input_files("#id_attachments-0-file", upload("facts.pdf", "application/pdf", PDF))
    editor.fill("#id_attachments-0-title", "Fact sheet")
    # The save makes the photo's renditions inline (~2 s idle, ~8 s on a loaded 2-core
    # machine): longer than the suite's 10 s default allows with the upload.
    editor.click("input[name=_continue]", timeout=60_000)
    editor.wait_for_selector(".messagelist .success", timeout=60_000)

    release = Release.objects.get()
    editor.goto(f"{live_server.url}/admin/releases/release/")
    editor.check(f"input[name=_selected_action][value='{release.pk}']")
    editor.select_option("select[name=action]", "publish_now")
    editor.click("button[name=index]")
    editor.click("input[name=apply]")
    editor.wait_for_selector(".messagelist .success")
    release.refresh_from_db()
    assert release.is_published

    reader = new_page(width=390, height=844, accept_downloads=True)
    assert reader.goto(f"{live_server.url}{release.get_absolute_url()}").status == 200
    body = reader.locator(".release-body")
    assert body.locator("h2", has_text="What the tests found").count() == 1
    assert body.locator("ul > li").count() == 2
    assert body.locator("blockquote").count() == 1
    assert body.locator('a[href="https://water.example.org/report"]').count() == 1
    assert body.locator("table td", has_text="North").count() == 1
    assert body.locator("[style]").count() == 0

    image = reader.locator(".featured-image img").first
    image.scroll_into_view_if_needed()
    reader.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    served = image.evaluate("img => ({src: img.currentSrc, width: img.naturalWidth})")
    # A rendition (named after its source), not the original.
    assert not served["src"].endswith(release.featured_image.url)
    assert served["width"] <= 800
    # The file the phone got is that small, and "download original" gives the real one.
    assert len(reader.request.get(served["src"]).body()) < len(original) / 4
    assert reader.get_by_role("link", name="Download original image").count() == 1

    with zipfile.ZipFile(download(reader, "Download the Media kit (ZIP)")) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    by_suffix = {name.rsplit("/", 1)[-1]: data for name, data in files.items()}
    assert by_suffix[f"{release.slug}.pdf"].startswith(b"%PDF")
    assert "Harbour City water is cleaner than ever" in by_suffix[f"{release.slug}.txt"].decode()
    assert by_suffix["harbour.jpg"] == original
    assert by_suffix["facts.pdf"] == PDF
    assert b"The harbour at dawn" in by_suffix["captions-and-credits.txt"]

    card = vobject.readOne(download(reader, "Mara Quell").read_text("utf-8"))
    assert card.version.value == "4.0"
    assert card.fn.value == "Mara Quell"
    assert card.org.value == ["Harbour City Water Board"]
    assert card.email.value == "press@hcwb.example.org"
    assert card.tel.value == "tel:+44-20-7946-0321"


def big_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (8000, 6250)).save(buffer, format="PNG")  # 50 megapixels, a few KB
    return buffer.getvalue()


REFUSED = [
    ("notes.jpg", "image/jpeg", b"Minutes of the board meeting.\n" * 40, "not an image"),
    ("panorama.png", "image/png", None, "50 megapixels"),
    (
        "logo.svg",
        "image/svg+xml",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "SVG",
    ),
]


@pytest.mark.parametrize(("name", "mime", "data", "message"), REFUSED)
def test_uploads_that_are_not_what_they_claim_are_refused_with_a_clear_message(
    live_server, new_page, name, mime, data, message
):
    staff("edna", "Editors")
    page = new_page()
    log_in(page, live_server, "edna")
    page.goto(f"{live_server.url}{ADD}")
    page.eval_on_selector_all("details", "sections => sections.forEach(s => s.open = true)")
    page.fill("#id_headline", "Harbour City water is cleaner than ever")
    page.set_input_files("#id_featured_image", upload(name, mime, data or big_png()))
    page.fill("#id_featured_image_alt", "An image")
    page.click("input[name=_continue]")
    error = page.locator(".field-featured_image .errorlist")
    error.wait_for()
    assert message in error.inner_text()
    assert not Release.objects.exists()
