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
    are, and so do the corrections. No query after ``Release.objects.with_parts()``
    and ``prefetch_related("corrections")``.
    """
    parts: list[object] = [release.pk, release.updated_at.isoformat()]
    parts += [(o.pk, o.updated_at.isoformat()) for o in release.organizations.all()]
    parts += [
        (c.pk, c.name, c.role, c.email, c.phone_text, c.organization_id)
        for c in release.contacts.all()
    ]
    if release.author:
        parts.append((release.author.pk, release.author.name, release.author.bio))
    parts += [(c.pk, c.noted_at.isoformat(), c.note) for c in release.corrections.all()]
    return etag_for(*parts)


def last_modified(release) -> dt.datetime:
    """When the downloads last changed: the latest edit, or the moment the release went
    public if that came later (a scheduled release or a lifted embargo), or the latest
    correction. No query after ``with_parts()`` and ``prefetch_related("corrections")``."""
    stamps = [release.updated_at, release.published_at, release.embargoed_until]
    stamps += [organization.updated_at for organization in release.organizations.all()]
    stamps += [correction.noted_at for correction in release.corrections.all()]
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


def media_name(path: Path) -> str | None:
    """The stored name (``releases/abc/photo.png``) of a resolved local path, or None
    when it is not under ``MEDIA_ROOT`` (a static file)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else None


def own_files(release) -> frozenset[str]:
    """The stored names of the files that belong to ``release`` itself: its featured
    image, attachments, its organizations' logos and its author's photo. Queries: one
    for the attachments unless prefetched."""
    names = {release.featured_image.name} if release.featured_image else set()
    names |= {attachment.file.name for attachment in release.attachments.all()}
    names |= {o.logo.name for o in release.organizations.all() if o.logo}
    if release.author and release.author.photo:
        names.add(release.author.photo.name)
    return frozenset(names)


class LocalFetcher(URLFetcher):
    """A WeasyPrint fetcher that reads local media and static files and nothing else.

    A media file is read only when it belongs to the release being printed
    (``allowed_media``, see ``own_files``) or is public on its own (the rule of
    ``releases.views.media.file_access`` for an anonymous reader): a public release's
    body that points at a draft's image must not print that image.
    """

    def __init__(self, site_root: str = "", allowed_media: frozenset[str] = frozenset()):
        super().__init__()
        self.site_root = site_root
        self.allowed_media = allowed_media

    def fetch(self, url, headers=None):
        path = local_path(url, site_root=self.site_root)
        if path is None:
            # WeasyPrint logs this and leaves the image out; the PDF still renders.
            raise ValueError(f"Not a local media or static file, not fetched: {url[:200]}")
        name = media_name(path)
        if name is not None and name not in self.allowed_media and not _public_media(name):
            raise ValueError(f"Not a public media file, not fetched: {url[:200]}")
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes())


def _public_media(name: str) -> bool:
    # Imported here: the views import this module (downloads), not the other way round.
    from django.contrib.auth.models import AnonymousUser

    from releases.views.media import Access, file_access

    return file_access(name, AnonymousUser())[0] is Access.PUBLIC


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


def render_release_html(release, *, release_url: str, notice: str = "") -> str:
    """The HTML that becomes the PDF; escaped by the template like any page.

    Expects ``release`` loaded with ``Release.objects.with_parts()``. ``notice``, when
    given, is printed above everything (e.g. "DRAFT — for review, not for publication"
    on the copy a review link gives).
    """
    issuer = release.issuer
    context = {
        "release": release,
        "release_url": release_url,
        "issuer": issuer,
        "issuer_logo": logo_uri(issuer) if issuer else "",
        "site_name": settings.NEWSROOM_SITE_NAME,
        "notice": notice,
    }
    return render_to_string(TEMPLATE, context)


def render_release_pdf(release, *, release_url: str, site_root: str, notice: str = "") -> bytes:
    """The PDF bytes, from the cache when this version was rendered before.

    ``site_root`` (``https://host/``) lets body images on this site's media URLs be
    read from disk; it is part of the key because the release URL printed is too, and
    so is ``notice`` (see ``render_release_html``).
    """
    fingerprint = etag_for(release_url, notice)
    key = f"downloads:pdf:{release.pk}:{release_version(release)}:{fingerprint}"
    pdf = cache.get(key)
    if pdf is None:
        html = render_release_html(release, release_url=release_url, notice=notice)
        pdf = _write_pdf(html, site_root, own_files(release))
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def render_document(html: str, site_root: str = "", allowed_media: frozenset[str] = frozenset()):
    """The laid-out ``weasyprint.Document`` of ``html`` (pages of boxes, fonts chosen),
    before it is written as a PDF. The fonts are local (fontconfig, see pdf.css); media
    files are read as ``LocalFetcher`` allows."""
    fetcher = LocalFetcher(site_root, allowed_media)
    stylesheet = finders.find(STYLESHEET)
    return HTML(string=html, base_url=site_root or None, url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)],
    )


def _write_pdf(html: str, site_root: str, allowed_media: frozenset[str]) -> bytes:
    return render_document(html, site_root, allowed_media).write_pdf()
