"""The sitemap index and its sections, robots.txt and the health check."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SECTIONS = ["pages", "releases", "tags", "organizations", "authors"]


def section_url(section: str) -> str:
    return reverse("sitemap_section", kwargs={"section": section})


def entries(client, url) -> dict[str, str | None]:
    """``{loc: lastmod}`` of a sitemap or sitemap index, parsed as XML."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    return {
        node.findtext("sm:loc", namespaces=NS): node.findtext("sm:lastmod", namespaces=NS)
        for node in root
    }


@pytest.fixture
def newsroom():
    now = timezone.now()
    who = OrganizationFactory(short_name="WHO")
    silent = OrganizationFactory(short_name="QUIET")  # only a draft: not in the sitemap
    ada = AuthorFactory(name="Ada Reporter")
    ghost = AuthorFactory(name="Ghost Writer")  # only hidden releases
    public = ReleaseFactory(
        headline="Public news",
        published_at=now - timedelta(days=2),
        author=ada,
        organizations=[who],
        tags=["Health"],
    )
    hidden = [
        ReleaseFactory(draft=True, author=ghost, organizations=[silent], tags=["Secret"]),
        ReleaseFactory(in_review=True, author=ghost, tags=["Secret"]),
        ReleaseFactory(scheduled=True, author=ghost, tags=["Secret"]),
        ReleaseFactory(published_at=now - timedelta(days=1), embargoed=True, author=ghost),
        ReleaseFactory(published_at=now - timedelta(days=3), withdrawn=True, author=ghost),
    ]
    return {"public": public, "hidden": hidden, "who": who, "ada": ada}


def test_sitemap_xml_is_an_index_of_every_section(client, newsroom):
    index = entries(client, reverse("sitemap"))
    assert set(index) == {f"http://testserver{section_url(s)}" for s in SECTIONS}
    assert all(lastmod for lastmod in index.values())


def test_the_release_sitemap_lists_only_public_releases_with_their_update_date(client, newsroom):
    urls = entries(client, section_url("releases"))
    public = newsroom["public"]
    assert urls == {
        f"http://testserver{public.get_absolute_url()}": public.updated_at.date().isoformat()
    }
    for release in newsroom["hidden"]:
        assert f"http://testserver{release.get_absolute_url()}" not in urls


def test_the_pages_sitemap_lists_the_home_the_list_and_the_corrections_log(client, newsroom):
    assert set(entries(client, section_url("pages"))) == {
        "http://testserver/",
        f"http://testserver{reverse('releases:list')}",
        f"http://testserver{reverse('releases:corrections')}",
    }


def test_tags_organizations_and_authors_appear_only_with_a_public_release(client, newsroom):
    tags = " ".join(entries(client, section_url("tags")))
    assert "health" in tags
    assert "secret" not in tags

    organizations = entries(client, section_url("organizations"))
    assert set(organizations) == {f"http://testserver{newsroom['who'].get_absolute_url()}"}
    authors = entries(client, section_url("authors"))
    assert set(authors) == {f"http://testserver{newsroom['ada'].get_absolute_url()}"}
    assert set(authors.values()) == {newsroom["public"].updated_at.date().isoformat()}


def test_an_unknown_section_is_404(client):
    assert client.get(section_url("nothing")).status_code == 404


@pytest.mark.parametrize("section", ["index", *SECTIONS])
def test_sitemap_query_counts_do_not_grow_with_the_data(client, section):
    url = reverse("sitemap") if section == "index" else section_url(section)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def publish(n):
        for _ in range(n):
            ReleaseFactory(
                author=AuthorFactory(), organizations=[OrganizationFactory()], tags=["Health"]
            )

    publish(3)
    few = count()
    publish(22)
    assert count() == few <= 10


def test_robots_txt_allows_all_but_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not [
        line for line in lines if line.startswith("Disallow:") and line != "Disallow: /admin/"
    ]


def test_robots_txt_uses_the_requested_scheme_and_host(client):
    response = client.get("/robots.txt", secure=True, HTTP_HOST="localhost")
    assert "Sitemap: https://localhost/sitemap.xml" in response.content.decode()


def test_healthz_answers_200_json_when_the_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_release_section_is_paged_by_1000_and_the_index_names_every_page(client, monkeypatch):
    from releases.sitemaps import ReleaseSitemap

    assert ReleaseSitemap.limit == 1000
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    releases = [ReleaseFactory(published_at=timezone.now() - timedelta(days=n)) for n in range(3)]

    index = entries(client, reverse("sitemap"))
    first = entries(client, section_url("releases"))
    second = entries(client, section_url("releases") + "?p=2")

    assert any(loc.endswith("/sitemap-releases.xml?p=2") for loc in index)
    assert len(first) == 2 and len(second) == 1
    assert next(iter(second)).endswith(releases[2].get_absolute_url())


@pytest.mark.parametrize("section", ["tags", "organizations", "authors"])
def test_a_sections_date_in_the_index_is_its_newest_items(newsroom, section):
    """Read from the top of the updated_at index, it must equal the maximum over the
    section's own entries (which are public only)."""
    from releases.sitemaps import SITEMAPS

    sitemap = SITEMAPS[section]()
    dated = [sitemap.lastmod(item) for item in sitemap.items()]

    assert dated
    assert sitemap.get_latest_lastmod() == max(dated)
    assert sitemap.get_latest_lastmod() == newsroom["public"].updated_at
