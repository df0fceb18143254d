"""Every public page is valid HTML5 and carries the same accessible skeleton.

html5lib in strict mode raises on any parse error, so a stray tag, an unclosed
element or a bad attribute fails here before a browser quietly repairs it.
"""

import itertools
import re
from datetime import timedelta

import html5lib
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from releases.models import Correction
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    organization = OrganizationFactory(name="Ocean Trust", website="https://ocean.example.org/")
    author = AuthorFactory(name="Sam Reporter")
    release = ReleaseFactory(
        headline="Reef survey finds recovery",
        body=(
            "<p>The reef is <a href='https://example.org/'>recovering</a>.</p>"
            "<blockquote><p>“Good news,” said a diver.</p></blockquote>"
            "<ul><li>One</li><li>Two</li></ul>"
        ),
        author=author,
        organizations=[organization, OrganizationFactory()],
        contacts=[ContactFactory(), ContactFactory(phone="")],
        tags=["oceans", "science"],
        featured_image="releases/reef.jpg",
        featured_image_alt="Divers over a reef",
        featured_image_caption="The reef",
        featured_image_credit="A. Diver",
    )
    Correction.objects.create(release=release, note="A figure was corrected.")
    ReleaseFactory(
        organizations=[organization], author=author, published_at=timezone.now() - timedelta(days=1)
    )
    withdrawn = ReleaseFactory(withdrawn=True, withdrawal_reason="Issued in error.")
    urls = {
        "home": lambda: reverse("releases:home"),
        "list": lambda: reverse("releases:list"),
        "search": lambda: reverse("releases:list") + "?q=reef",
        "detail": release.get_absolute_url,
        "tag": lambda: reverse("releases:tag", kwargs={"slug": "oceans"}),
        "organization": organization.get_absolute_url,
        "author": author.get_absolute_url,
        "withdrawn": withdrawn.get_absolute_url,
    }
    return lambda name: urls[name]()


def parse(html: str):
    """The document as an ElementTree; raises html5lib's ParseError on invalid HTML5."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(html)


def assert_accessible_skeleton(document) -> None:
    html = document
    assert html.get("lang"), "the page declares no language"
    title = html.find("./head/title")
    assert title is not None and title.text.strip(), "the page has no <title>"
    metas = {m.get("name"): m.get("content") for m in html.iter("meta") if m.get("name")}
    assert metas.get("description", "").strip(), "the page has no meta description"
    assert "width=device-width" in metas.get("viewport", "")
    assert any(
        link.get("rel") == "stylesheet" and link.get("media") == "print"
        for link in html.iter("link")
    ), "no print stylesheet"

    body = html.find("./body")
    assert len(list(body.iter("h1"))) == 1, "a page has exactly one h1"
    assert len(list(body.iter("main"))) == 1
    for landmark in ("header", "nav", "footer"):
        assert body.find(f".//{landmark}") is not None, f"no <{landmark}> landmark"

    first_link = next(body.iter("a"))
    assert first_link.get("href") == "#main" and "skip-link" in first_link.get("class", "")
    assert body.find(".//main").get("id") == "main"

    ids = [e.get("id") for e in html.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "duplicate id"
    for image in body.iter("img"):
        assert image.get("alt") is not None, "an image without alt"

    labelled = {label.get("for") for label in body.iter("label")}
    for field in body.iter("input"):
        if field.get("type") in ("hidden", "submit", "button"):
            continue
        assert field.get("id") in labelled or field.get("aria-label"), "a field without label"

    levels = [int(e.tag[1]) for e in body.iter() if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1, "the first heading is not the h1"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"

    for link in body.iter("a"):
        text = "".join(link.itertext()).strip()
        assert text, f"a link without text: {link.get('href')}"
        assert text.lower() not in ("click here", "here", "more", "read more")

    for time in body.iter("time"):
        assert time.get("datetime"), "a <time> without datetime"


@pytest.mark.parametrize(
    "name", ["home", "list", "search", "detail", "tag", "organization", "author", "withdrawn"]
)
def test_public_page_is_valid_html5_with_an_accessible_skeleton(client, newsroom, name):
    response = client.get(newsroom(name))
    assert response.status_code == (410 if name == "withdrawn" else 200)
    document = parse(response.content.decode())
    assert_accessible_skeleton(document)
    assert_site_navigation(document)


def assert_site_navigation(document) -> None:
    """Header: releases, tags and a search form; footer: feeds and sitemap."""
    header, footer = document.find(".//header"), document.find(".//footer")
    header_links = {a.get("href") for a in header.iter("a")}
    assert {reverse("releases:list"), reverse("releases:tags")} <= header_links
    search = header.find(".//form[@role='search']")
    assert search.get("action") == reverse("releases:list") and search.get("method") == "get"
    assert search.find(".//input[@name='q']") is not None
    footer_links = {a.get("href") for a in footer.iter("a")}
    assert {
        reverse("releases:feed_atom"),
        reverse("releases:feed_rss"),
        reverse("sitemap"),
    } <= footer_links


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_server_error_pages_are_valid_html5_and_need_no_database(
    django_assert_num_queries, template
):
    with django_assert_num_queries(0):
        html = render_to_string(template)
    assert_accessible_skeleton(parse(html))


def test_invalid_markup_is_caught_by_the_strict_parser():
    with pytest.raises(html5lib.html5parser.ParseError):
        parse("<!DOCTYPE html><html lang='en'><head><title>x</title></head><body><p></div>")


def relative_luminance(hex_color: str) -> float:
    channels = [int(hex_color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted(map(relative_luminance, (foreground, background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_palette_text_colours_meet_wcag_aa_contrast():
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    palette = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", css))
    pairs = [
        (text, background)
        for text in ("ink", "muted", "accent", "signal")
        for background in ("paper", "panel")
    ] + [("masthead-ink", "masthead"), ("masthead-muted", "masthead"), ("focus-ink", "focus")]
    for text, background in pairs:
        ratio = contrast(palette[text], palette[background])
        assert ratio >= 4.5, f"--{text} on --{background} is {ratio:.2f}:1"
