"""Head tags for machines: canonical URL, feed links, a release's JSON-LD.

``{% load seo %}`` in ``includes/page_head.html``, ``includes/feed_links.html`` and
``includes/release_head.html``. Every tag reads ``request`` from the context (the
``request`` context processor) and renders nothing without it, so a template rendered
outside a request still works. None of them queries the database, except
``release_json_ld`` when the release's author, tags or organizations are not loaded
(see ``releases.seo.news_article``).
"""

from django import template

from releases import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """Absolute URL of this page without tracking parameters (filters and page kept)."""
    request = context.get("request")
    return seo.canonical_url(request) if request else ""


@register.simple_tag(takes_context=True)
def page_feed_links(context) -> list[seo.FeedLink]:
    """The feeds this page advertises (``releases.seo.feed_links``): its own, then the
    site-wide ones.

    A view that knows what it lists puts ``feed_links`` in the context (the release
    lists do, titled). Otherwise ``feed_query`` is used, with ``feed_title`` naming it:
    a QueryDict or a dict of filter names to a value or a list of values, of which only
    the ``ReleaseFilter`` keys count (never a page number, tracking parameter or token).
    A page with neither advertises the site-wide feeds only, whatever its query string
    (a stray ``?tag=`` on a release page or a 404 is not what the page lists).
    """
    if (links := context.get("feed_links")) is not None:
        return links
    return seo.feed_links(context.get("feed_query"), context.get("feed_title", ""))


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """``path`` (e.g. ``release.get_absolute_url``) as an absolute URL."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


@register.simple_tag(takes_context=True)
def absolute_media_url(context, fieldfile) -> str:
    """Absolute URL of a stored file (a featured image), empty when there is none."""
    request = context.get("request")
    if not request or not fieldfile:
        return ""
    return seo.absolute_media_url(request, fieldfile)


@register.simple_tag(takes_context=True)
def release_image(context, release) -> seo.ShareImage | None:
    """The image of the release's social cards (``releases.seo.release_image``)."""
    request = context.get("request")
    return seo.release_image(release, request) if request else None


@register.simple_tag(takes_context=True)
def release_json_ld(context, release) -> str:
    """``<script type="application/ld+json">`` with the release as a ``NewsArticle``."""
    request = context.get("request")
    if not request:
        return ""
    return seo.json_ld_script(seo.news_article(release, request))
