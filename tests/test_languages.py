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
from datetime import UTC, datetime

import html5lib
import pypdf
import pytest
from django.core.cache import cache
from django.urls import reverse

from releases.downloads.pdf import render_document, render_release_html
from releases.models import Correction, Release
from releases.models.release import text_direction
from releases.sanitize import sanitize_html
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory

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


# -- left-to-right runs in a right-to-left release -------------------------------------

LIFTED = datetime(2024, 11, 30, 9, 0, tzinfo=UTC)

RIGHT_TO_LEFT = [
    ("ar", "جامعة القاهرة تعلن عن برنامج جديد", "القاهرة", "جامعة القاهرة"),
    ("he", "אוניברסיטת תל אביב מכריזה על תוכנית חדשה", "תל אביב", "אוניברסיטת תל אביב"),
    ("fa", "دانشگاه تهران برنامه‌ای تازه اعلام کرد", "تهران", "دانشگاه تهران"),
]


def _rtl_release(language, headline, dateline, organization):
    """A public release in a right-to-left language whose embargo has lifted, with an
    issuer's website and a contact with an extension and an address."""
    issuer = OrganizationFactory(name=organization, website="https://cu.example.eg/")
    contact = ContactFactory(
        name="Press", organization=issuer, phone="+442079460321;ext=204", email="press@uni.example"
    )
    return ReleaseFactory(
        language=language,
        headline=headline,
        # As reported: an address ending in a digit and a slash.
        slug="release-2",
        subheadline="",
        dateline=dateline,
        body=f"<p>{headline}.</p>",
        published_at=LIFTED,
        embargoed_until=LIFTED,
        organizations=[issuer],
        contacts=[contact],
    )


def _bdi(document, text):
    """The box of the ``<bdi>`` element whose text is ``text``."""
    return next(
        box
        for page in document.pages
        for box in _boxes(page._page_box)
        if box.element_tag == "bdi" and box.element.text == text
    )


def _lines(reader: pypdf.PdfReader) -> list[str]:
    return [
        " ".join(line.split()) for page in reader.pages for line in page.extract_text().splitlines()
    ]


@pytest.mark.parametrize(("language", "headline", "dateline", "organization"), RIGHT_TO_LEFT)
def test_pdf_of_a_right_to_left_release_prints_urls_dates_and_numbers_left_to_right(
    client, language, headline, dateline, organization
):
    release = _rtl_release(language, headline, dateline, organization)
    # The reported address: a port and a trailing slash.
    url = f"http://127.0.0.1:8000{release.get_absolute_url()}"
    assert url.endswith("/")

    response = client.get(
        reverse("releases:download_pdf", kwargs={"slug": release.slug}), HTTP_HOST="127.0.0.1:8000"
    )
    lines = _lines(pypdf.PdfReader(io.BytesIO(response.content)))

    # The address exactly as a reader copies it, the trailing slash at its end: in the
    # "Online:" line, in the page footer and in the issuer's website.
    assert f"Online: {url}" in lines
    assert f"{url} Page 1 of 1" in lines
    assert "https://cu.example.eg/" in lines
    assert not any("/http" in line for line in lines), lines
    # Dates in reading order, in the release line and in the dateline.
    assert "EMBARGOED UNTIL 30 November 2024, 09:00 UTC" in lines
    assert any("30 November 2024" in line and dateline in line for line in lines), lines
    # The contact block and the end mark.
    assert "Phone: +44 20 7946 0321 ext. 204" in lines
    assert "Email: press@uni.example" in lines
    assert "###" in lines


@pytest.mark.parametrize(("language", "headline", "dateline", "organization"), RIGHT_TO_LEFT)
def test_pdf_of_a_right_to_left_release_puts_the_place_right_of_its_date(
    language, headline, dateline, organization
):
    document = _document(_rtl_release(language, headline, dateline, organization))

    place, date = _bdi(document, dateline.upper()), _bdi(document, "30 November 2024")
    # Read from the right: the place, then the date, itself laid out left to right.
    assert date.style["direction"] == "ltr"
    assert place.position_x > date.position_x + date.width
    # "Online:" then the address, left to right, the whole phrase at the start (right).
    (paragraph,) = _with_class(document, "online")
    online = next(box for box in _boxes(paragraph) if box.element_tag == "bdi")
    label, link = online.children
    assert label.text == "Online: " and link.element_tag == "a"
    assert label.position_x < link.position_x
    line_right = paragraph.content_box_x() + paragraph.width
    assert online.position_x + online.width == pytest.approx(line_right, abs=0.5)


def test_pdf_of_a_left_to_right_release_reads_its_dateline_in_order_whatever_the_place(client):
    release = ReleaseFactory(
        language="en", dateline="القاهرة", published_at=LIFTED, body="<p>The fund opens.</p>"
    )

    text = _text(_pdf(client, release))
    document = _document(release)

    # An Arabic place name must not pull the date that follows it into its direction
    # (it printed "30 ,القاهرة November 2024 —"). pypdf extracts the Arabic word
    # apart, so the order of the place and the date is read from the boxes.
    assert "30 November 2024 —" in text
    place, date = _bdi(document, "القاهرة"), _bdi(document, "30 November 2024")
    assert place.position_x + place.width < date.position_x


def _element(html: str, **match):
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        element
        for element in tree.iter()
        if all(element.get(name) == value for name, value in match.items())
    ]


@pytest.mark.parametrize(("language", "headline", "dateline", "organization"), RIGHT_TO_LEFT)
def test_release_page_isolates_dates_numbers_and_addresses_as_left_to_right_runs(
    client, language, headline, dateline, organization
):
    release = _rtl_release(language, headline, dateline, organization)
    Correction.objects.create(release=release, noted_at=LIFTED, note=headline)

    html = client.get(release.get_absolute_url()).content.decode()

    runs = {
        "".join(element.itertext()).strip(): element.tag for element in _element(html, dir="ltr")
    }
    assert runs["EMBARGOED UNTIL 30 November 2024, 09:00 UTC"] == "bdi"
    assert runs["30 November 2024"] == "time"
    assert runs["+44 20 7946 0321 ext. 204"] == "a"
    assert runs["press [at] uni [dot] example"] == "bdi"
    assert runs["###"] == "span"
    assert runs["Updated 30 November 2024:"] == "strong"
    # The place is isolated in its own direction (<bdi> without dir is dir=auto).
    assert f"<bdi>{dateline.upper()}</bdi>, " in html
