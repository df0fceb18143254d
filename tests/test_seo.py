"""What a page tells machines in its head: canonical, OpenGraph, Twitter, JSON-LD, feeds."""

import io
import json
import re
from datetime import UTC, datetime, timedelta

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from releases.seo import filter_query, json_ld_script
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory, editor

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
XSS = "</script><script>alert(1)</script>"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def tiny_png(name="reef.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def head_of(client, url, **extra) -> tuple[str, list]:
    """The page's HTML and its parsed ``<head>`` children (html5lib, as browsers parse)."""
    response = client.get(url, **extra)
    assert response.status_code == 200
    html = response.content.decode()
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return html, list(document.find("head"))


def meta(head, key: str) -> list[str]:
    """Contents of ``<meta property=key>`` / ``<meta name=key>``, in order."""
    return [
        el.get("content")
        for el in head
        if el.tag == "meta" and key in (el.get("property"), el.get("name"))
    ]


def links(head, rel: str) -> list[dict]:
    return [dict(el.attrib) for el in head if el.tag == "link" and el.get("rel") == rel]


def json_ld(head) -> dict:
    scripts = [el for el in head if el.tag == "script" and el.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


@pytest.fixture
def release():
    issuer = OrganizationFactory(
        name="Ocean Trust", short_name="OT", website="https://ocean.example/"
    )
    partner = OrganizationFactory(name="Aardvark Society")  # sorts first by name, not the issuer
    release = ReleaseFactory(
        headline="Reef survey finds recovery",
        subheadline="Coral cover up a third in five years",
        summary="Coral cover on the reef rose by a third.",
        dateline="Cairns",
        published_at=PUBLISHED,
        language="en-AU",
        author=AuthorFactory(name="Sam Reporter"),
        organizations=[issuer, partner],
        tags=["Oceans", "Science"],
        featured_image=tiny_png(),
        featured_image_alt="Divers over a coral reef",
    )
    issuer.logo = tiny_png("logo.png")
    issuer.save()
    return release


# -- release pages ---------------------------------------------------------------------


def test_release_json_ld_is_a_news_article_with_every_field(client, release):
    _, head = head_of(client, release.get_absolute_url())
    data = json_ld(head)
    url = f"http://testserver{release.get_absolute_url()}"
    release.refresh_from_db()

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Reef survey finds recovery"
    assert data["alternativeHeadline"] == "Coral cover up a third in five years"
    assert data["dateline"] == "CAIRNS, 14 March 2025"
    assert datetime.fromisoformat(data["datePublished"]) == PUBLISHED
    modified = datetime.fromisoformat(data["dateModified"])
    assert abs(modified - release.updated_at) < timedelta(milliseconds=1)
    assert data["author"] == {
        "@type": "Person",
        "name": "Sam Reporter",
        "url": f"http://testserver{release.author.get_absolute_url()}",
    }
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["url"].startswith("http://testserver/organizations/")
    # Uploads live under a random folder (releases.uploads): organizations/<token>/logo…
    logo_url = publisher["logo"]["url"]
    assert logo_url.startswith("http://testserver/media/organizations/")
    assert logo_url.rsplit("/", 1)[1].startswith("logo")
    assert sorted(data["keywords"]) == ["Oceans", "Science"]
    # The rendition about 1200 px wide (here the 2 px image's own width), with its size.
    share = release.featured_image_set.share
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "url": f"http://testserver{share.url}",
            "width": 2,
            "height": 2,
            "encodingFormat": "image/png",
        }
    ]
    assert data["description"] == "Coral cover on the reef rose by a third."
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["inLanguage"] == "en-AU"


def test_json_ld_publisher_is_the_issuer_not_the_alphabetically_first_organization(client, release):
    _, head = head_of(client, release.get_absolute_url())
    assert json_ld(head)["publisher"]["name"] == "Ocean Trust"


def test_a_script_closing_headline_cannot_break_out_of_the_json_ld(client):
    release = ReleaseFactory(headline=f"Budget {XSS} & more", summary=XSS)
    html, head = head_of(client, release.get_absolute_url())
    assert "</script><script>" not in html
    assert "<script>alert(1)" not in html
    data = json_ld(head)
    assert data["headline"] == f"Budget {XSS} & more"
    assert data["description"] == XSS


def test_json_ld_script_escapes_markup_characters():
    script = json_ld_script({"headline": "<b>&</b>"})
    assert script == (
        '<script type="application/ld+json">{"headline": "\\u003Cb\\u003E\\u0026\\u003C/b\\u003E"}'
        "</script>"
    )


def test_release_page_has_canonical_opengraph_and_a_large_twitter_card_with_an_image(
    client, release
):
    _, head = head_of(client, release.get_absolute_url() + "?utm_source=newsletter")
    url = f"http://testserver{release.get_absolute_url()}"
    image = f"http://testserver{release.featured_image_set.share.url}"

    assert links(head, "canonical") == [{"rel": "canonical", "href": url}]
    assert meta(head, "og:type") == ["article"]
    assert meta(head, "og:title") == ["Reef survey finds recovery"]
    assert meta(head, "og:description") == ["Coral cover on the reef rose by a third."]
    assert meta(head, "og:url") == [url]
    assert meta(head, "og:site_name") == ["Newsroom"]
    assert meta(head, "og:image") == [image]
    assert meta(head, "og:image:width") == ["2"]
    assert meta(head, "og:image:height") == ["2"]
    assert meta(head, "og:image:type") == ["image/png"]
    assert meta(head, "og:image:alt") == ["Divers over a coral reef"]
    assert [datetime.fromisoformat(t) for t in meta(head, "article:published_time")] == [PUBLISHED]
    assert len(meta(head, "article:modified_time")) == 1
    assert sorted(meta(head, "article:tag")) == ["Oceans", "Science"]
    assert meta(head, "twitter:card") == ["summary_large_image"]
    assert meta(head, "twitter:image") == [image]


SITE_LOGO = "http://testserver/static/img/newsroom-logo.png"


def test_release_without_an_image_or_issuer_logo_shows_the_site_logo(client):
    release = ReleaseFactory(headline="Plain words", organizations=[OrganizationFactory()])
    _, head = head_of(client, release.get_absolute_url())
    assert meta(head, "twitter:card") == ["summary"]  # a logo is no large picture
    assert meta(head, "og:image") == [SITE_LOGO]
    assert meta(head, "twitter:image") == [SITE_LOGO]
    assert meta(head, "og:image:alt") == ["Logo of Newsroom"]
    data = json_ld(head)
    assert data["image"] == [SITE_LOGO]
    assert data["publisher"]["logo"] == {"@type": "ImageObject", "url": SITE_LOGO}


def test_release_without_an_image_shows_its_issuers_logo(client):
    issuer = OrganizationFactory(name="Ocean Trust", logo=tiny_png("ocean.png"))
    release = ReleaseFactory(organizations=[issuer, OrganizationFactory()])
    _, head = head_of(client, release.get_absolute_url())
    logo = f"http://testserver{issuer.logo.url}"
    rendition = f"http://testserver{issuer.logo_set.share.url}"
    assert meta(head, "og:image") == [rendition]
    assert meta(head, "og:image:alt") == ["Logo of Ocean Trust"]
    data = json_ld(head)
    assert data["image"][0]["url"] == rendition
    assert data["publisher"]["name"] == "Ocean Trust"
    assert data["publisher"]["logo"]["url"] == logo


def test_release_without_organizations_is_published_by_the_site_with_its_logo(client):
    release = ReleaseFactory()
    _, head = head_of(client, release.get_absolute_url())
    publisher = json_ld(head)["publisher"]
    assert publisher["name"] == "Newsroom"
    assert publisher["url"] == "http://testserver/"
    assert publisher["logo"]["url"] == SITE_LOGO


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("brand/logo.png", "http://testserver/static/brand/logo.png"),
        ("https://cdn.example.org/logo.png", "https://cdn.example.org/logo.png"),
    ],
)
def test_the_site_logo_is_a_setting(client, settings, setting, expected):
    settings.NEWSROOM_SITE_LOGO = setting
    release = ReleaseFactory()
    _, head = head_of(client, release.get_absolute_url())
    data = json_ld(head)
    assert data["image"] == [expected]
    assert data["publisher"]["logo"]["url"] == expected


def test_the_default_site_logo_is_a_png_google_accepts():
    from django.contrib.staticfiles import finders

    path = finders.find("img/newsroom-logo.png")
    assert path, "static/img/newsroom-logo.png is missing"
    with Image.open(path) as logo:
        assert logo.format == "PNG"
        # Google: logos at least 112 px wide, images raster and crawlable.
        assert min(logo.size) >= 112


def assert_google_article(data: dict) -> None:
    """The properties Google's Article structured data reads, with their shapes
    (developers.google.com/search/docs/appearance/structured-data/article)."""
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert isinstance(data["headline"], str)
    assert data["headline"]
    assert data["image"]
    urls = [image["url"] if isinstance(image, dict) else image for image in data["image"]]
    assert all(url.startswith(("http://", "https://")) for url in urls)
    datetime.fromisoformat(data["datePublished"])
    datetime.fromisoformat(data["dateModified"])
    if "author" in data:
        assert data["author"]["@type"] in ("Person", "Organization")
        assert data["author"]["name"]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"]
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].startswith(("http://", "https://"))


def test_every_demo_release_has_an_image_and_a_publisher_logo(client):
    from django.core.management import call_command

    from releases.models import Release

    call_command("load_demo", stdout=io.StringIO())
    releases = list(Release.objects.published())
    assert len(releases) > 5
    for release in releases:
        _, head = head_of(client, release.get_absolute_url())
        data = json_ld(head)
        assert_google_article(data)
        # A stored image is an ImageObject (with its size), the site logo a bare URL.
        image = data["image"][0]
        image_url = image if isinstance(image, str) else image["url"]
        assert meta(head, "og:image") == [image_url], release.headline
        assert meta(head, "twitter:image") == [image_url], release.headline
        for url in (image_url, data["publisher"]["logo"]["url"]):
            assert_served(client, url)


def assert_served(client, url: str) -> None:
    """The file behind an absolute URL exists: static files (which tests do not serve)
    through the finders, uploads by fetching them."""
    from django.contrib.staticfiles import finders

    path = url.removeprefix("http://testserver")
    if path.startswith("/static/"):
        assert finders.find(path.removeprefix("/static/")), url
    else:
        assert client.get(path).status_code == 200, url


def test_release_page_says_its_head_once(client, release):
    _, head = head_of(client, release.get_absolute_url())
    assert len(links(head, "canonical")) == 1
    for key in ("og:type", "og:title", "og:site_name", "og:url", "twitter:card"):
        assert len(meta(head, key)) == 1, key


def test_a_draft_previewed_by_staff_is_marked_noindex(client):
    client.force_login(editor())
    release = ReleaseFactory(headline="Not yet", draft=True)
    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    document = html5lib.parse(response.content, namespaceHTMLElements=False)
    assert meta(list(document.find("head")), "robots") == ["noindex, nofollow"]


def test_the_release_head_adds_no_query_per_tag(client):
    def count(release):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(release.get_absolute_url()).status_code == 200
        return len(queries)

    few = count(ReleaseFactory(tags=["One"], organizations=[OrganizationFactory()]))
    many = count(
        ReleaseFactory(
            tags=[f"Tag {n}" for n in range(8)],
            organizations=[OrganizationFactory() for _ in range(3)],
            featured_image=tiny_png(),
            featured_image_alt="A picture",
        )
    )
    assert few == many


# -- every page ------------------------------------------------------------------------


def test_a_list_page_canonical_keeps_filters_but_drops_tracking(client):
    ReleaseFactory(tags=["Health"])
    _, head = head_of(
        client, reverse("releases:list") + "?utm_source=x&tag=health&fbclid=abc&q=reef"
    )
    assert links(head, "canonical") == [
        {"rel": "canonical", "href": "http://testserver/releases/?tag=health&q=reef"}
    ]
    assert meta(head, "og:site_name") == ["Newsroom"]
    assert meta(head, "twitter:card") == ["summary"]


def test_the_canonical_url_keeps_a_page_number_past_the_first():
    request = RequestFactory().get("/releases/", {"page": "2", "tag": "health", "gclid": "x"})
    html = render_to_string("includes/page_head.html", {"site_name": "Newsroom"}, request=request)
    assert '<link rel="canonical" href="http://testserver/releases/?tag=health&amp;page=2">' in html


def test_filter_query_keeps_filters_and_a_page_past_the_first_only():
    params = QueryDict("utm_source=x&tag=b&tag=a&tag=a&q=+reef+&page=1&token=secret&year=")
    assert filter_query(params).urlencode() == "tag=a&tag=b&q=reef"
    assert filter_query(params, keep_page=True).urlencode() == "tag=a&tag=b&q=reef"
    paged = QueryDict("page=3&organization=who")
    assert filter_query(paged, keep_page=True).urlencode() == "organization=who&page=3"
    assert filter_query({"tag": "health"}).urlencode() == "tag=health"
    assert filter_query({"tag": ["b", "a"], "year": 2024}).urlencode() == "tag=a&tag=b&year=2024"


def test_the_home_page_head_is_generic(client):
    _, head = head_of(client, "/?utm_campaign=spring")
    assert links(head, "canonical") == [{"rel": "canonical", "href": "http://testserver/"}]
    assert meta(head, "og:title") == ["Newsroom"]
    assert meta(head, "og:type") == ["website"]


def test_page_title_in_the_context_becomes_the_og_title():
    request = RequestFactory().get("/organizations/who/")
    html = render_to_string(
        "includes/page_head.html",
        {"page_title": "WHO newsroom", "site_name": "Newsroom"},
        request=request,
    )
    assert '<meta property="og:title" content="WHO newsroom">' in html
    assert '<link rel="canonical" href="http://testserver/organizations/who/">' in html


# -- feed links ------------------------------------------------------------------------


def feed_hrefs(html: str) -> list[tuple[str, str]]:
    """(type, href) of every ``<link rel="alternate">``, in document order."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        (el.get("type"), el.get("href"))
        for el in document.iter("link")
        if el.get("rel") == "alternate"
    ]


SITE_FEEDS = [
    ("application/atom+xml", "/feeds/releases.atom"),
    ("application/rss+xml", "/feeds/releases.rss"),
]


def test_every_page_links_the_atom_and_rss_feeds(client):
    release = ReleaseFactory()
    for url in ("/", reverse("releases:list"), release.get_absolute_url()):
        html, _ = head_of(client, url)
        assert feed_hrefs(html) == SITE_FEEDS


def test_feed_links_carry_the_list_filters_but_not_the_page_or_tracking(client):
    ReleaseFactory(tags=["Health"])
    html, _ = head_of(client, reverse("releases:list") + "?tag=health&utm_source=x&q=reef")
    assert feed_hrefs(html) == [
        ("application/atom+xml", "/feeds/releases.atom?tag=health&q=reef"),
        ("application/rss+xml", "/feeds/releases.rss?tag=health&q=reef"),
        *SITE_FEEDS,
    ]


def test_feed_query_in_the_context_wins_over_the_query_string():
    # A tag page fixes its tag in the URL path, so its view hands it over as feed_query.
    request = RequestFactory().get("/tags/health/", {"page": "2", "utm_source": "x"})
    html = render_to_string(
        "includes/feed_links.html",
        {"feed_query": {"tag": "health", "year": "2024"}, "site_name": "Newsroom"},
        request=request,
    )
    assert feed_hrefs(html) == [
        ("application/atom+xml", "/feeds/releases.atom?tag=health&year=2024"),
        ("application/rss+xml", "/feeds/releases.rss?tag=health&year=2024"),
        *SITE_FEEDS,
    ]


def test_the_linked_feeds_answer(client):
    ReleaseFactory(tags=["Health"])
    html, _ = head_of(client, reverse("releases:list") + "?tag=health")
    for _, href in feed_hrefs(html):
        assert client.get(href).status_code == 200


def test_head_tags_render_nothing_without_a_request():
    html = render_to_string("includes/page_head.html", {"site_name": "Newsroom"})
    assert "canonical" not in html
    assert re.search(r'og:site_name" content="Newsroom"', html)


# -- error pages -----------------------------------------------------------------------


def error_head(response, status: int) -> list:
    assert response.status_code == status, response.content[:300]
    document = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    return list(document.find("head"))


@pytest.mark.parametrize(
    "url",
    [
        "/no/such/page/",
        "/tags/no-such-tag/",
        "/organizations/nobody/",
        "/authors/nobody/",
        "/releases/1999/",
        "/releases/2025/13/",
        "/releases/?page=99",
        "/releases/no-such-release/",
        "/feeds/",
    ],
)
def test_a_404_names_no_canonical_url_nor_og_url(client, url):
    ReleaseFactory()
    head = error_head(client.get(url + ("&" if "?" in url else "?") + "utm_source=x"), 404)
    assert links(head, "canonical") == []
    assert meta(head, "og:url") == []
    assert meta(head, "robots") == ["noindex"]


def test_a_hidden_release_is_a_404_without_canonical(client):
    for hidden in (ReleaseFactory(draft=True), ReleaseFactory(embargoed=True)):
        head = error_head(client.get(hidden.get_absolute_url()), 404)
        assert links(head, "canonical") == []
        assert meta(head, "og:url") == []


@pytest.mark.parametrize(
    "url",
    [
        "/releases/?year=twenty",
        "/releases/?tag=no-such-tag",
        "/tags/health/?month=3",
        "/releases/?q=%00",
    ],
)
def test_a_400_names_no_canonical_url_nor_og_url(client, url):
    ReleaseFactory(tags=["Health"])
    head = error_head(client.get(url), 400)
    assert links(head, "canonical") == []
    assert meta(head, "og:url") == []


def test_a_withdrawn_release_names_no_canonical_url(client):
    release = ReleaseFactory(withdrawn=True)
    head = error_head(client.get(release.get_absolute_url()), 410)
    assert links(head, "canonical") == []
    assert meta(head, "og:url") == []


def test_no_error_template_has_a_canonical_url():
    # Every NNN.html, present and future (the 503 page), rendered as its handler does:
    # with a request for a URL that looks like a page.
    from pathlib import Path

    from django.conf import settings

    templates = sorted(Path(settings.BASE_DIR, "templates").glob("[45][0-9][0-9].html"))
    assert {t.name for t in templates} >= {"400.html", "404.html", "500.html"}
    request = RequestFactory().get("/releases/?tag=health")
    for template in templates:
        html = render_to_string(template.name, {"request_path": request.path}, request=request)
        assert 'rel="canonical"' not in html, template.name
        assert "og:url" not in html, template.name
