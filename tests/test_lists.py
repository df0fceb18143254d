"""The public list pages: content, active filters, facets, pagination, ETag/304, queries."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases.models import DataVersion, Release
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def at(day, hour=12, month=3, year=2024):
    return datetime(year, month, day, hour, tzinfo=UTC)


class Links(HTMLParser):
    """The hrefs of a page, each with the text of its link."""

    def __init__(self):
        super().__init__()
        self.links, self._href, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def links(response):
    parser = Links()
    parser.feed(response.content.decode())
    return parser.links


def headlines(response):
    return [release.headline for release in response.context["page_obj"].object_list]


# -- cards and content ----------------------------------------------------------------


def test_card_shows_headline_date_issuers_summary_and_tag_links(client):
    who = OrganizationFactory(name="World Health Org", slug="who")
    unicef = OrganizationFactory(name="Children's Fund", slug="unicef")
    release = ReleaseFactory(
        headline="Vaccines reach <everyone>",
        summary="A lede & more.",
        published_at=at(5, 9),
        organizations=[who, unicef],
        tags=["Vaccines", "Public health"],
    )
    html = client.get("/releases/").content.decode()
    card = html[html.index('<article class="release-card">') :]
    card = card[: card.index("</article>")]
    assert f'<a href="{release.get_absolute_url()}">Vaccines reach &lt;everyone&gt;</a>' in card
    assert '<time datetime="2024-03-05T09:00:00+00:00">5 March 2024</time>' in card
    assert '<a href="/organizations/who/">World Health Org</a>' in card
    assert "Children&#x27;s Fund" in card
    assert "A lede &amp; more." in card
    assert '<a href="/tags/vaccines/" rel="tag">Vaccines</a>' in card
    assert '<a href="/tags/public-health/" rel="tag">Public health</a>' in card


def test_tags_beyond_ascii_and_tags_of_punctuation_only_have_pages(client):
    ReleaseFactory(headline="Économie", tags=["Économie", "!!!"])
    response = client.get("/releases/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/tags/%C3%A9conomie/" rel="tag">Économie</a>' in html
    # Nothing of "!!!" survives slugify: releases.models.tags gives it "tag".
    assert '<a href="/tags/tag/" rel="tag">!!!</a>' in html
    assert client.get("/tags/tag/").status_code == 200
    tag_page = client.get("/tags/%C3%A9conomie/")
    assert tag_page.status_code == 200
    assert headlines(tag_page) == ["Économie"]


def test_list_is_newest_first_with_ties_broken_by_newest_id(client):
    ReleaseFactory(headline="Older", published_at=at(1))
    ReleaseFactory(headline="Same time, first saved", published_at=at(2))
    ReleaseFactory(headline="Same time, saved later", published_at=at(2))
    ReleaseFactory(headline="Newest", published_at=at(3))
    assert headlines(client.get("/releases/")) == [
        "Newest",
        "Same time, saved later",
        "Same time, first saved",
        "Older",
    ]


def test_list_never_shows_releases_that_are_not_public(client):
    ReleaseFactory(headline="Public one")
    ReleaseFactory(headline="A draft", draft=True)
    ReleaseFactory(headline="In review", in_review=True)
    ReleaseFactory(headline="Scheduled", scheduled=True)
    ReleaseFactory(headline="Embargoed", embargoed=True)
    ReleaseFactory(headline="Withdrawn", withdrawn=True)
    for path in ("/", "/releases/", "/tags/"):
        html = client.get(path).content.decode()
        for hidden in ("A draft", "In review", "Scheduled", "Embargoed", "Withdrawn"):
            assert hidden not in html, (path, hidden)
    assert headlines(client.get("/releases/")) == ["Public one"]


def test_a_scheduled_release_appears_when_its_time_comes_without_any_write(client):
    release = ReleaseFactory(headline="Goes live soon", scheduled=True)
    # Written two hours ago; update() leaves updated_at (and the data version) as given.
    two_hours_ago = timezone.now() - timedelta(hours=2)
    Release.objects.filter(pk=release.pk).update(updated_at=two_hours_ago)
    DataVersion.objects.update(changed_at=two_hours_ago)
    first = client.get("/releases/")
    assert "Goes live soon" not in first.content.decode()
    # The clock passes the publication time: no write happens.
    Release.objects.filter(pk=release.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    second = client.get("/releases/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert headlines(second) == ["Goes live soon"]


# -- pagination --------------------------------------------------------------------------


def test_pagination_shows_twenty_a_page_and_404s_past_the_end(client):
    for day in range(45):
        ReleaseFactory(headline=f"Release {day:02d}", published_at=at(1) + timedelta(hours=day))
    first = client.get("/releases/")
    assert len(headlines(first)) == 20
    assert headlines(first)[0] == "Release 44"
    html = first.content.decode()
    assert '<nav class="pagination" aria-label="Pages of releases">' in html
    assert '<a href="/releases/" aria-current="page">' in html
    assert '<a rel="next" href="/releases/?page=2">' in html
    assert "45 releases, page 1 of 3" in html

    third = client.get("/releases/", {"page": 3})
    assert headlines(third) == [f"Release {day:02d}" for day in range(4, -1, -1)]
    assert '<a rel="prev" href="/releases/?page=2">' in third.content.decode()
    assert client.get("/releases/", {"page": 4}).status_code == 404


def test_page_links_keep_the_filters(client):
    for day in range(25):
        ReleaseFactory(published_at=at(1) + timedelta(hours=day), tags=["energy"])
    html = client.get("/releases/", {"tag": "energy", "utm_source": "junk"}).content.decode()
    assert 'href="/releases/?tag=energy&amp;page=2"' in html
    assert "utm_source" not in html


def test_an_empty_list_is_a_page_not_a_404(client):
    response = client.get("/releases/")
    assert response.status_code == 200
    assert "No releases match" in response.content.decode()


# -- active filters ----------------------------------------------------------------------


def test_each_active_filter_has_a_link_that_removes_it_alone(client):
    acme = OrganizationFactory(name="Acme", slug="acme")
    ReleaseFactory(published_at=at(4), tags=["energy", "water"], organizations=[acme])
    response = client.get(
        "/releases/", {"tag": ["energy", "water"], "organization": "acme", "q": "lede"}
    )
    active = {f.label: f.remove_url for f in response.context["active_filters"]}
    assert active == {
        "Tag: energy": "/releases/?tag=water&organization=acme&q=lede",
        "Tag: water": "/releases/?tag=energy&organization=acme&q=lede",
        "Organization: Acme": "/releases/?tag=energy&tag=water&q=lede",
        "Search: “lede”": "/releases/?tag=energy&tag=water&organization=acme",
    }
    html = response.content.decode()
    assert 'href="/releases/?tag=water&amp;organization=acme&amp;q=lede"' in html
    assert '<a class="clear-filters" href="/releases/">Clear all filters</a>' in html


def test_removing_the_year_removes_its_month_too(client):
    ReleaseFactory(published_at=at(4))
    response = client.get("/releases/", {"year": "2024", "month": "3"})
    active = {f.label: f.remove_url for f in response.context["active_filters"]}
    assert active == {"Year: 2024": "/releases/", "Month: March 2024": "/releases/?year=2024"}


def test_filters_fixed_by_the_url_lead_to_the_wider_page_when_removed(client):
    ReleaseFactory(published_at=at(4), tags=["energy", "water"])
    tag_page = client.get("/tags/energy/", {"tag": "water"})
    assert {f.label: f.remove_url for f in tag_page.context["active_filters"]} == {
        "Tag: energy": "/releases/?tag=water",
        "Tag: water": "/tags/energy/",
    }
    month = client.get("/releases/2024/03/", {"tag": "water"})
    assert {f.label: f.remove_url for f in month.context["active_filters"]} == {
        "Year: 2024": "/releases/?tag=water",
        "Month: March 2024": "/releases/2024/?tag=water",
        "Tag: water": "/releases/2024/03/",
    }


# -- facets ------------------------------------------------------------------------------


def facet(response, name):
    return {option.label: (option.count, option.url) for option in response.context[name]}


def test_facets_count_the_filtered_results_and_link_to_add_the_filter(client):
    acme, beta = OrganizationFactory(name="Acme", slug="acme"), OrganizationFactory(name="Beta")
    ReleaseFactory(published_at=at(1), tags=["energy", "water"], organizations=[acme])
    ReleaseFactory(published_at=at(2), tags=["energy"], organizations=[acme, beta])
    ReleaseFactory(published_at=at(3, month=5), tags=["energy", "air"], organizations=[beta])
    ReleaseFactory(published_at=at(3, year=2023), tags=["water"], organizations=[acme])
    ReleaseFactory(draft=True, tags=["energy", "water"], organizations=[acme])

    response = client.get("/releases/", {"tag": "energy"})
    assert response.context["total"] == 3
    assert facet(response, "tag_facets") == {
        "water": (1, "/releases/?tag=energy&tag=water"),
        "air": (1, "/releases/?tag=energy&tag=air"),
    }
    assert facet(response, "organization_facets") == {
        "Acme": (2, "/releases/?tag=energy&organization=acme"),
        f"{beta.name}": (2, f"/releases/?tag=energy&organization={beta.slug}"),
    }
    assert facet(response, "year_facets") == {"2024": (3, "/releases/2024/?tag=energy")}
    assert response.context["month_facets"] == []

    in_2024 = client.get("/releases/2024/", {"tag": "energy"})
    assert in_2024.context["year_facets"] == []
    assert facet(in_2024, "month_facets") == {
        "May 2024": (1, "/releases/2024/05/?tag=energy"),
        "March 2024": (2, "/releases/2024/03/?tag=energy"),
    }


def test_on_a_tag_page_date_facets_stay_on_the_tag_page(client):
    ReleaseFactory(published_at=at(1), tags=["energy"])
    response = client.get("/tags/energy/")
    assert facet(response, "year_facets") == {"2024": (1, "/tags/energy/?year=2024")}
    year = client.get("/tags/energy/", {"year": "2024"})
    assert facet(year, "month_facets") == {"March 2024": (1, "/tags/energy/?year=2024&month=3")}


def test_warm_facets_come_from_the_cache_and_change_with_the_data(client):
    ReleaseFactory(published_at=at(1), tags=["energy"])
    client.get("/releases/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/releases/")
    assert not [q for q in queries.captured_queries if "UNION" in q["sql"].upper()]

    ReleaseFactory(published_at=at(2), tags=["energy"])
    response = client.get("/releases/")
    assert response.context["total"] == 2


def test_tag_index_lists_tags_of_public_releases_with_counts(client):
    ReleaseFactory(tags=["energy", "water"])
    ReleaseFactory(tags=["energy"])
    ReleaseFactory(draft=True, tags=["secret"])
    response = client.get("/tags/")
    assert [(t.label, t.count) for t in response.context["tags"]] == [
        ("energy", 2),
        ("water", 1),
    ]
    html = response.content.decode()
    assert '<a href="/tags/energy/" rel="tag">energy</a>' in html
    assert "secret" not in html


# -- subject pages ---------------------------------------------------------------------


def test_organization_page_is_its_newsroom(client):
    acme = OrganizationFactory(
        name="Acme Energy",
        slug="acme",
        boilerplate="Acme makes wind turbines.",
        website="https://acme.example/",
        location="Aberdeen, United Kingdom",
    )
    ContactFactory(name="Jo Press", organization=acme)
    ReleaseFactory(headline="Acme news", organizations=[acme])
    ReleaseFactory(headline="Someone else's news")
    response = client.get("/organizations/acme/")
    html = response.content.decode()
    assert "<h1>Acme Energy" in html
    assert "Acme makes wind turbines." in html
    assert 'href="https://acme.example/"' in html
    assert "Aberdeen, United Kingdom" in html
    assert "Jo Press" in html
    assert 'href="/feeds/releases.atom?organization=acme"' in html
    assert headlines(response) == ["Acme news"]


def test_author_page_shows_bio_and_releases(client):
    ada = AuthorFactory(name="Ada Byron", slug="ada", bio="Ada writes about engines.")
    ReleaseFactory(headline="Engines", author=ada)
    ReleaseFactory(headline="Not by Ada")
    response = client.get("/authors/ada/")
    html = response.content.decode()
    assert "<h1>Ada Byron</h1>" in html
    assert "Ada writes about engines." in html
    assert headlines(response) == ["Engines"]


def test_home_shows_latest_releases_organizations_and_popular_tags(client):
    acme = OrganizationFactory(name="Acme", slug="acme")
    for n in range(12):
        ReleaseFactory(
            headline=f"News {n:02d}",
            published_at=at(1) + timedelta(hours=n),
            organizations=[acme],
            tags=["energy"] if n % 2 else ["energy", "water"],
        )
    html = client.get("/").content.decode()
    assert re.findall(r"News \d\d", html) == [f"News {n:02d}" for n in range(11, 1, -1)]
    assert '<a href="/organizations/acme/">Acme</a>' in html
    assert '<a href="/tags/energy/" rel="tag">energy</a>' in html
    assert '<a href="/releases/2024/">2024</a>' in html
    assert "All 12 releases" in html


def test_search_results_come_in_the_search_order_with_their_snippet(client):
    ReleaseFactory(
        headline="Turbine output doubles", summary="Wind turbine output.", published_at=at(1)
    )
    ReleaseFactory(headline="Unrelated", summary="Nothing to see.", published_at=at(2))
    ReleaseFactory(headline="Grid news", summary="A turbine was mentioned.", published_at=at(3))
    response = client.get("/releases/", {"q": "turbine"})
    found = list(response.context["page_obj"].object_list)
    assert {r.headline for r in found} == {"Turbine output doubles", "Grid news"}
    assert response.context["total"] == 2
    assert "<mark>" in response.content.decode()
    # The search decides the order (rank on PostgreSQL); the list keeps it.
    from releases.filters import ReleaseFilter

    searched = ReleaseFilter({"q": "turbine"}, queryset=Release.objects.published()).qs
    assert [r.pk for r in found] == [r.pk for r in searched]


# -- cards are cached per version ----------------------------------------------------


def test_a_card_is_rendered_again_when_its_release_or_organization_changes(client):
    acme = OrganizationFactory(name="Acme", slug="acme")
    release = ReleaseFactory(headline="First headline", organizations=[acme])
    assert "First headline" in client.get("/releases/").content.decode()
    release.headline = "Second headline"
    release.save()
    assert "Second headline" in client.get("/releases/").content.decode()
    acme.name = "Acme Renamed"
    acme.save()
    assert "Acme Renamed" in client.get("/releases/").content.decode()


# -- conditional GET ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/releases/", "/releases/2024/", "/tags/", "/tags/energy/", "/authors/ada/"]
)
def test_unchanged_pages_answer_304_to_their_etag_and_date(client, path):
    ReleaseFactory(
        published_at=at(1), tags=["energy"], author=AuthorFactory(name="Ada", slug="ada")
    )
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert "Last-Modified" in first
    assert "public" in first["Cache-Control"]
    assert "max-age=60" in first["Cache-Control"]

    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_the_etag_changes_with_the_query_string_and_the_data(client):
    ReleaseFactory(published_at=at(1), tags=["energy"])
    plain = client.get("/releases/")["ETag"]
    filtered = client.get("/releases/", {"tag": "energy"})["ETag"]
    assert plain != filtered
    ReleaseFactory(published_at=at(2), tags=["energy"])
    response = client.get("/releases/", HTTP_IF_NONE_MATCH=plain)
    assert response.status_code == 200
    assert response["ETag"] != plain


def test_error_pages_are_not_cacheable_and_never_304(client):
    ReleaseFactory(published_at=at(1))
    response = client.get("/releases/", {"month": "3"})
    assert response.status_code == 400
    assert "ETag" not in response
    again = client.get(
        "/releases/", {"month": "3"}, HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT"
    )
    assert again.status_code == 400


def test_a_public_release_page_answers_304_until_what_it_shows_changes(client):
    acme = OrganizationFactory(name="Acme")
    release = ReleaseFactory(published_at=at(1), organizations=[acme])
    first = client.get(release.get_absolute_url())
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get(release.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304

    def changed():
        response = client.get(release.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
        return response.status_code == 200 and response["ETag"] != etag

    acme.name = "Acme Renamed"
    acme.save()
    assert changed()
    etag = client.get(release.get_absolute_url())["ETag"]
    ReleaseFactory(published_at=at(2))  # a newer release: the page now links to it
    assert changed()
    etag = client.get(release.get_absolute_url())["ETag"]
    release.headline = "A corrected headline"
    release.save()
    assert changed()


def test_a_staff_preview_is_never_cached_nor_304(client):
    from tests.factories import editor

    draft = ReleaseFactory(draft=True)
    client.force_login(editor())
    response = client.get(draft.get_absolute_url(), HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 200
    assert "ETag" not in response
    assert "no-cache" in response["Cache-Control"]


# -- queries -----------------------------------------------------------------------------

QUERY_PAGES = {
    # page: (cold cache, warm cache)
    "/": (5, 3),
    "/releases/": (5, 3),
    "/releases/?tag=energy&organization=acme&year=2024": (7, 5),
    "/tags/": (2, 1),
    "/tags/energy/": (6, 4),
    "/organizations/acme/": (7, 5),
    "/authors/ada/": (6, 4),
    "/releases/2024/": (5, 3),
    "/releases/2024/03/": (5, 3),
    # Search results are rendered each time (their snippet is the query's); a search
    # first counts its matches up to COUNT_CAP.
    "/releases/?q=findings": (6, 5),
}


def build_releases(count):
    acme, beta = OrganizationFactory(name="Acme", slug="acme"), OrganizationFactory()
    ada = AuthorFactory(name="Ada", slug="ada")
    ContactFactory(organization=acme)
    ContactFactory(organization=acme)
    for n in range(count):
        ReleaseFactory(
            published_at=at(1) + timedelta(hours=n),
            organizations=[acme, beta],
            author=ada,
            tags=["energy", f"topic-{n}", f"other-{n}"],
        )


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("path", list(QUERY_PAGES))
def test_every_list_page_runs_a_fixed_small_number_of_queries(
    client, django_assert_max_num_queries, django_assert_num_queries, path, count
):
    build_releases(count)
    cold, warm = QUERY_PAGES[path]
    client.get(path)  # the content type of Release enters Django's per-process cache
    cache.clear()
    with django_assert_max_num_queries(8), django_assert_num_queries(cold):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(6), django_assert_num_queries(warm):
        assert client.get(path).status_code == 200


# -- facets right after a change ------------------------------------------------------------


def test_other_filters_have_no_previous_counts_and_get_fresh_ones():
    from releases.facets import cached_facets
    from releases.freshness import public_last_modified

    ReleaseFactory(tags=["energy"])
    cached_facets(Release.objects.published(), version=public_last_modified())
    ReleaseFactory(tags=["energy"])

    filtered = Release.objects.published().filter(tags__slug="energy")
    found = cached_facets(filtered, version=public_last_modified(), filters=[("tag", "energy")])

    assert (found.total, found.stale) == (2, False)


@pytest.mark.django_db(transaction=True)
def test_in_production_the_new_counts_are_computed_in_a_thread(settings):
    import threading

    from releases.facets import cached_facets
    from releases.freshness import public_last_modified

    settings.NEWSROOM_FACETS_IN_BACKGROUND = True
    ReleaseFactory(tags=["energy"])
    cached_facets(Release.objects.published(), version=public_last_modified())
    ReleaseFactory(tags=["water"])
    version = public_last_modified()

    # The claimant itself gets the previous counts at once; a thread computes the new.
    stale = cached_facets(Release.objects.published(), version=version)
    assert (stale.total, stale.stale) == (1, True)
    assert [item.key for item in stale.tags] == ["energy"]
    for thread in threading.enumerate():
        if thread.name == "newsroom-facets":
            thread.join(timeout=10)

    fresh = cached_facets(Release.objects.published(), version=version)
    assert (fresh.total, fresh.stale) == (2, False)
