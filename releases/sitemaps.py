"""The sitemap: ``/sitemap.xml`` is an index of one sitemap per section.

An index, not one flat file, because a sitemap holds at most 50,000 URLs and Django's
single-file view cannot page several sections at once; the index pages each section
by itself (``/sitemap-releases.xml?p=2``).

Only public data: releases from ``Release.objects.published()``, and tags,
organizations and authors that have at least one public release, each dated by its
latest public release. Every section costs 2 queries a page (count and page).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from taggit.models import Tag, TaggedItem

from releases.freshness import public_last_modified
from releases.models import Author, Organization, Release, ReleaseOrganization


class PagesSitemap(Sitemap):
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

    @property
    def _last_modified(self):
        if not hasattr(self, "_version"):
            self._version = public_last_modified()
        return self._version


class ReleaseSitemap(Sitemap):
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


def _latest_public_release(**link):
    """Subquery: ``updated_at`` of the newest-updated public release linked by ``link``."""
    return Subquery(
        Release.objects.published().filter(**link).order_by("-updated_at").values("updated_at")[:1]
    )


class _ListingSitemap(Sitemap):
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
