"""A release as a wire-copy PDF, rendered by WeasyPrint from a Django template.

Rendering takes a large fraction of a second, so the bytes are cached under the
release's version (see ``release_version``). WeasyPrint never touches the network:
``LocalFetcher`` only reads files under the media and static folders, so an image
URL in a release body cannot make the server fetch anything from elsewhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from releases.freshness import etag_for

TEMPLATE = "releases/release.pdf.html"
STYLESHEET = "css/pdf.css"
# The key changes with every version, so old entries only need to age out.
CACHE_SECONDS = 7 * 24 * 3600


def release_version(release) -> str:
    """A fingerprint of everything a download prints, for cache keys and ETags.

    Release and organizations carry ``updated_at``; the author and the contacts do
    not, so the fields of theirs that are printed go into the fingerprint as they
    are. No query after ``Release.objects.with_parts()``.
    """
    parts: list[object] = [release.pk, release.updated_at.isoformat()]
    parts += [(o.pk, o.updated_at.isoformat()) for o in release.organizations.all()]
    parts += [
        (c.pk, c.name, c.role, c.email, c.phone_text, c.organization_id)
        for c in release.contacts.all()
    ]
    if release.author:
        parts.append((release.author.pk, release.author.name, release.author.bio))
    return etag_for(*parts)


def last_modified(release) -> dt.datetime:
    """When the downloads last changed: the latest edit, or the moment the release went
    public if that came later (a scheduled release or a lifted embargo). No query after
    ``with_parts()``."""
    stamps = [release.updated_at, release.published_at, release.embargoed_until]
    stamps += [organization.updated_at for organization in release.organizations.all()]
    return max(stamp for stamp in stamps if stamp is not None)


# -- fetching -------------------------------------------------------------------------


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.STATIC_ROOT)]
    roots += [
        Path(entry[1] if isinstance(entry, tuple) else entry) for entry in settings.STATICFILES_DIRS
    ]
    return [root.resolve() for root in roots]


def local_path(url: str, *, site_root: str = "") -> Path | None:
    """The local file ``url`` stands for, or None when it is not one we may read.

    Accepted: ``file:`` URLs inside the media or static folders, and this site's own
    ``MEDIA_URL``/``STATIC_URL`` addresses (absolute, on ``site_root``), which are read
    from disk rather than over HTTP.
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        candidate = Path(url2pathname(parts.path))
    elif site_root and url.startswith(site_root):
        path = unquote(parts.path)
        if path.startswith(settings.MEDIA_URL):
            candidate = Path(settings.MEDIA_ROOT) / path.removeprefix(settings.MEDIA_URL)
        elif path.startswith(settings.STATIC_URL):
            name = path.removeprefix(settings.STATIC_URL)
            candidate = Path(finders.find(name) or Path(settings.STATIC_ROOT) / name)
        else:
            return None
    else:
        return None
    resolved = candidate.resolve()
    # resolve() has followed "..": a path outside every root is refused.
    if not resolved.is_file() or not any(resolved.is_relative_to(r) for r in _allowed_roots()):
        return None
    return resolved


class LocalFetcher(URLFetcher):
    """A WeasyPrint fetcher that reads local media and static files and nothing else."""

    def __init__(self, site_root: str = ""):
        super().__init__()
        self.site_root = site_root

    def fetch(self, url, headers=None):
        path = local_path(url, site_root=self.site_root)
        if path is None:
            # WeasyPrint logs this and leaves the image out; the PDF still renders.
            raise ValueError(f"Not a local media or static file, not fetched: {url[:200]}")
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes())


# -- rendering ------------------------------------------------------------------------


def logo_uri(organization) -> str:
    """A ``file:`` URI of the organization's logo, or "" when it has none on local disk."""
    if not organization.logo:
        return ""
    try:
        path = Path(organization.logo.path)
    except NotImplementedError:  # storage without local paths
        return ""
    return path.as_uri() if path.is_file() else ""


def render_release_html(release, *, release_url: str) -> str:
    """The HTML that becomes the PDF; escaped by the template like any page.

    Expects ``release`` loaded with ``Release.objects.with_parts()``.
    """
    issuer = release.issuer
    context = {
        "release": release,
        "release_url": release_url,
        "issuer": issuer,
        "issuer_logo": logo_uri(issuer) if issuer else "",
        "site_name": settings.NEWSROOM_SITE_NAME,
    }
    return render_to_string(TEMPLATE, context)


def render_release_pdf(release, *, release_url: str, site_root: str) -> bytes:
    """The PDF bytes, from the cache when this version was rendered before.

    ``site_root`` (``https://host/``) lets body images on this site's media URLs be
    read from disk; it is part of the key because the release URL printed is too.
    """
    key = f"downloads:pdf:{release.pk}:{release_version(release)}:{etag_for(release_url)}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = _write_pdf(render_release_html(release, release_url=release_url), site_root)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def render_document(html: str, site_root: str = ""):
    """The laid-out ``weasyprint.Document`` of ``html`` (pages of boxes, fonts chosen),
    before it is written as a PDF. The fonts are local (fontconfig, see pdf.css)."""
    fetcher = LocalFetcher(site_root)
    stylesheet = finders.find(STYLESHEET)
    return HTML(string=html, base_url=site_root or None, url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)],
    )


def _write_pdf(html: str, site_root: str) -> bytes:
    return render_document(html, site_root).write_pdf()
