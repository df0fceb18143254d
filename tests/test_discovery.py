"""Feed autodiscovery: every list page advertises the feed of what it lists.

A journalist's feed reader, given a tag, organization, author or archive page, reads its
``<link rel="alternate">`` elements and subscribes to the first feed it understands.
That must be the feed of exactly that page's releases (and answer, and be filtered),
titled so the reader names the subscription; the site-wide feeds follow.
"""

from datetime import UTC, datetime
from html import unescape

import feedparser
import html5lib
import pytest

from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

MARCH = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
APRIL = datetime(2024, 4, 2, 15, 0, tzinfo=UTC)
LAST_YEAR = datetime(2023, 11, 5, 10, 0, tzinfo=UTC)
SITE_FEEDS = [
    ("application/atom+xml", "/feeds/releases.atom", "Newsroom releases (Atom)"),
    ("application/rss+xml", "/feeds/releases.rss", "Newsroom releases (RSS)"),
]


def alternates(html: str) -> list[tuple[str, str, str]]:
    """(type, href, title) of the ``<link rel="alternate">`` in the head, in order."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        (link.get("type"), link.get("href"), link.get("title"))
        for link in document.find("head").iter("link")
        if link.get("rel") == "alternate"
    ]


def visible_feed_links(html: str) -> list[tuple[str, str]]:
    """(type, href) of the feed links in the page's body."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        (a.get("type"), a.get("href"))
        for a in document.find("body").iter("a")
        if a.get("type") in ("application/atom+xml", "application/rss+xml")
    ]


@pytest.fixture
def newsroom():
    """Releases across two tags, two organizations, two authors and two years."""
    who = OrganizationFactory(name="World Health Organization", short_name="WHO", slug="who")
    unicef = OrganizationFactory(name="UNICEF", short_name="", slug="unicef")
    ada = AuthorFactory(name="Ada Reporter", slug="ada-reporter")
    ben = AuthorFactory(name="Ben Writer", slug="ben-writer")
    releases = {
        "vaccines": ReleaseFactory(
            headline="Vaccine drive reaches remote villages",
            published_at=MARCH,
            author=ada,
            organizations=[who],
            tags=["Health & Care", "Vaccines"],
        ),
        "schools": ReleaseFactory(
            headline="Schools reopen after the floods",
            published_at=APRIL,
            author=ben,
            organizations=[unicef],
            tags=["Education"],
        ),
        "clinics": ReleaseFactory(
            headline="Clinics open in rural districts",
            published_at=LAST_YEAR,
            author=ada,
            organizations=[unicef, who],
            tags=["Health & Care"],
        ),
    }
    # Hidden releases on the same subjects never reach a feed.
    ReleaseFactory(headline="Embargoed merger", embargoed=True, organizations=[who], author=ada)
    ReleaseFactory(headline="Draft on health", draft=True, tags=["Health & Care"])
    return releases


def feed_headlines(client, href: str) -> tuple[set[str], str]:
    response = client.get(href)
    assert response.status_code == 200, (href, response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return {entry.title for entry in feed.entries}, feed.feed.title


# page, its own feed's query, the name its feed links carry, the releases it lists
PAGES = [
    (
        "/tags/health-care/",
        "tag=health-care",
        "Releases tagged Health & Care",
        {"vaccines", "clinics"},
    ),
    ("/tags/education/", "tag=education", "Releases tagged Education", {"schools"}),
    ("/organizations/who/", "organization=who", "Releases from WHO", {"vaccines", "clinics"}),
    (
        "/organizations/unicef/",
        "organization=unicef",
        "Releases from UNICEF",
        {"schools", "clinics"},
    ),
    (
        "/authors/ada-reporter/",
        "author=ada-reporter",
        "Releases by Ada Reporter",
        {"vaccines", "clinics"},
    ),
    ("/releases/2024/", "year=2024", "Releases in 2024", {"vaccines", "schools"}),
    ("/releases/2023/", "year=2023", "Releases in 2023", {"clinics"}),
    ("/releases/2024/03/", "year=2024&month=3", "Releases in March 2024", {"vaccines"}),
    (
        "/releases/?tag=health-care",
        "tag=health-care",
        "Releases tagged Health & Care",
        {"vaccines", "clinics"},
    ),
    (
        "/releases/?organization=unicef&tag=health-care&utm_source=x&page=1",
        "tag=health-care&organization=unicef",
        "Releases tagged Health & Care from UNICEF",
        {"clinics"},
    ),
    (
        "/tags/health-care/?organization=who&year=2024",
        "tag=health-care&organization=who&year=2024",
        "Releases tagged Health & Care from WHO in 2024",
        {"vaccines"},
    ),
    (
        "/authors/ben-writer/?q=floods",
        "author=ben-writer&q=floods",
        "Releases by Ben Writer matching “floods”",
        {"schools"},
    ),
]


@pytest.mark.parametrize(("path", "query", "name", "expected"), PAGES)
def test_a_list_page_advertises_its_own_feeds_first_then_the_site_wide_ones(
    client, newsroom, path, query, name, expected
):
    response = client.get(path)
    assert response.status_code == 200

    assert alternates(response.content.decode()) == [
        ("application/atom+xml", f"/feeds/releases.atom?{query}", f"{name} · Newsroom (Atom)"),
        ("application/rss+xml", f"/feeds/releases.rss?{query}", f"{name} · Newsroom (RSS)"),
        *SITE_FEEDS,
    ]


@pytest.mark.parametrize(("path", "query", "name", "expected"), PAGES)
def test_the_advertised_feeds_answer_with_exactly_the_pages_releases(
    client, newsroom, path, query, name, expected
):
    html = client.get(path).content.decode()
    own = [(kind, href, title) for kind, href, title in alternates(html) if "?" in href]
    assert len(own) == 2
    for _, href, title in own:
        headlines, feed_title = feed_headlines(client, href)
        assert headlines == {newsroom[key].headline for key in expected}
        # The reader names the subscription as the feed names itself (RSS readers read
        # the title as HTML, hence the unescape).
        assert title.rsplit(" (", 1)[0] == unescape(feed_title)


@pytest.mark.parametrize(
    ("path", "subject"),
    [
        ("/tags/health-care/", "tag=health-care"),
        ("/organizations/who/", "organization=who"),
        ("/authors/ada-reporter/", "author=ada-reporter"),
    ],
)
def test_tag_organization_and_author_pages_show_their_feed_links(client, newsroom, path, subject):
    html = client.get(path).content.decode()
    assert visible_feed_links(html)[:2] == [
        ("application/atom+xml", f"/feeds/releases.atom?{subject}"),
        ("application/rss+xml", f"/feeds/releases.rss?{subject}"),
    ]


@pytest.mark.parametrize(
    "path",
    ["/", "/tags/", "/releases/", "/releases/?page=1&utm_source=newsletter"],
)
def test_unfiltered_pages_advertise_the_site_wide_feeds_only(client, newsroom, path):
    assert alternates(client.get(path).content.decode()) == SITE_FEEDS


def test_a_release_page_advertises_the_site_wide_feeds_whatever_its_query_string(client, newsroom):
    url = newsroom["vaccines"].get_absolute_url() + "?tag=health-care"
    assert alternates(client.get(url).content.decode()) == SITE_FEEDS


@pytest.mark.parametrize(
    "path",
    [
        "/releases/?tag=no-such-tag",
        "/releases/?year=twenty",
        "/tags/health-care/?month=3",
        "/organizations/who/?from=2024-02-30",
    ],
)
def test_a_page_with_invalid_filters_advertises_no_feed_that_would_fail(client, newsroom, path):
    response = client.get(path)
    assert response.status_code == 400
    assert alternates(response.content.decode()) == SITE_FEEDS
    for _, href, _ in SITE_FEEDS:
        assert client.get(href).status_code == 200


def test_a_404_advertises_no_filtered_feed(client, newsroom):
    response = client.get("/no/such/page/?tag=health-care")
    assert response.status_code == 404
    assert alternates(response.content.decode()) == SITE_FEEDS


def test_feed_links_add_no_query_to_the_list_page(client, newsroom, django_assert_max_num_queries):
    # The names in the titles come from the facets the page already has (warm cache):
    # advertising the feeds costs no query.
    client.get("/tags/health-care/?tag=vaccines")
    with django_assert_max_num_queries(6):
        response = client.get("/tags/health-care/?tag=vaccines")
    assert alternates(response.content.decode())[0][2] == (
        "Releases tagged Health & Care and Vaccines · Newsroom (Atom)"
    )
