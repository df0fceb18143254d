"""The release body's editor in a real browser (issue 9, writing): text pasted from Word,
Google Docs or plain text keeps its structure and loses its styling; images come from
the release's own uploads; the length shows while writing."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from releases.models import Attachment, Release
from releases.richtext import length_note, plain_text_to_html
from tests.browser.test_editor_flow import staff
from tests.browser.test_review_flow import log_in
from tests.factories import ReleaseFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

ADD = "/admin/releases/release/add/"
EDITOR = ".field-body .tiptap[contenteditable=true]"

# Word's HTML clipboard, shortened: styles everywhere, list items as paragraphs with
# their bullet typed as text in "mso-list:Ignore" spans.
WORD_HTML = (Path(__file__).parents[1] / "samples" / "word-paste.html").read_text()

PLAIN_TEXT = """Results by district were published today at https://water.example.org/results.

Next steps:
1. Publish the data
2) Invite comments
-- Questions welcome
"""

PASTE = """([html, text]) => {
    const editor = document.querySelector('.field-body .tiptap');
    editor.focus();
    const selection = window.getSelection();
    selection.selectAllChildren(editor);
    selection.collapseToEnd();
    const data = new DataTransfer();
    if (html) data.setData('text/html', html);
    data.setData('text/plain', text);
    editor.dispatchEvent(
        new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true})
    );
}"""


def open_form(live_server, new_page, path=ADD, **options):
    staff("edna", "Editors")
    page = new_page(**options)
    log_in(page, live_server, "edna")
    page.goto(f"{live_server.url}{path}")
    if options.get("javascript", True):
        page.wait_for_selector(EDITOR)
    return page


def open_add_form(live_server, new_page):
    return open_form(live_server, new_page)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (20, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_pasted_word_html_and_plain_text_keep_their_structure_and_lose_their_styling(
    live_server, new_page
):
    page = open_add_form(live_server, new_page)
    page.evaluate(PASTE, [None, PLAIN_TEXT])
    # Out of the list the text ended with, into a new paragraph, as an editor would.
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.evaluate(PASTE, [WORD_HTML, "fallback text that must not be used"])
    assert page.locator(f"{EDITOR} img").count() == 0  # another site's image: left out
    page.fill("#id_headline", "Harbour water is clean")
    page.fill("#id_summary", "Tests show the cleanest water on record.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    body = Release.objects.get().body
    for part in (
        "<h2>Harbour water is clean</h2>",
        "<strong>tested</strong>",
        "<em>district</em>",
        '<a href="https://water.example.org/report"',
        "<ul><li><p>Lead pipes replaced</p></li><li><p>New filters installed</p></li></ul>",
        "<blockquote>",
        "<table>",
        "<td><p>North</p></td>",
        '<a href="https://water.example.org/results"',
        "<ol><li><p>Publish the data</p></li><li><p>Invite comments</p></li></ol>",
        "<ul><li><p>Questions welcome</p></li></ul>",
    ):
        assert part in body
    for gone in ("style=", "class=", "Mso", "mso-", "·", "fallback text", "<span", "<h1"):
        assert gone not in body
    # The change form, reloaded: counted by the server, then by the editor, alike.
    assert page.inner_text(".prose-count") == length_note(body)


def test_the_length_of_the_body_updates_while_writing(live_server, new_page):
    page = open_add_form(live_server, new_page)
    assert page.inner_text(".prose-count") == "No words yet"
    page.click(EDITOR)
    page.keyboard.type("Harbour water is cleaner than ever before ")
    assert page.inner_text(".prose-count") == "7 words · about 1 min read"
    page.evaluate(PASTE, [None, "word " * 300])
    assert page.inner_text(".prose-count") == "307 words · about 2 min read"


def test_images_are_picked_from_the_release_own_uploads(live_server, new_page):
    release = ReleaseFactory(draft=True, headline="Filters installed", featured_image_alt="Plant")
    release.featured_image.save("plant.jpg", ContentFile(jpeg()))
    photo = Attachment(release=release, title="The new filters", position=0)
    photo.file.save("filters.jpg", ContentFile(jpeg()), save=True)
    page = open_form(live_server, new_page, f"/admin/releases/release/{release.pk}/change/")

    page.click(EDITOR)
    page.click(".field-body button[data-name=newsroomImage]")
    choices = page.locator(".prose-images-choice")
    assert choices.all_inner_texts() == ["Featured image: Plant", "The new filters"]
    choices.nth(1).click()
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    release.refresh_from_db()
    assert f'<img src="{photo.file.url}" alt="The new filters">' in release.body


def test_the_add_form_image_button_says_images_come_after_the_first_save(live_server, new_page):
    page = open_add_form(live_server, new_page)
    page.click(".field-body button[data-name=newsroomImage]")
    assert "after the first save" in page.inner_text(".prose-images-dialog")
    assert page.locator(".prose-images-choice").count() == 0


def test_typing_in_the_editor_counts_as_a_change_before_leaving(live_server, new_page):
    release = ReleaseFactory(draft=True, headline="Harbour ferry returns")
    page = open_form(live_server, new_page, f"/admin/releases/release/{release.pk}/change/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.click(EDITOR)
    page.keyboard.type(" More.")
    page.click("text=Home")
    assert dialogs == ["beforeunload"]


def test_without_javascript_plain_text_in_the_textarea_is_saved_with_structure(
    live_server, new_page
):
    page = open_form(live_server, new_page, javascript=False)
    assert page.is_visible("#id_body")
    page.fill("#id_headline", "Library opens")
    page.fill("#id_summary", "The council opened the library.")
    page.fill("#id_body", "It offers:\n- books\n- music\n\nSee https://council.example.org.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert Release.objects.get().body == (
        "<p>It offers:</p><ul><li>books</li><li>music</li></ul>"
        '<p>See <a href="https://council.example.org" rel="noopener noreferrer">'
        "https://council.example.org</a>.</p>"
    )
    assert page.inner_text(".prose-count") == "6 words · about 1 min read"


GOOGLE_DOCS_HTML = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1f2e3d">'
    '<h1 dir="ltr" style="line-height:1.38;margin-top:20pt"><span style="font-size:20pt;'
    'font-family:Arial;color:#000000">Ferry returns</span></h1>'
    '<p dir="ltr" style="line-height:1.38"><span style="font-size:11pt;font-weight:400">'
    'Service resumes on </span><span style="font-weight:700">Monday</span><span>, see </span>'
    '<a href="https://ferry.example.org/times" style="text-decoration:none">'
    '<span style="color:#1155cc;text-decoration:underline">the timetable</span></a></p>'
    '<ol style="margin-top:0"><li dir="ltr" style="list-style-type:decimal;font-size:11pt">'
    '<p dir="ltr" role="presentation"><span>Morning crossing</span></p></li></ol></b>'
)


def test_pasted_google_docs_html_keeps_its_structure_not_its_wrapper_or_styles(
    live_server, new_page
):
    page = open_add_form(live_server, new_page)
    page.evaluate(PASTE, [GOOGLE_DOCS_HTML, "Ferry returns"])
    html = page.eval_on_selector("#id_body", "textarea => textarea.value")
    assert html.startswith("<h2>Ferry returns</h2><p>Service resumes on <strong>Monday</strong>")
    assert '<a href="https://ferry.example.org/times"' in html
    assert "<ol" in html and "Morning crossing" in html
    assert "style=" not in html and "docs-internal" not in html


def type_at_end_of_first_paragraph_and_save(live_server, new_page, release, text):
    """Open ``release``'s change form, type ``text`` at the end of the body's first
    paragraph, save and read the release back."""
    page = open_form(live_server, new_page, f"/admin/releases/release/{release.pk}/change/")
    page.click(f"{EDITOR} p >> nth=0")
    page.keyboard.press("End")
    page.keyboard.type(text)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    release.refresh_from_db()


def test_editing_keeps_the_language_and_direction_of_quoted_blocks(live_server, new_page):
    release = ReleaseFactory(
        draft=True,
        body='<p>The minister said:</p><blockquote lang="ar" dir="rtl"><p>الماء حق</p>'
        '</blockquote><p lang="fr">Merci.</p>',
    )
    type_at_end_of_first_paragraph_and_save(live_server, new_page, release, " Quote")
    assert release.body == (
        '<p>The minister said: Quote</p><blockquote lang="ar" dir="rtl"><p>الماء حق</p>'
        '</blockquote><p lang="fr">Merci.</p>'
    )


def test_editing_an_imported_body_keeps_its_inline_marks_rules_and_code(live_server, new_page):
    body = (
        "<p>CO<sub>2</sub> fell 3 %<sup>1</sup>; <u>all</u> <s>most</s> plants run "
        "<code>v2</code>.</p><hr><pre><code>level = 0.4</code></pre>"
    )
    release = ReleaseFactory(draft=True, body=body)
    type_at_end_of_first_paragraph_and_save(live_server, new_page, release, " Done")
    for part in ("<sub>2</sub>", "<sup>1</sup>", "<u>all</u>", "<s>most</s>", "<code>v2</code>"):
        assert part in release.body
    assert "<hr>" in release.body
    assert "<pre><code>level = 0.4</code></pre>" in release.body
    assert "Done</p>" in release.body


# Word's clipboard for nested lists: each item a paragraph, its depth in
# "mso-list:l0 level2 lfo1", its bullet ("·", "o", "§") or number ("1.", "a.") in an
# "mso-list:Ignore" span, or (older Word) typed before the text with non-breaking spaces.
WORD_NESTED_HTML = (Path(__file__).parents[1] / "samples" / "word-paste-nested.html").read_text()


def clear_editor(page):
    page.evaluate("() => { document.querySelector('.field-body .tiptap').innerHTML = '' }")


def pasted_body(page, html, text="fallback"):
    """The editor's HTML after pasting, without the list-style attribute the editor adds
    to numbered lists (``data-type="decimal"``, dropped by the sanitizer on save)."""
    page.evaluate(PASTE, [html, text])
    return re.sub(
        r' data-type="[^"]*"', "", page.eval_on_selector("#id_body", "textarea => textarea.value")
    )


def test_pasted_word_lists_keep_their_nesting_and_numbering(live_server, new_page):
    page = open_add_form(live_server, new_page)
    page.evaluate(PASTE, [WORD_NESTED_HTML, "fallback text that must not be used"])
    page.fill("#id_headline", "Harbour works")
    page.fill("#id_summary", "What the board does this year.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    body = Release.objects.get().body
    assert body == (
        "<p>Works this year:</p>"
        "<ul><li><p>Pipes</p>"
        "<ul><li><p>Lead pipes <strong>replaced</strong></p>"
        "<ul><li><p>North district first</p></li></ul></li>"
        "<li><p>Meters fitted</p></li></ul></li>"
        "<li><p>Filters</p></li></ul>"
        "<p>Steps:</p>"
        "<ol><li><p>Test the water</p><ol><li><p>At every tap</p></li></ol></li>"
        "<li><p>Publish the results</p></li></ol>"
        "<p>From an older document:</p>"
        "<ul><li><p>First bullet</p><ul><li><p>Nested bullet</p></li></ul></li>"
        "<li><p>Second bullet</p></li></ul>"
        "<ol><li><p>Done. Next year the east</p></li></ol>"
    )


@pytest.mark.parametrize(
    ("marker", "tag"),
    [
        ("·", "ul"),
        ("o", "ul"),
        ("§", "ul"),
        ("\uf0b7", "ul"),
        ("-", "ul"),
        ("1.", "ol"),
        ("a.", "ol"),
        ("iv.", "ol"),
        ("(b)", "ol"),
        ("2.3.", "ol"),
    ],
)
def test_word_list_markers_old_and_new_give_the_kind_of_list_and_are_removed(
    live_server, new_page, marker, tag
):
    def paragraph(level, text, ignore):
        style = f"text-indent:-18.0pt;mso-list:l0 level{level} lfo1"
        typed = (
            f"<span style='mso-list:Ignore'>{marker}<span>&nbsp;&nbsp; </span></span>"
            if ignore
            else f"<span style='font-family:Symbol'>{marker}</span>&nbsp;&nbsp; "
        )
        return f"<p class=MsoListParagraphCxSpMiddle style='{style}'>{typed}{text}</p>"

    page = open_add_form(live_server, new_page)
    for ignore in (True, False):
        clear_editor(page)
        html = paragraph(1, "Outer", ignore) + paragraph(2, "Inner", ignore)
        html += paragraph(1, "Next", ignore)
        body = pasted_body(page, html)
        assert body == (
            f"<{tag}><li><p>Outer</p><{tag}><li><p>Inner</p></li></{tag}></li>"
            f"<li><p>Next</p></li></{tag}>"
        ), (ignore, body)


def test_pasted_google_docs_nested_list_goes_into_the_item_before_it(live_server, new_page):
    html = (
        '<b id="docs-internal-guid-9a"><ul><li dir="ltr" aria-level="1"><p dir="ltr">Pipes</p>'
        '</li><ul><li dir="ltr" aria-level="2"><p dir="ltr">Lead</p></li></ul>'
        '<li dir="ltr" aria-level="1"><p dir="ltr">Filters</p></li></ul></b>'
    )
    page = open_add_form(live_server, new_page)
    assert pasted_body(page, html) == (
        "<ul><li><p>Pipes</p><ul><li><p>Lead</p></li></ul></li><li><p>Filters</p></li></ul>"
    )


NESTED_TEXTS = [
    "Works:\n- pipes\n  - lead\n  - copper\n    1. north\n- filters\nDone.",
    "- pipes\n\t- lead\n- filters",
    "1. test\n  - every tap\n  2. again\n3. publish",
    "- a\n    - b\n  - c\n- d",
    "- a\n  - b\n\n  - c\nBetween.\n  - d",
]


def test_plain_text_nests_in_the_editor_as_on_the_server(live_server, new_page):
    page = open_add_form(live_server, new_page)
    for text in NESTED_TEXTS:
        clear_editor(page)
        body = pasted_body(page, None, text)
        # The editor wraps item text in paragraphs; otherwise the same HTML as the server.
        assert body.replace("<p>", "").replace("</p>", "") == (
            plain_text_to_html(text).replace("<p>", "").replace("</p>", "")
        ), text
    clear_editor(page)
    assert pasted_body(page, None, "- pipes\n  - lead") == (
        "<ul><li><p>pipes</p><ul><li><p>lead</p></li></ul></li></ul>"
    )
