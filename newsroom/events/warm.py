"""Warming the page cache after releases became public: their first reader gets a hit.

A newly public release changes the home page, the list, its own page, the feeds and the
sitemap. ``warm(releases)`` renders each through the project's own request handler (every
middleware, the whole-response cache of ``releases.pagecache`` included) as an anonymous
reader of the site's address, once accepting gzip and once not (the cache keeps one
entry of each). The response fills the cache exactly as a reader's miss would.

The site's address: ``NEWSROOM_BASE_URL``, else the first ``ALLOWED_HOSTS`` entry that is
a host name (no wildcard). Entries land in the shared cache level when ``REDIS_URL`` is
set (every web process reads them), else only in the process that ran the task.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory
from django.urls import reverse

from releases.models import Release

logger = logging.getLogger(__name__)

RELEASE_PAGES = 20


def _handler() -> BaseHandler:
    """The project's middleware chain around its views, as a web process has it (built
    per warming: a few milliseconds, and always from the current settings)."""
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def site_address() -> tuple[str, str, str] | None:
    """(scheme, host, path prefix) readers use, or None when no address is known."""
    if settings.NEWSROOM_BASE_URL:
        parts = urlsplit(settings.NEWSROOM_BASE_URL)
        return parts.scheme, parts.netloc, parts.path.rstrip("/")
    for host in settings.ALLOWED_HOSTS:
        if host and "*" not in host and not host.startswith("."):
            scheme = "https" if getattr(settings, "SECURE_SSL_REDIRECT", False) else "http"
            return scheme, host, ""
    return None


def urls_for(releases: list[Release]) -> list[str]:
    """The paths newly public ``releases`` change: the shared pages once, then the first
    ``RELEASE_PAGES`` releases' own pages (a big import warms its lists, not every page)."""
    return [
        reverse("releases:home"),
        reverse("releases:list"),
        reverse("releases:feed_atom"),
        reverse("releases:feed_rss"),
        reverse("sitemap"),
        *(release.get_absolute_url() for release in releases[:RELEASE_PAGES]),
    ]


def warm(releases: list[Release]) -> dict[str, int]:
    """Request each of ``urls_for(releases)`` as an anonymous reader (gzip and plain);
    returns {path: status code}. Nothing is done when no site address is known."""
    address = site_address()
    if address is None:
        logger.info("No NEWSROOM_BASE_URL or ALLOWED_HOSTS entry: pages not warmed.")
        return {}
    scheme, host, prefix = address
    factory = RequestFactory()
    handler = _handler()
    statuses = {}
    for path in urls_for(releases):
        for encoding in ("gzip, deflate, br", ""):
            request = factory.get(
                prefix + path,
                secure=scheme == "https",
                HTTP_HOST=host,
                HTTP_ACCEPT_ENCODING=encoding,
            )
            response = handler.get_response(request)
            statuses[path] = response.status_code
    return statuses
