"""Atom and RSS feeds of public releases, filtered like the release list.

``/feeds/releases.atom`` and ``/feeds/releases.rss`` read the list's query string
through ``ReleaseFilter`` (``tag`` repeated, ``organization``, ``author``, ``year``,
``month``, ``from``, ``to``, ``q``) over ``Release.objects.published()``, newest first,
``FEED_SIZE`` entries. Invalid filters answer 400 with the reasons as plain text.

Each entry carries the summary and the full, sanitized body (Atom ``<content
type="html">``, RSS ``<content:encoded>``) with absolute URLs and its own images as
renditions (``releases.body_images.distributed_bodies``: cached per release version),
author with a link to the author page, tags
as categories, and published / updated times. Responses carry an ETag and
Last-Modified from ``public_last_modified()``, and answer 304 when unchanged.

Corrections reach the entries: each correction is appended to the entry's content
(“Updated 10 June 2025: <note>”) and the entry's updated time is the latest correction
when that came after the last save.

Queries: 1 (version) + 1 per filter on a tag, organization or author (validation) + 1
for tag names when tags are asked for + 5 (entries, their tags, their organizations,
their corrections, their attachments: the body's own images), whatever the number of
entries.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest, QueryDict
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.formats import date_format
from django.utils.html import escape, format_html_join
from django.views.decorators.http import condition, require_safe
from taggit.models import Tag, TaggedItem

from releases.body_images import distributed_bodies
from releases.filters import ReleaseFilter
from releases.freshness import etag_for, public_last_modified
from releases.models import Release
from releases.seo import filter_query, join_words, with_query
from releases.views.conditional import PUBLIC_MAX_AGE

FEED_SIZE = 50

# XML 1.0 cannot carry these at all; Django's XML writer refuses them with an exception,
# so a stray control character pasted into a release would otherwise break the feed.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _XML_FORBIDDEN.sub("", value or "")


def html_text(value: str) -> str:
    """Plain text as HTML that reads as that text: ``&``, ``<`` and ``>`` escaped.

    For the RSS elements readers render as HTML (the RSS Advisory Board's profile:
    titles, descriptions, names and categories carry no type, and readers treat them
    as HTML). Quotes are left as they are: they are inert in element content, and a
    reader that shows the title as plain text would otherwise print ``&#x27;`` in every
    headline with an apostrophe.
    """
    return html.escape(value or "", quote=False)


# -- feed formats ----------------------------------------------------------------------


class AtomWithContent(Atom1Feed):
    """Atom 1.0 with the full release as ``<content type="html">``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the full release as ``<content:encoded>`` and the update time as
    ``<dcterms:modified>`` (RSS itself has only ``pubDate``).

    Takes plain text, as Atom does, and escapes it for HTML (``html_text``) in every
    RSS text element readers render as HTML: the channel's title and description, each
    item's title, author and categories. Descriptions and content are HTML already.
    """

    def __init__(self, title, link, description, **kwargs):
        super().__init__(html_text(title), link, html_text(description), **kwargs)

    def add_item(self, title, link, description, *, author_name=None, categories=(), **kwargs):
        super().add_item(
            html_text(title),
            link,
            description,
            author_name=html_text(author_name) if author_name else author_name,
            categories=[html_text(category) for category in categories or ()],
            **kwargs,
        )

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dcterms": "http://purl.org/dc/terms/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        if item.get("updateddate"):
            handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))


# -- what a feed is about --------------------------------------------------------------


@dataclass(frozen=True)
class FeedSubject:
    """A valid ``ReleaseFilter`` and what it means in words."""

    filterset: ReleaseFilter
    query: QueryDict
    phrase: str  # "Releases tagged Health from WHO"


def describe(filterset: ReleaseFilter, tag_names: Mapping[str, str] | None = None) -> str:
    """The filters in words: ``Releases tagged Health and Vaccines from WHO in May 2024``.

    One query when tags are asked for (their names) unless ``tag_names`` (slug → name,
    as the list's facets have them) names them all; none otherwise.
    """
    data = filterset.form.cleaned_data
    words = ["Releases"]
    if slugs := data.get("tag"):
        names = dict(tag_names or {})
        if not set(slugs) <= names.keys():
            names = dict(Tag.objects.filter(slug__in=slugs).values_list("slug", "name"))
        words.append(f"tagged {join_words(names.get(slug, slug) for slug in slugs)}")
    if organization := data.get("organization"):
        words.append(f"from {organization.short_name or organization.name}")
    if author := data.get("author"):
        words.append(f"by {author.name}")
    year, month = data.get("year"), data.get("month")
    if year and month:
        words.append(f"in {date_format(dt.date(int(year), int(month), 1), 'F Y')}")
    elif year:
        words.append(f"in {int(year)}")
    start, end = data.get("from"), data.get("to")
    if start and end:
        words.append(f"between {_day(start)} and {_day(end)}")
    elif start:
        words.append(f"since {_day(start)}")
    elif end:
        words.append(f"until {_day(end)}")
    if q := data.get("q"):
        words.append(f"matching “{q}”")
    return " ".join(words)


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def feed_queryset():
    return (
        Release.objects.published()
        .select_related("author")
        .with_organizations()
        .prefetch_related("corrections", "attachments")
    )


def tag_names_by_release(releases) -> dict[int, list[str]]:
    """The names of each release's tags, by release id, in alphabetical order: one query.

    Not ``prefetch_related("tags")``: taggit's manager builds a filtered queryset per
    release to hold the prefetched tags, which cost a 50-entry feed ~40 ms of its ~55."""
    names: dict[int, list[str]] = {release.pk: [] for release in releases}
    rows = (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Release), object_id__in=list(names)
        )
        .order_by("tag__name", "tag_id")
        .values_list("object_id", "tag__name")
    )
    for release_id, name in rows:
        names[release_id].append(name)
    return names


# -- the feeds -------------------------------------------------------------------------


class ReleaseFeed(Feed):
    """Shared by both formats; ``get_object`` receives the validated ``FeedSubject``."""

    url_name: str
    format_name: str

    def __init__(self, request):
        # Item methods receive only the item; ids and author links need the host. One
        # instance per request (see ``feed_view``), so this is never shared.
        self.request = request
        self.bodies: dict[int, str] = {}
        self.tag_names: dict[int, list[str]] = {}

    def get_object(self, request, subject: FeedSubject):
        return subject

    def items(self, subject: FeedSubject):
        # A search ranks by relevance; a feed is read in time order, whatever the filter.
        entries = list(subject.filterset.qs.order_by("-published_at", "-id")[:FEED_SIZE])
        # The bodies rewritten for a reader with no page around them, once per release
        # version (the rewriting is most of a feed's time); one cache read for all.
        self.bodies = distributed_bodies(entries, self.request)
        self.tag_names = tag_names_by_release(entries)
        return entries

    def title(self, subject: FeedSubject) -> str:
        return xml_text(f"{subject.phrase} · {settings.NEWSROOM_SITE_NAME}")

    def subtitle(self, subject: FeedSubject) -> str:
        what = subject.phrase[0].lower() + subject.phrase[1:]
        return xml_text(
            f"The {FEED_SIZE} newest {what} published on {settings.NEWSROOM_SITE_NAME}."
        )

    description = subtitle

    def link(self, subject: FeedSubject) -> str:
        return with_query(reverse("releases:list"), subject.query)

    def feed_url(self, subject: FeedSubject) -> str:
        return with_query(reverse(self.url_name), subject.query)

    def author_name(self) -> str:
        # Atom wants an author for every entry; releases without one fall back to this.
        return settings.NEWSROOM_SITE_NAME

    def item_title(self, release: Release) -> str:
        # Plain text, as Atom's <title type="text"> is; RssWithContent escapes it for the
        # RSS readers that render titles as HTML.
        return xml_text(release.headline)

    def item_description(self, release: Release) -> str:
        # The summary is plain text; the elements that carry it are read as HTML.
        return escape(xml_text(release.summary))

    def item_extra_kwargs(self, release: Release) -> dict:
        corrections = format_html_join(
            "",
            '<p class="correction"><strong>Updated {}:</strong> {}</p>',
            (
                (date_format(timezone.localtime(c.noted_at), "j F Y"), xml_text(c.note))
                for c in release.corrections.all()
            ),
        )
        # Absolute URLs: a reader shows the entry on no page of ours (and Atom's xml:base
        # is not honoured by every reader); own images as one rendition, not the original.
        return {"content": xml_text(self.bodies[release.pk]) + corrections}

    def item_enclosures(self, release: Release) -> list[Enclosure]:
        """The featured image as its ~1200 px rendition (``releases.images``), with its
        type and length in bytes as RSS's ``<enclosure>`` and Atom's
        ``<link rel="enclosure">`` require; none until its renditions exist."""
        image = release.featured_image_set
        if not image:
            return []
        share = image.share
        url = self.request.build_absolute_uri(share.url)
        return [Enclosure(url, str(share.size), share.type)]

    def item_guid(self, release: Release) -> str:
        # A tag: URI (RFC 4151) names the row, not the URL, so the id survives a slug
        # change; its date is the day the release was created, which never changes.
        created = release.created_at.astimezone(dt.UTC).date().isoformat()
        host, _ = split_domain_port(self.request.get_host())
        return f"tag:{host},{created}:release/{release.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, release: Release) -> str | None:
        return xml_text(release.author.name) if release.author else None

    def item_author_link(self, release: Release) -> str | None:
        if not release.author:
            return None
        return self.request.build_absolute_uri(release.author.get_absolute_url())

    def item_categories(self, release: Release) -> list[str]:
        return [xml_text(name) for name in self.tag_names[release.pk]]

    def item_pubdate(self, release: Release) -> dt.datetime:
        return release.published_at

    def item_updateddate(self, release: Release) -> dt.datetime:
        return max([release.updated_at, *(c.noted_at for c in release.corrections.all())])


class AtomReleaseFeed(ReleaseFeed):
    feed_type = AtomWithContent
    url_name = "releases:feed_atom"
    format_name = "atom"


class RssReleaseFeed(ReleaseFeed):
    feed_type = RssWithContent
    url_name = "releases:feed_rss"
    format_name = "rss"


# -- views -----------------------------------------------------------------------------


def invalid_filters(filterset: ReleaseFilter) -> HttpResponseBadRequest:
    lines = ["These feed filters are not valid:"]
    for field, errors in filterset.form.errors.items():
        lines.extend(f"- {field}: {error}" for error in errors)
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def feed_view(feed_class: type[ReleaseFeed]):
    """A view serving ``feed_class``: validation, then conditional GET, then the feed."""

    def etag(request, subject, version):
        return etag_for(feed_class.format_name, version.isoformat(), subject.query.urlencode())

    def last_modified(request, subject, version):
        return version

    @condition(etag_func=etag, last_modified_func=last_modified)
    def respond(request, subject, version):
        response = feed_class(request)(request, subject=subject)
        # Feed sets it from the newest entry; validators must agree with the ETag's basis.
        del response["Last-Modified"]
        # Public like every page (releases/views/conditional.py), so shared caches and
        # the page cache (releases/pagecache.py) may keep it.
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    @require_safe
    def view(request):
        filterset = ReleaseFilter(request.GET, queryset=feed_queryset())
        if not filterset.is_valid():
            return invalid_filters(filterset)
        subject = FeedSubject(filterset, filter_query(request.GET), describe(filterset))
        return respond(request, subject, public_last_modified())

    return view


atom_feed = feed_view(AtomReleaseFeed)
rss_feed = feed_view(RssReleaseFeed)
