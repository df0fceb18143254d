"""The sitemap: ``/sitemap.xml`` is an index of one sitemap per section.

An index, not one flat file, because a sitemap holds at most 50,000 URLs and Django's
single-file view cannot page several sections at once; the index pages each section
by itself (``/sitemap-releases.xml?p=2``).

Only public data: releases from ``Release.objects.published()``, and tags,
organizations and authors that have at least one public release, each dated by its
latest public release. Every section costs 2 queries a page (count and page); the
release section is rendered from rows (``render_release_section``), its count the
public total kept per version.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date, urlencode
from taggit.models import Tag, TaggedItem

from releases import shown
from releases.facets import public_total
from releases.freshness import public_last_modified
from releases.models import Author, Organization, Release, ReleaseOrganization
from releases.paging import DeferredJoinPaginator


class VersionedSitemap(Sitemap):
    """A section that reads the public data's version at most once, or is given it (the
    index reads it once for every section)."""

    def __init__(self, version=None):
        if version is not None:
            self._version = version

    @property
    def _last_modified(self):
        if not hasattr(self, "_version"):
            self._version = public_last_modified()
        return self._version


class PagesSitemap(VersionedSitemap):
    """The home page, the release list and the corrections log: they change whenever
    public data does."""

    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["releases:home", "releases:list", "releases:corrections"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self._last_modified

    def get_latest_lastmod(self):
        return self._last_modified


class ReleaseSitemap(VersionedSitemap):
    changefreq = "weekly"
    priority = 0.8
    # Pages of 1,000 URLs (~120 KB; Yoast SEO's size for WordPress), not the protocol's
    # 50,000 (~6 MB): a page renders in ~50 ms after a change at 100,000 releases, not
    # seconds, and a crawler refetches only the page that changed (the newest).
    limit = 1000

    def items(self):
        # Newest first on the (published_at, id) index: page 1 holds the news.
        return Release.objects.published().newest_first().only("slug", "updated_at")

    def lastmod(self, release):
        return release.updated_at

    def get_latest_lastmod(self):
        # The default would load every item to find the newest; the database knows.
        return Release.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    @property
    def paginator(self):
        """Pages of ``limit`` URLs; their number from the public total kept per version
        (no count of the table) and deep pages read by id (``releases.paging``)."""
        pages = DeferredJoinPaginator(self._items(), self.limit)
        pages.count = public_total(self._last_modified)
        return pages

    def rows(self):
        """(id, slug, updated_at) of the public releases, newest first: the section's
        items as plain rows, for ``render_release_section``."""
        return Release.objects.published().newest_first().values_list("pk", "slug", "updated_at")


URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
URLSET_END = "\n</urlset>\n"


def render_release_section(request) -> HttpResponse:
    """``/sitemap-releases.xml?p=N``: the same document Django's sitemap view renders
    from its ``sitemap.xml`` template (sitemaps.org protocol 0.9: ``loc`` escaped,
    ``lastmod`` as the date of ``updated_at`` in the site's time zone, ``changefreq``,
    ``priority``; ``Last-Modified`` the page's newest ``lastmod``; a page that is not a
    whole number or past the end a 404), built from rows by string joins instead of a
    model instance and ~10 template nodes a URL: ~1,000 URLs in a few ms, not ~100 ms.

    Queries: the version, the page (and, once per version, the public total).
    """
    sitemap = ReleaseSitemap()
    number = request.GET.get("p", 1)
    pages = DeferredJoinPaginator(sitemap.rows(), sitemap.limit)
    pages.count = public_total(sitemap._last_modified)
    try:
        page = pages.page(number)
    except EmptyPage as exc:
        raise Http404(f"Page {number} empty") from exc
    except PageNotAnInteger as exc:
        raise Http404(f"No page '{number}'") from exc
    rows = list(page.object_list)
    shown.note(pk for pk, _, _ in rows)
    protocol = sitemap.get_protocol(request.scheme)
    domain = sitemap.get_domain(get_current_site(request))
    # Slugs are [-a-zA-Z0-9_]: the detail URL with the slug filled in, as
    # ``get_absolute_url`` builds it; escaped as the template escapes ``loc``.
    before, after = Release(slug="\x00").get_absolute_url().split("\x00")
    site = f"{protocol}://{domain}{before}"
    tail = (
        f"</lastmod><changefreq>{sitemap.changefreq}</changefreq>"
        f"<priority>{sitemap.priority}</priority></url>"
    )
    localtime = timezone.localtime
    body = "".join(
        f"<url><loc>{escape(site + slug + after)}</loc><lastmod>"
        f"{localtime(updated).date().isoformat()}{tail}"
        for _, slug, updated in rows
    )
    response = HttpResponse(URLSET_START + body + URLSET_END, content_type="application/xml")
    if rows:
        latest = max(updated for _, _, updated in rows)
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def _latest_public_release(**link):
    """Subquery: ``updated_at`` of the newest-updated public release linked by ``link``."""
    return Subquery(
        Release.objects.published().filter(**link).order_by("-updated_at").values("updated_at")[:1]
    )


class _ListingSitemap(VersionedSitemap):
    """Pages listing releases (tag, organization, author): those with a public one."""

    changefreq = "daily"
    priority = 0.5

    def listing_queryset(self):
        raise NotImplementedError

    # The Release field that links a release to an item of the section ("tags").
    link: str

    def items(self):
        # "Has a public release" as EXISTS, so the paginator's count runs no sorted
        # subquery an item (0.5 s for the tags at 100,000 releases); the date is read
        # only for the items of the page.
        public = Release.objects.published().filter(**{self.link: OuterRef("pk")})
        return self.listing_queryset().filter(Exists(public)).order_by("-latest_release", "pk")

    def lastmod(self, item):
        return item.latest_release

    @property
    def paginator(self):
        """As Django's, but its number of pages is 1 without counting the items when the
        whole table has no more rows than a page holds (the items are some of them):
        tags, organizations and authors number hundreds, and counting those with a public
        release is a join per row (~20-140 ms for the organizations at 100,000)."""
        pages = super().paginator
        if self.listing_queryset().model._default_manager.count() <= self.limit:
            pages.num_pages = 1
        return pages

    # Releases linked to at least one item of the section (a filter on Release).
    linked: Q

    def get_latest_lastmod(self):
        """The newest of the items' dates: the newest update of a public release linked to
        any of them (the same value as the maximum over the items, read from the top of
        the ``updated_at`` index instead of one sorted subquery an item: 1.1 s for the
        sitemap index at 100,000 releases before)."""
        newest = Release.objects.published().filter(self.linked).order_by("-updated_at")
        return newest.values_list("updated_at", flat=True).first()


class TagSitemap(_ListingSitemap):
    link = "tags"
    linked = Q(
        Exists(
            TaggedItem.objects.filter(
                object_id=OuterRef("pk"),
                content_type__model="release",
                content_type__app_label="releases",
            )
        )
    )

    def listing_queryset(self):
        return Tag.objects.annotate(latest_release=_latest_public_release(tags=OuterRef("pk")))

    def location(self, tag):
        try:
            return reverse("releases:tag", kwargs={"slug": tag.slug})
        except NoReverseMatch:
            # Until tag pages exist the filtered list is the tag's page.
            return f"{reverse('releases:list')}?{urlencode({'tag': tag.slug})}"


class OrganizationSitemap(_ListingSitemap):
    link = "organizations"
    linked = Q(Exists(ReleaseOrganization.objects.filter(release=OuterRef("pk"))))

    def listing_queryset(self):
        return Organization.objects.only("slug").annotate(
            latest_release=_latest_public_release(organizations=OuterRef("pk"))
        )


class AuthorSitemap(_ListingSitemap):
    link = "author"
    linked = Q(author__isnull=False)

    def listing_queryset(self):
        return Author.objects.only("slug").annotate(
            latest_release=_latest_public_release(author=OuterRef("pk"))
        )


SITEMAPS = {
    "pages": PagesSitemap,
    "releases": ReleaseSitemap,
    "tags": TagSitemap,
    "organizations": OrganizationSitemap,
    "authors": AuthorSitemap,
}
