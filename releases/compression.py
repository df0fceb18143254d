"""Gzip for public pages and feeds, never for a response that carries a secret.

BREACH (breachattack.com) recovers a secret from a compressed HTTPS response that also
reflects attacker-chosen text (a search query): the compressed size leaks how much of
the guess matches. So only responses that hold no secret are compressed. The rule, in
``PublicGZipMiddleware.carries_secrets``: a GET or HEAD, outside the admin, from a client
with no session cookie, whose response sets no cookie, does not vary on ``Cookie`` and
is not ``private`` or ``no-store``. That leaves the anonymous public site (pages, feeds,
sitemaps, the API) and excludes every page with a CSRF token (using the token sets the
CSRF cookie and ``Vary: Cookie``), everything a logged-in user or staff sees, the staff
preview and the admin. Static files are compressed ahead of time by WhiteNoise.

Validators keep working: Django's ``GZipMiddleware`` makes a strong ETag weak
(``W/"…"``, RFC 9110 §8.8.1), and Django's conditional GET compares ETags weakly, so a
client sending the weak ETag back gets its 304; the 304 carries the same weak ETag.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import NoReverseMatch, reverse
from django.utils.cache import cc_delim_re, has_vary_header, patch_vary_headers


@cache
def admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


# Text formats only: images, PDFs and archives (the media files, the PDF download) are
# compressed already, and gzipping them again costs CPU for nothing.
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/atom+xml",
        "application/javascript",
        "application/json",
        "application/rss+xml",
        "application/vnd.oai.openapi",
        "application/vnd.oai.openapi+json",
        "application/xml",
        "image/svg+xml",
    }
)


def compressible(response) -> bool:
    """Whether the response's ``Content-Type`` is text worth compressing."""
    media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in COMPRESSIBLE_TYPES


class PublicGZipMiddleware(GZipMiddleware):
    """``GZipMiddleware`` that leaves alone every response that may carry a secret, and
    every response that is not text (see ``compressible``)."""

    def process_response(self, request, response):
        if self.carries_secrets(request, response):
            return response
        if response.status_code != 304 and not compressible(response):
            return response
        if response.status_code == 304:
            return self.not_modified(request, response)
        return super().process_response(request, response)

    @staticmethod
    def carries_secrets(request, response) -> bool:
        if request.method not in ("GET", "HEAD"):
            return True
        prefix = admin_prefix()
        if prefix and request.path.startswith(prefix):
            return True
        # A session (a logged-in user, a staff preview) may put its secrets anywhere.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return True
        # Setting a cookie (the CSRF cookie when a form used its token, a new session)
        # or varying on one means the body is this client's own.
        if response.cookies or has_vary_header(response, "Cookie"):
            return True
        directives = {
            directive.split("=", 1)[0].strip().lower()
            for directive in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        return bool(directives & {"private", "no-store"})

    @staticmethod
    def not_modified(request, response):
        """The 304 says what the 200 would: ``Vary: Accept-Encoding`` and, to a client
        that accepts gzip, the weak ETag the compressed 200 carried."""
        patch_vary_headers(response, ("Accept-Encoding",))
        etag = response.get("ETag")
        accepts = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if accepts and etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        return response
