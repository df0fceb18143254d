"""Every language prints: the PDF and the release page in any script and direction.

The PDF embeds a font that has the release's characters (Noto CJK for Chinese and
Japanese, an Arabic font, a Hebrew font, Devanagari, color emoji), lays right-to-left
languages out from the right (the dateline at the start of the line, on the right),
and breaks a word longer than the line instead of letting it run off the page. The
fonts are Debian packages (``make system-deps``): these tests need them installed.
"""

import io
import re
import unicodedata

import pypdf
import pytest
from django.core.cache import cache
from django.urls import reverse

from releases.downloads.pdf import render_document, render_release_html
from releases.models import Release
from releases.models.release import text_direction
from releases.sanitize import sanitize_html
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitän" * 4 + "x" * 12  # 180 letters


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _pdf(client, release) -> pypdf.PdfReader:
    response = client.get(reverse("releases:download_pdf", kwargs={"slug": release.slug}))
    assert response.status_code == 200
    return pypdf.PdfReader(io.BytesIO(response.content))


def _fonts(reader: pypdf.PdfReader) -> set[str]:
    """The embedded fonts' names without their subset prefix: ``Noto-Serif-CJK-SC``."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def _text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _document(release):
    release = Release.objects.with_parts().get(pk=release.pk)
    html = render_release_html(release, release_url="https://newsroom.example/r/")
    return render_document(html)


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _with_class(document, name):
    return [
        box
        for page in document.pages
        for box in _boxes(page._page_box)
        if box.element is not None
        and name in (box.element.get("class") or "").split()
        and box.element_tag != "html"
        and type(box).__name__ == "BlockBox"
    ]


# -- scripts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "headline", "body", "font"),
    [
        ("zh", "新基金支持早期研究", "基金将于十月开放申请。", "Noto-Serif-CJK-SC"),
        ("zh-Hant", "新基金支持早期研究", "基金將於十月開放申請。", "Noto-Serif-CJK-TC"),
        ("ja", "新しい研究基金が発足", "基金は十月に募集を開始します。", "Noto-Serif-CJK-JP"),
        ("ko", "새로운 연구 기금 출범", "기금은 10월에 신청을 받습니다.", "Noto-Serif-CJK-KR"),
        ("ar", "صندوق جديد لدعم البحث", "يفتح الصندوق باب التقديم في أكتوبر.", "Noto-Naskh-Arabic"),
        (
            "fa",
            "صندوق جدید برای پژوهش",
            "صندوق در مهر ماه پذیرش را آغاز می‌کند.",
            "Noto-Naskh-Arabic",
        ),
        (
            "ur",
            "تحقیق کے لیے نیا فنڈ",
            "فنڈ اکتوبر میں درخواستیں قبول کرے گا۔",
            "Noto-Naskh-Arabic",
        ),
        ("he", "קרן חדשה לתמיכה במחקר", "הקרן תיפתח להגשת בקשות באוקטובר.", "Noto-Serif-Hebrew"),
        ("hi", "अनुसंधान के लिए नई निधि", "निधि अक्टूबर में आवेदन स्वीकार करेगी।", "Noto-Serif-Devanagari"),
    ],
)
def test_pdf_embeds_a_font_with_the_scripts_characters(client, language, headline, body, font):
    release = ReleaseFactory(
        language=language, headline=headline, subheadline="", body=f"<p>{body}</p>"
    )

    reader = _pdf(client, release)

    assert font in _fonts(reader)
    text = _text(reader)
    # Right-to-left text may come out of the PDF in visual order: compare letters
    # (format characters such as the zero-width non-joiner of Persian print nothing).
    letters = {c for c in body if unicodedata.category(c)[0] in "LMN"}
    assert letters <= set(text), letters - set(text)


def test_pdf_of_greek_and_cyrillic_needs_no_other_font(client):
    release = ReleaseFactory(
        language="el",
        headline="Νέο ταμείο για την έρευνα",
        body="<p>Новый фонд поддержит исследования.</p>",
    )

    reader = _pdf(client, release)

    text = _text(reader)
    assert "Νέο ταμείο για την έρευνα" in text
    assert "Новый фонд поддержит исследования." in text
    assert all(name.startswith("DejaVu") for name in _fonts(reader)), _fonts(reader)


def test_pdf_prints_emoji_with_the_emoji_font_beside_the_text_font(client):
    release = ReleaseFactory(headline="Launch day 🚀", body="<p>We did it 🎉 and thank you ❤️.</p>")

    reader = _pdf(client, release)

    fonts = _fonts(reader)
    assert "Noto-Color-Emoji" in fonts
    assert "DejaVu-Serif" in fonts
    text = _text(reader)
    assert "🚀" in text
    assert "🎉" in text


def test_a_release_in_one_script_quoting_another_prints_both(client):
    release = ReleaseFactory(
        language="en",
        headline="Partners in Cairo, Tel Aviv and Shanghai",
        body=(
            '<p>The motto reads <q lang="ar" dir="rtl">العلم نور</q>, '
            '<q lang="he" dir="rtl">ידע הוא כוח</q> and <q lang="zh">知识就是力量</q>.</p>'
        ),
    )

    fonts = _fonts(_pdf(client, release))

    assert {"DejaVu-Serif", "Noto-Naskh-Arabic", "Noto-Serif-Hebrew"} <= fonts
    assert "Noto-Serif-CJK-SC" in fonts


# -- direction ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "direction"),
    [
        ("ar", "rtl"),
        ("ar-EG", "rtl"),
        ("fa", "rtl"),
        ("he", "rtl"),
        ("ur", "rtl"),
        ("yi", "rtl"),
        ("pa-Arab", "rtl"),
        ("az-Arab-IR", "rtl"),
        ("ku-Latn", "ltr"),
        ("en", "ltr"),
        ("zh-Hant", "ltr"),
        ("EN_gb", "ltr"),
        ("", "ltr"),
        ("arabic", "ltr"),
    ],
)
def test_text_direction_reads_the_language_tag(language, direction):
    assert text_direction(language) == direction


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("ar", "يفتح الصندوق باب التقديم في أكتوبر."),
        ("he", "הקרן תיפתח להגשת בקשות באוקטובר."),
        ("fa", "صندوق در مهر ماه پذیرش را آغاز می‌کند."),
    ],
)
def test_pdf_of_a_right_to_left_release_is_laid_out_from_the_right(language, body):
    release = ReleaseFactory(language=language, dateline="Cairo", body=f"<p>{body}</p>")

    document = _document(release)

    root = document.pages[0]._page_box.children[0]
    assert root.element.get("dir") == "rtl"
    assert root.element.get("lang") == language
    assert root.style["direction"] == "rtl"
    (body_box,) = _with_class(document, "release-body")
    right_edge = body_box.content_box_x() + body_box.width
    # The dateline opens the first paragraph at its start: on the right.
    (dateline,) = _with_class(document, "dateline")
    assert dateline.position_x + dateline.margin_width() == pytest.approx(right_edge, abs=0.5)
    assert dateline.position_x > body_box.content_box_x() + body_box.width / 2
    # The paragraph's text runs beside the dateline, ending at its left, not the page's
    # right margin: the first line is aligned to the start (right) side.
    paragraph = next(
        box
        for box in _boxes(body_box)
        if box.element_tag == "p" and "dateline" not in (box.element.get("class") or "")
    )
    text = [box for box in _boxes(paragraph.children[0]) if type(box).__name__ == "TextBox"]
    text_right = max(box.position_x + box.width for box in text)
    assert text_right == pytest.approx(dateline.position_x, abs=0.5)
    assert paragraph.style["direction"] == "rtl"
    assert paragraph.style["direction"] == "rtl"


def test_pdf_of_a_left_to_right_release_keeps_the_dateline_on_the_left():
    release = ReleaseFactory(language="en", dateline="London")

    document = _document(release)

    (body_box,) = _with_class(document, "release-body")
    (dateline,) = _with_class(document, "dateline")
    assert dateline.position_x == pytest.approx(body_box.content_box_x(), abs=0.5)
    assert document.pages[0]._page_box.children[0].element.get("dir") == "ltr"


def test_release_page_sets_language_and_direction_on_the_release(client):
    release = ReleaseFactory(
        language="ar",
        headline="صندوق جديد لدعم البحث",
        body=(
            "<p>يفتح الصندوق باب التقديم.</p>"
            '<blockquote dir="ltr" lang="en"><p>Quote.</p></blockquote>'
        ),
    )

    html = client.get(release.get_absolute_url()).content.decode()

    assert re.search(r'<article class="release" lang="ar" dir="rtl">', html)
    assert '<blockquote dir="ltr" lang="en">' in html


def test_release_page_of_a_left_to_right_release_says_ltr(client):
    release = ReleaseFactory(language="fr")

    html = client.get(release.get_absolute_url()).content.decode()

    assert '<article class="release" lang="fr" dir="ltr">' in html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p dir="rtl">א</p>', '<p dir="rtl">א</p>'),
        ('<p dir="ltr" lang="en">a</p>', '<p dir="ltr" lang="en">a</p>'),
        ('<span dir="auto">a</span>', '<span dir="auto">a</span>'),
        (
            '<blockquote dir="rtl" lang="ar"><p>ب</p></blockquote>',
            '<blockquote dir="rtl" lang="ar"><p>ب</p></blockquote>',
        ),
        ('<p dir="sideways">a</p>', "<p>a</p>"),
        ('<p dir="rtl" onclick="x()">a</p>', '<p dir="rtl">a</p>'),
    ],
)
def test_sanitizer_keeps_dir_and_lang_with_valid_values_only(dirty, clean):
    assert sanitize_html(dirty) == clean


# -- long words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        f"<p>The {LONG_WORD} is a word.</p>",
        f"<p>{'α' * 200}</p>",  # Greek, one unbroken run
        f"<p>See https://example.org/{'a' * 150}/report for the details.</p>",
        f"<blockquote><p>{LONG_WORD}</p></blockquote>",
    ],
)
def test_pdf_breaks_a_word_longer_than_the_line_instead_of_running_off_the_page(body):
    release = ReleaseFactory(headline=f"Headline {LONG_WORD}", body=body)

    document = _document(release)

    for page in document.pages:
        root = page._page_box
        right = root.margin_width() - root.margin_right
        for box in _boxes(root):
            if type(box).__name__ in ("LineBox", "TextBox"):
                assert box.position_x + box.width <= right + 0.5, box


def test_pdf_text_of_a_long_word_is_split_across_lines_but_all_there(client):
    release = ReleaseFactory(body=f"<p>The {LONG_WORD} is a word.</p>")

    text = _text(_pdf(client, release))

    assert LONG_WORD not in text  # the PDF holds it on several lines
    assert LONG_WORD in text.replace(" ", "")
