"""The Atom and RSS feeds: entries, filters, visibility, 400s, conditional GET, queries."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.filters import ReleaseFilter
from releases.models import Release
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

FORMATS = ["releases:feed_atom", "releases:feed_rss"]
# Fixed, past publication times: the year/month filters read them; all are public.
MARCH = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
APRIL = datetime(2024, 4, 2, 15, 0, tzinfo=UTC)
MAY = datetime(2024, 5, 20, 8, 0, tzinfo=UTC)


def fetch(client, url_name, query="", **headers):
    return client.get(f"{reverse(url_name)}{'?' if query else ''}{query}", **headers)


def parse(client, url_name, query=""):
    response = fetch(client, url_name, query)
    assert response.status_code == 200, response.content
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def headlines(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


@pytest.fixture
def newsroom():
    """Two organizations, three public releases, and one release in every hidden state."""
    who = OrganizationFactory(name="World Health Organization", short_name="WHO")
    unicef = OrganizationFactory(name="UNICEF", short_name="")
    author = AuthorFactory(name="Ada Reporter")
    now = timezone.now()
    public = {
        "vaccine": ReleaseFactory(
            headline="Vaccine drive reaches remote villages",
            summary="Health workers reached 12 villages.",
            body="<p>Vaccines <strong>arrived</strong> by boat.</p>",
            published_at=MARCH,
            author=author,
            organizations=[who, unicef],
            tags=["Health", "Vaccines"],
        ),
        "schools": ReleaseFactory(
            headline="Schools reopen after the floods",
            published_at=APRIL,
            organizations=[unicef],
            tags=["Education"],
        ),
        "malaria": ReleaseFactory(
            headline="Malaria cases fall for a third year",
            published_at=MAY,
            organizations=[who],
            tags=["Health"],
        ),
    }
    hidden = [
        ReleaseFactory(headline="Hidden draft", draft=True, tags=["Health"], organizations=[who]),
        ReleaseFactory(headline="Hidden in review", in_review=True, tags=["Health"]),
        ReleaseFactory(headline="Hidden scheduled", scheduled=True, tags=["Health"]),
        ReleaseFactory(
            headline="Hidden embargoed",
            published_at=now - timedelta(days=1),
            embargoed=True,
            tags=["Health"],
            organizations=[who],
        ),
        ReleaseFactory(
            headline="Hidden withdrawn",
            published_at=now - timedelta(days=3),
            withdrawn=True,
            tags=["Health"],
        ),
    ]
    return {"who": who, "unicef": unicef, "author": author, "public": public, "hidden": hidden}


# -- entries ---------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", FORMATS)
def test_entries_carry_id_title_summary_content_author_tags_and_times(client, newsroom, url_name):
    release = newsroom["public"]["vaccine"]
    feed = parse(client, url_name)
    entry = next(e for e in feed.entries if e.title == release.headline)

    assert entry.id.startswith("tag:testserver,")
    assert entry.id.endswith(f":release/{release.pk}")
    assert entry.link == f"http://testserver{release.get_absolute_url()}"
    assert entry.summary == "Health workers reached 12 villages."
    assert entry.content[0].value == "<p>Vaccines <strong>arrived</strong> by boat.</p>"
    assert entry.author == "Ada Reporter"
    assert {tag.term for tag in entry.tags} == {"Health", "Vaccines"}
    assert entry.published_parsed[:5] == MARCH.timetuple()[:5]
    updated = release.updated_at.astimezone(UTC)
    assert entry.updated_parsed[:6] == updated.timetuple()[:6]


def test_atom_entries_link_the_author_page_and_carry_html_content(client, newsroom):
    release = newsroom["public"]["vaccine"]
    response = fetch(client, "releases:feed_atom")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    entry = next(e for e in feed.entries if e.title == release.headline)
    assert entry.author_detail.href == f"http://testserver{newsroom['author'].get_absolute_url()}"
    assert entry.content[0].type == "text/html"
    assert b'<content type="html">' in response.content


def test_rss_declares_the_content_namespace_and_uses_content_encoded(client, newsroom):
    response = fetch(client, "releases:feed_rss")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    body = response.content.decode()
    assert 'xmlns:content="http://purl.org/rss/1.0/modules/content/"' in body
    assert "<content:encoded>&lt;p&gt;Vaccines" in body


@pytest.mark.parametrize("url_name", FORMATS)
def test_entries_are_newest_first_and_the_feed_is_dated_by_the_latest_update(
    client, newsroom, url_name
):
    feed = parse(client, url_name)
    assert headlines(feed) == [
        "Malaria cases fall for a third year",
        "Schools reopen after the floods",
        "Vaccine drive reaches remote villages",
    ]
    latest_update = max(r.updated_at for r in newsroom["public"].values()).astimezone(UTC)
    assert feed.feed.updated_parsed[:6] == latest_update.timetuple()[:6]


@pytest.mark.parametrize("url_name", FORMATS)
def test_the_feed_holds_at_most_feed_size_entries(client, newsroom, url_name, monkeypatch):
    monkeypatch.setattr("releases.feeds.FEED_SIZE", 2)
    assert headlines(parse(client, url_name)) == [
        "Malaria cases fall for a third year",
        "Schools reopen after the floods",
    ]


def test_markup_and_ampersands_in_text_survive_as_text_in_atom(client):
    ReleaseFactory(headline="R&D <budget> doubles", summary="Labs & <people>.")
    entry = parse(client, "releases:feed_atom").entries[0]
    assert (entry.title_detail.type, entry.title) == ("text/plain", "R&D <budget> doubles")
    assert entry.summary == "Labs &amp; &lt;people&gt;."  # HTML that reads "Labs & <people>."


def test_markup_and_ampersands_in_text_are_escaped_html_in_rss(client):
    # RSS readers render titles as HTML: the title is HTML that reads as the headline.
    # (tests/test_hostile_text.py runs a whole XSS corpus through both feeds.)
    ReleaseFactory(headline="R&D <budget> doubles", summary="Labs & <people>.")
    entry = parse(client, "releases:feed_rss").entries[0]
    assert (entry.title_detail.type, entry.title) == ("text/html", "R&amp;D &lt;budget&gt; doubles")
    assert entry.summary == "Labs &amp; &lt;people&gt;."


@pytest.mark.parametrize("url_name", FORMATS)
def test_control_characters_pasted_into_a_release_do_not_break_the_feed(client, url_name):
    ReleaseFactory(headline="Budget\x0b approved", summary="Lede\x01.")
    entry = parse(client, url_name).entries[0]
    assert entry.title == "Budget approved"


@pytest.mark.parametrize("url_name", FORMATS)
def test_control_characters_in_the_query_do_not_break_the_feed_title(client, url_name):
    ReleaseFactory(headline="Budget approved")
    feed = parse(client, url_name, "q=budget%01")
    assert feed.feed.title == "Releases matching “budget” · Newsroom"


@pytest.mark.parametrize("url_name", FORMATS)
def test_a_release_without_author_still_gives_a_valid_entry(client, url_name):
    ReleaseFactory(headline="Anonymous notice", author=None)
    feed = parse(client, url_name)
    assert headlines(feed) == ["Anonymous notice"]


# -- visibility ------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", FORMATS)
@pytest.mark.parametrize("query", ["", "tag=health", "organization=who", "q=hidden"])
def test_drafts_reviews_scheduled_embargoed_and_withdrawn_never_appear(
    client, newsroom, url_name, query
):
    feed = parse(client, url_name, query)
    assert not [title for title in headlines(feed) if title.startswith("Hidden")]
    body = fetch(client, url_name, query).content.decode()
    for release in newsroom["hidden"]:
        assert release.headline not in body
        assert release.get_absolute_url() not in body


# -- filters ---------------------------------------------------------------------------

FILTER_CASES = {
    "tag=health": ["Malaria cases fall for a third year", "Vaccine drive reaches remote villages"],
    "tag=health&tag=vaccines": ["Vaccine drive reaches remote villages"],
    "organization=unicef": [
        "Schools reopen after the floods",
        "Vaccine drive reaches remote villages",
    ],
    "organization=who&tag=health": [
        "Malaria cases fall for a third year",
        "Vaccine drive reaches remote villages",
    ],
    "author=ada-reporter": ["Vaccine drive reaches remote villages"],
    "year=2024&month=4": ["Schools reopen after the floods"],
    "year=2024": [
        "Malaria cases fall for a third year",
        "Schools reopen after the floods",
        "Vaccine drive reaches remote villages",
    ],
    "from=2024-04-02&to=2024-05-19": ["Schools reopen after the floods"],
    "q=malaria": ["Malaria cases fall for a third year"],
    "tag=education&organization=who": [],
}


@pytest.mark.parametrize("url_name", FORMATS)
@pytest.mark.parametrize(("query", "expected"), FILTER_CASES.items(), ids=FILTER_CASES)
def test_filters_narrow_the_feed_exactly_like_the_list(client, newsroom, url_name, query, expected):
    feed = parse(client, url_name, query)
    assert headlines(feed) == expected
    # The list's definition of the same query string: the one FilterSet.
    listed = ReleaseFilter(QueryDict(query), queryset=Release.objects.published()).qs
    listed = listed.order_by("-published_at", "-id")
    assert headlines(feed) == [release.headline for release in listed]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("", "Releases · Newsroom"),
        ("tag=health&organization=who", "Releases tagged Health from WHO · Newsroom"),
        ("tag=health&tag=vaccines", "Releases tagged Health and Vaccines · Newsroom"),
        ("organization=unicef&year=2024&month=4", "Releases from UNICEF in April 2024 · Newsroom"),
        ("author=ada-reporter&q=vaccine", "Releases by Ada Reporter matching “vaccine” · Newsroom"),
        ("from=2024-04-01", "Releases since 1 April 2024 · Newsroom"),
    ],
)
def test_the_feed_title_says_what_the_filters_select(client, newsroom, query, title):
    feed = parse(client, "releases:feed_atom", query)
    assert feed.feed.title == title
    assert feed.feed.subtitle.startswith("The 50 newest releases")


def test_the_feed_links_to_the_filtered_list_and_to_itself(client, newsroom):
    feed = parse(client, "releases:feed_atom", "organization=who&utm_source=x&tag=health")
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["alternate"] == "http://testserver/releases/?tag=health&organization=who"
    assert links["self"] == "http://testserver/feeds/releases.atom?tag=health&organization=who"


INVALID_QUERIES = [
    "tag=no-such-tag",
    "organization=no-such-organization",
    "author=nobody",
    "year=twenty",
    "year=2024&month=13",
    "month=3",
    "from=2024-02-30",
    "from=2024-05-01&to=2024-04-01",
    "q=" + "x" * 201,
]


@pytest.mark.parametrize("url_name", FORMATS)
@pytest.mark.parametrize("query", INVALID_QUERIES)
def test_invalid_filters_answer_400_with_a_plain_message(client, newsroom, url_name, query):
    response = fetch(client, url_name, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("These feed filters are not valid:")
    assert "ETag" not in response


def test_unknown_parameters_are_ignored(client, newsroom):
    feed = parse(client, "releases:feed_rss", "utm_source=newsletter&page=3")
    assert len(feed.entries) == 3


def test_the_feeds_only_answer_get_and_head(client, newsroom):
    assert client.post(reverse("releases:feed_atom")).status_code == 405
    assert client.head(reverse("releases:feed_atom")).status_code == 200


# -- conditional GET -------------------------------------------------------------------


@pytest.mark.parametrize("url_name", FORMATS)
def test_an_unchanged_feed_answers_304_to_its_etag_and_date(client, newsroom, url_name):
    first = fetch(client, url_name, "tag=health")
    etag, last_modified = first["ETag"], first["Last-Modified"]

    by_etag = fetch(client, url_name, "tag=health", HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = fetch(client, url_name, "tag=health", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.status_code == 304


def test_the_etag_changes_with_the_filters_and_the_format(client, newsroom):
    etags = {
        fetch(client, "releases:feed_atom")["ETag"],
        fetch(client, "releases:feed_atom", "tag=health")["ETag"],
        fetch(client, "releases:feed_rss", "tag=health")["ETag"],
    }
    assert len(etags) == 3


def test_an_edit_makes_the_old_etag_stale(client, newsroom):
    etag = fetch(client, "releases:feed_atom")["ETag"]
    release = newsroom["public"]["malaria"]
    # updated_at is taken from the clock; step past the second the ETag was made in.
    Release.objects.filter(pk=release.pk).update(updated_at=timezone.now() + timedelta(seconds=2))
    Release.objects.filter(pk=release.pk).update(headline="Malaria cases fall again")

    response = fetch(client, "releases:feed_atom", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Malaria cases fall again" in response.content.decode()


# -- queries ---------------------------------------------------------------------------


def _count_queries(client, url_name, query):
    with CaptureQueriesContext(connection) as queries:
        response = fetch(client, url_name, query)
    assert response.status_code == 200
    return len(queries)


def _publish(count, organization, tags, start):
    for n in range(count):
        ReleaseFactory(
            published_at=start - timedelta(hours=n),
            author=AuthorFactory(),
            organizations=[organization, OrganizationFactory()],
            tags=tags,
        )


@pytest.mark.parametrize("url_name", FORMATS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # version, entries, their tags, organizations, corrections and attachments (the
        # body's own images, releases.body_images.distributed_body)
        ("", 6),
        ("tag=health&tag=science", 8),  # + tag validation, tag names
        ("tag=health&organization=who&author=ada", 10),  # + organization, author validation
    ],
)
def test_the_query_count_is_fixed_whatever_the_number_of_entries(
    client, url_name, query, expected, django_assert_max_num_queries
):
    who = OrganizationFactory(short_name="WHO")
    ada = AuthorFactory(name="Ada")
    now = timezone.now()
    ReleaseFactory(author=ada, organizations=[who], tags=["Health", "Science"])
    _publish(2, who, ["Health", "Science"], now - timedelta(days=1))
    few = _count_queries(client, url_name, query)

    _publish(22, who, ["Health", "Science", "Extra"], now - timedelta(days=2))
    with django_assert_max_num_queries(expected):
        many = _count_queries(client, url_name, query)
    assert few == many == expected


def test_a_304_costs_one_query(client, newsroom, django_assert_max_num_queries):
    etag = fetch(client, "releases:feed_atom")["ETag"]
    with django_assert_max_num_queries(1):
        assert fetch(client, "releases:feed_atom", HTTP_IF_NONE_MATCH=etag).status_code == 304
