"""What machines read about a page: canonical URLs, filter query strings, JSON-LD.

Used by the ``seo`` template tags (page heads, feed links) and by the feeds. Nothing
here queries the database unless a docstring says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from releases.filters import ReleaseFilter

# The query-string keys that select *which* releases a page shows. Anything else in a
# query string (tracking parameters, signed-link tokens, typos) never reaches a
# canonical URL or a feed link.
FILTER_KEYS: tuple[str, ...] = tuple(ReleaseFilter.base_filters)
PAGE_KEY = "page"

# As django.utils.html.json_script: inside <script>, "</script>" or "<!--" in a string
# would end or confuse the element; JSON's \u escapes keep the value and the markup apart.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def filter_query(params: Mapping | None, *, keep_page: bool = False) -> QueryDict:
    """The release-filter part of ``params`` (a QueryDict or a plain dict), normalized.

    Keys come in ``ReleaseFilter``'s order, empty values are dropped, repeated ``tag``
    values are de-duplicated and sorted (``tag=a&tag=b`` and ``tag=b&tag=a`` are the
    same page). With ``keep_page`` a page number other than 1 is kept too.
    """
    query = QueryDict(mutable=True)
    if not params:
        return query
    for key in (*FILTER_KEYS, PAGE_KEY) if keep_page else FILTER_KEYS:
        values = [v.strip() for v in _values(params, key) if v and v.strip()]
        if key == "tag":
            values = sorted(set(values))
        elif key == PAGE_KEY:
            values = [v for v in values[:1] if v.isdigit() and int(v) > 1]
        else:
            values = values[:1]
        if values:
            query.setlist(key, values)
    return query


def _values(params: Mapping, key: str) -> list[str]:
    if isinstance(params, QueryDict):
        return params.getlist(key)
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value]


def with_query(path: str, query: QueryDict) -> str:
    return f"{path}?{query.urlencode()}" if query else path


@dataclass(frozen=True)
class FeedLink:
    """One feed a page advertises: ``<link rel="alternate">`` and, if wanted, a visible link.

    ``filtered`` tells the feed of what this page lists from the site-wide one.
    """

    url: str
    content_type: str
    format_label: str  # "Atom", "RSS"
    title: str
    filtered: bool


# The feed formats, in the order pages advertise them (Atom first: feed readers that
# autodiscover take the first link they understand).
FEED_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("releases:feed_atom", "application/atom+xml", "Atom"),
    ("releases:feed_rss", "application/rss+xml", "RSS"),
)


def feed_links(params: Mapping | None = None, phrase: str = "") -> list[FeedLink]:
    """The feeds a page advertises: those of what it lists, then the site-wide ones.

    ``params`` are the page's release filters (a QueryDict, a dict or a list of pairs),
    including those its URL fixes (the tag of ``/tags/<slug>/``, the year and month of
    an archive); the feeds accept the same filters as the list (``releases.filters``).
    Only filter keys are kept. ``phrase`` names the filtered list ("Releases tagged
    Health"), as the feed's own title does (``releases.feeds.describe``). With no filter
    the page advertises the site-wide feeds only. No query.
    """
    if params is not None and not isinstance(params, Mapping):
        params = _pairs_to_query(params)
    query = filter_query(params)
    site = settings.NEWSROOM_SITE_NAME
    links = []
    if query:
        links += [
            FeedLink(
                with_query(reverse(name), query),
                content_type,
                label,
                f"{phrase or 'These releases'} · {site} ({label})",
                filtered=True,
            )
            for name, content_type, label in FEED_FORMATS
        ]
    links += [
        FeedLink(reverse(name), content_type, label, f"{site} releases ({label})", filtered=False)
        for name, content_type, label in FEED_FORMATS
    ]
    return links


def corrections_feed_links() -> list[FeedLink]:
    """The corrections log's own feed, then the site-wide release feeds. No query."""
    site = settings.NEWSROOM_SITE_NAME
    own = FeedLink(
        reverse("releases:feed_corrections"),
        "application/atom+xml",
        "Atom",
        f"Corrections · {site} (Atom)",
        filtered=True,
    )
    return [own, *feed_links()]


def _pairs_to_query(pairs: Iterable[tuple[str, str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in pairs:
        query.appendlist(key, value)
    return query


def canonical_url(request) -> str:
    """The absolute URL of this page as search engines should index it.

    The path as requested, with only the release filters and the page number kept:
    ``utm_*``, ``fbclid``, signed-link tokens and any other parameter are dropped.
    """
    return request.build_absolute_uri(
        with_query(request.path, filter_query(request.GET, keep_page=True))
    )


def absolute_media_url(request, fieldfile) -> str:
    """Absolute URL of a stored file; empty when there is none."""
    if not fieldfile:
        return ""
    return request.build_absolute_uri(fieldfile.url)


def news_article(release, request) -> dict:
    """schema.org ``NewsArticle`` of a release, as a dict ready for ``json_ld_script``.

    Reads ``release.author``, ``release.tags.all``, ``release.corrections.all`` and
    ``release.issuer``: free with ``select_related("author")``, prefetched tags and
    corrections and ``with_organizations()``; one query each otherwise.

    Corrections are ``correction`` items (schema.org ``CorrectionComment``: text and
    datePublished), and ``dateModified`` is the latest of them when one came after the
    last save (a correction is a change to the article).
    """
    url = request.build_absolute_uri(release.get_absolute_url())
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.headline,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": release.language or settings.LANGUAGE_CODE,
        "publisher": _publisher(release, request),
    }
    if release.subheadline:
        data["alternativeHeadline"] = release.subheadline
    if release.summary:
        data["description"] = release.summary
    if release.published_at:
        data["datePublished"] = release.published_at
        data["dateline"] = release.formatted_dateline.removesuffix(" —")
    corrections = list(release.corrections.all())
    modified = [release.updated_at, *(c.noted_at for c in corrections)]
    if any(modified):
        data["dateModified"] = max(stamp for stamp in modified if stamp)
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.note, "datePublished": c.noted_at}
            for c in corrections
        ]
    if release.author:
        data["author"] = {
            "@type": "Person",
            "name": release.author.name,
            "url": request.build_absolute_uri(release.author.get_absolute_url()),
        }
    keywords = [tag.name for tag in release.tags.all()]
    if keywords:
        data["keywords"] = keywords
    data["image"] = [release_image(release, request).json_ld]
    return data


def site_logo_url(request) -> str:
    """Absolute URL of the newsroom's logo: ``NEWSROOM_SITE_LOGO``, a static file path
    (default ``img/newsroom-logo.png``, a 512 px PNG) or an absolute http(s) URL."""
    logo = settings.NEWSROOM_SITE_LOGO
    if urlsplit(logo).scheme in ("http", "https"):
        return logo
    return request.build_absolute_uri(static(logo))


@dataclass(frozen=True)
class ShareImage:
    """The image standing for a release in search results, social cards and JSON-LD."""

    url: str  # absolute
    alt: str
    featured: bool  # the release's own picture (a large card), not a logo
    # Known for a rendition (releases.images): pixels and media type.
    width: int | None = None
    height: int | None = None
    type: str = ""

    @property
    def json_ld(self) -> dict | str:
        """schema.org ``ImageObject`` with its size when known, else the URL alone."""
        if not self.width:
            return self.url
        return {
            "@type": "ImageObject",
            "url": self.url,
            "width": self.width,
            "height": self.height,
            "encodingFormat": self.type,
        }


def _share_image(request, fieldfile, image_set, alt: str, *, featured: bool) -> ShareImage:
    """The ~1200 px rendition (``ImageSet.share``) with its size; the original while
    it has none (renditions not made yet: ``manage.py make_renditions``)."""
    if image_set:
        share = image_set.share
        return ShareImage(
            request.build_absolute_uri(share.url),
            alt,
            featured,
            share.width,
            share.height,
            share.type,
        )
    return ShareImage(absolute_media_url(request, fieldfile), alt, featured)


def release_image(release, request) -> ShareImage:
    """The featured image; else the issuer's logo; else the site logo. Never empty:
    Google's Article structured data wants an ``image`` on every article. A stored
    image is given as its rendition about 1200 px wide, with width and height.

    Reads ``release.issuer`` only without a featured image (free after
    ``with_organizations()``, one query otherwise); renditions come from the rows.
    """
    if release.featured_image:
        return _share_image(
            request,
            release.featured_image,
            release.featured_image_set,
            release.featured_image_alt,
            featured=True,
        )
    issuer = release.issuer
    if issuer is not None and issuer.logo:
        return _share_image(
            request, issuer.logo, issuer.logo_set, f"Logo of {issuer.name}", featured=False
        )
    return ShareImage(
        site_logo_url(request), f"Logo of {settings.NEWSROOM_SITE_NAME}", featured=False
    )


def _publisher(release, request) -> dict:
    """The issuer (first organization); the newsroom itself when there is none.

    Always with a ``logo`` (Google's Article structured data asks for one): the issuer's,
    else the site logo, which in the usual deployment — an organization's own newsroom —
    is that organization's logo.
    """
    site_logo = {"@type": "ImageObject", "url": site_logo_url(request)}
    issuer = release.issuer
    if issuer is None:
        return {
            "@type": "Organization",
            "name": settings.NEWSROOM_SITE_NAME,
            "url": request.build_absolute_uri(reverse("releases:home")),
            "logo": site_logo,
        }
    publisher = {
        "@type": "Organization",
        "name": issuer.name,
        "url": request.build_absolute_uri(issuer.get_absolute_url()),
    }
    if issuer.short_name:
        publisher["alternateName"] = issuer.short_name
    if issuer.website:
        publisher["sameAs"] = issuer.website
    publisher["logo"] = (
        {"@type": "ImageObject", "url": absolute_media_url(request, issuer.logo)}
        if issuer.logo
        else site_logo
    )
    return publisher


def json_ld_script(data: dict) -> SafeString:
    """``<script type="application/ld+json">`` holding ``data``.

    Django's ``json_script`` filter can only write ``type="application/json"``, so this
    repeats what it does: dump with ``DjangoJSONEncoder`` (dates become ISO 8601), then
    escape ``<``, ``>`` and ``&`` as ``\\u003C``… so no string in the data — a headline
    holding ``</script>`` — can end the element. The escaped dump is the one string
    marked safe, as in ``json_script`` itself.
    """
    dumped = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(dumped.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )


def join_words(words: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
