"""The release sitemap rendered from rows (releases.sitemaps.render_release_section)
against Django's own sitemap view and template, and the index's page counts right after
a change."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from releases.models import Release
from releases.sitemaps import ReleaseSitemap, TagSitemap
from releases.views.machine import sitemap_section
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SECTION = "/sitemap-releases.xml"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def releases():
    """Five public releases updated around midnight UTC (their date depends on the time
    zone), among hidden ones."""
    now = timezone.now()
    found = []
    for n in range(5):
        release = ReleaseFactory(published_at=now - timedelta(days=n + 1), tags=[f"Topic {n}"])
        midnight = (now - timedelta(days=n)).replace(hour=23, minute=30 + n, second=0)
        Release.objects.filter(pk=release.pk).update(updated_at=midnight)
        found.append(release)
    ReleaseFactory(draft=True)
    ReleaseFactory(scheduled=True)
    ReleaseFactory(embargoed=True)
    ReleaseFactory(withdrawn=True)
    return found


def django_rendered(query: str, **extra):
    """What ``django.contrib.sitemaps.views.sitemap`` answers for the release section."""
    request = RequestFactory().get(SECTION + query, **extra)
    response = sitemap_views.sitemap(request, {"releases": ReleaseSitemap}, section="releases")
    response.render()
    return response


@pytest.mark.parametrize("time_zone", ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
@pytest.mark.parametrize("query", ["", "?p=2", "?p=3"])
def test_each_page_is_the_document_djangos_template_renders(
    client, releases, monkeypatch, settings, time_zone, query
):
    settings.TIME_ZONE = time_zone
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)

    ours = client.get(SECTION + query)
    theirs = django_rendered(query)

    assert ours.status_code == theirs.status_code == 200
    assert ours.content == theirs.content
    assert ours["Content-Type"] == theirs["Content-Type"] == "application/xml"
    assert ours["Last-Modified"] == theirs["Last-Modified"]
    assert ours["X-Robots-Tag"] == theirs["X-Robots-Tag"]


def test_addresses_are_escaped_as_the_template_escapes_them(releases):
    """A site served under a prefix with characters XML must escape (the test client sets
    no script prefix: the views are called as a WSGI server would have them)."""
    set_script_prefix("/news&views'/")
    try:
        ours = sitemap_section(RequestFactory().get(SECTION), section="releases")
        theirs = django_rendered("")
    finally:
        set_script_prefix("/")

    assert b"/news&amp;views&#x27;/releases/" in ours.content
    assert ours.content == theirs.content
    root = ElementTree.fromstring(ours.content)  # noqa: S314 - our own response
    assert all("/news&views'/" in loc.text for loc in root.iterfind("sm:url/sm:loc", NS))


def test_the_section_is_valid_sitemap_xml_with_each_public_release_and_its_date(
    client, releases, settings
):
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: the local date is the next day
    response = client.get(SECTION)
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response

    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    urls = {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.iterfind("sm:url", NS)
    }
    expected = {
        f"http://testserver{release.get_absolute_url()}": timezone.localtime(
            release.updated_at
        ).date()
        for release in Release.objects.filter(pk__in=[r.pk for r in releases])
    }
    assert urls == {loc: day.isoformat() for loc, day in expected.items()}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod) for lastmod in urls.values())
    for url in root.iterfind("sm:url", NS):
        assert url.findtext("sm:changefreq", namespaces=NS) == "weekly"
        assert url.findtext("sm:priority", namespaces=NS) == "0.8"


@pytest.mark.parametrize("query", ["?p=0", "?p=4", "?p=two", "?p=1.5"])
def test_a_page_that_is_not_there_is_a_404(client, releases, monkeypatch, query):
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)

    assert client.get(SECTION + query).status_code == 404


def test_an_empty_archive_has_an_empty_first_page(client):
    response = client.get(SECTION)

    assert response.status_code == 200
    assert ElementTree.fromstring(response.content).findall("sm:url", NS) == []  # noqa: S314
    assert "Last-Modified" not in response


def index_locs(client) -> list[str]:
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    return [node.text for node in root.iterfind("sm:sitemap/sm:loc", NS)]


def test_the_index_names_a_new_page_right_after_a_publication(client, releases, monkeypatch):
    monkeypatch.setattr(ReleaseSitemap, "limit", 5)
    assert not [loc for loc in index_locs(client) if "sitemap-releases.xml?p=2" in loc]

    ReleaseFactory()

    assert [loc for loc in index_locs(client) if loc.endswith("sitemap-releases.xml?p=2")]
    assert client.get(SECTION + "?p=2").status_code == 200


def test_a_listing_section_larger_than_a_page_is_counted_exactly(client, releases, monkeypatch):
    """Past one page of rows in the whole table, the items with a public release are
    counted: 5 public tags and 2 a page are 3 pages, whatever the hidden ones' tags."""
    ReleaseFactory(draft=True, tags=["Secret one", "Secret two", "Secret three"])
    monkeypatch.setattr(TagSitemap, "limit", 2)

    tags = [loc for loc in index_locs(client) if "sitemap-tags.xml" in loc]

    assert [loc.rsplit("/", 1)[1] for loc in tags] == [
        "sitemap-tags.xml",
        "sitemap-tags.xml?p=2",
        "sitemap-tags.xml?p=3",
    ]
