"""A release as a wire-copy PDF, rendered by WeasyPrint from a Django template.

Rendering takes a large fraction of a second, so the bytes are cached under the
release's version (see ``release_version``). WeasyPrint never touches the network:
``LocalFetcher`` only reads this site's uploaded files (through their storage, so on
any backend) and its static files, so an image URL in a release body cannot make the
server fetch anything from elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage
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


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)]
    roots += [
        Path(entry[1] if isinstance(entry, tuple) else entry) for entry in settings.STATICFILES_DIRS
    ]
    return [root.resolve() for root in roots]


def media_name(url: str, *, site_root: str = "") -> str | None:
    """The stored name (``releases/abc/photo.png``) of an uploaded file that ``url``
    addresses on this site (``site_root`` + ``MEDIA_URL`` + name), or None.

    Only the name is read from the URL: the file itself is read through its storage
    (``LocalFetcher``), whatever the backend. A name no stored name can be (``..``,
    backslashes, NUL: ``releases.views.media.stored_name``) is None.
    """
    from django.http import Http404

    from releases.views.media import stored_name

    if not site_root or not url.startswith(site_root):
        return None
    path = unquote(urlsplit(url).path)
    if not path.startswith(settings.MEDIA_URL):
        return None
    try:
        return stored_name(path.removeprefix(settings.MEDIA_URL))
    except Http404:
        return None


def static_path(url: str, *, site_root: str = "") -> Path | None:
    """The static file ``url`` stands for, or None when it is not one we may read.

    Accepted: ``file:`` URLs inside the static folders (the PDF stylesheet's own
    references) and this site's ``STATIC_URL`` addresses (absolute, on ``site_root``),
    read from disk rather than over HTTP. Uploaded files are never read from a path:
    ``media_name`` and their storage serve them.
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        candidate = Path(url2pathname(parts.path))
    elif site_root and url.startswith(site_root):
        path = unquote(parts.path)
        if not path.startswith(settings.STATIC_URL):
            return None
        name = path.removeprefix(settings.STATIC_URL)
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:  # ".." out of a static folder
            return None
        candidate = Path(found or Path(settings.STATIC_ROOT) / name)
    else:
        return None
    resolved = candidate.resolve()
    # resolve() has followed "..": a path outside every root is refused.
    if not resolved.is_file() or not any(resolved.is_relative_to(r) for r in _static_roots()):
        return None
    return resolved


def own_files(release) -> dict[str, Storage]:
    """The stored names of the files that belong to ``release`` itself, each with the
    storage of its field: its featured image, attachments, its organizations' logos
    and its author's photo. Queries: one for the attachments unless prefetched."""
    files: dict[str, Storage] = {}
    fieldfiles = [release.featured_image]
    fieldfiles += [attachment.file for attachment in release.attachments.all()]
    fieldfiles += [organization.logo for organization in release.organizations.all()]
    if release.author:
        fieldfiles.append(release.author.photo)
    for fieldfile in fieldfiles:
        if fieldfile:
            files[fieldfile.name] = fieldfile.storage
    return files


class LocalFetcher(URLFetcher):
    """A WeasyPrint fetcher that reads uploaded files and static files and nothing else.

    An uploaded file is read through its field's storage (the local disk, S3, any
    Django backend: ``newsroom.storage``), and only when it belongs to the release
    being printed (``allowed_media``, see ``own_files``; a rendition of such a file
    too) or is public on its own (the rule of ``releases.views.media.file_access`` for
    an anonymous reader): a public release's body that points at a draft's image must
    not print that image. Static files are read from disk (``static_path``). Anything
    else, the network above all, raises ValueError: WeasyPrint logs it and leaves the
    image out.
    """

    def __init__(self, site_root: str = "", allowed_media: Mapping[str, Storage] | None = None):
        super().__init__()
        self.site_root = site_root
        self.allowed_media = dict(allowed_media or {})

    def fetch(self, url, headers=None):
        name = media_name(url, site_root=self.site_root)
        if name is not None:
            return URLFetcherResponse(url, body=self._read_media(name, url))
        path = static_path(url, site_root=self.site_root)
        if path is None:
            raise ValueError(f"Not a media or static file of this site, not fetched: {url[:200]}")
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes())

    def _read_media(self, name: str, url: str) -> bytes:
        storage = self._storage_of(name)
        if storage is None:
            raise ValueError(f"Not a public media file, not fetched: {url[:200]}")
        try:
            with storage.open(name, "rb") as handle:
                return handle.read()
        except OSError:  # FileNotFoundError and the like: named by a row, gone from storage
            raise ValueError(f"Media file missing from storage, not fetched: {url[:200]}") from None

    def _storage_of(self, name: str) -> Storage | None:
        """The storage holding ``name`` when this PDF may print it, else None."""
        # Imported here: the views import this module (downloads), not the other way round.
        from django.contrib.auth.models import AnonymousUser

        from releases.views.media import Access, file_access, source_of

        if name in self.allowed_media:
            return self.allowed_media[name]
        source = source_of(name)
        if source in self.allowed_media:  # a rendition, stored beside its source
            return self.allowed_media[source]
        access, owner = file_access(name, AnonymousUser())
        return owner.field.storage if access is Access.PUBLIC else None


# -- rendering ------------------------------------------------------------------------


def logo_uri(organization) -> str:
    """The logo's address on this site (``MEDIA_URL`` + its name), "" without a logo.

    Read back by ``LocalFetcher`` through the logo's storage, so it prints on any
    storage backend; relative, so the document needs ``site_root`` as its base URL.
    """
    return organization.logo.url if organization.logo else ""


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


def render_document(
    html: str, site_root: str = "", allowed_media: Mapping[str, Storage] | None = None
):
    """The laid-out ``weasyprint.Document`` of ``html`` (pages of boxes, fonts chosen),
    before it is written as a PDF. The fonts are local (fontconfig, see pdf.css); media
    files are read as ``LocalFetcher`` allows (``allowed_media``: ``own_files``), and
    relative media URLs need ``site_root`` to resolve."""
    fetcher = LocalFetcher(site_root, allowed_media)
    stylesheet = finders.find(STYLESHEET)
    return HTML(string=html, base_url=site_root or None, url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)],
    )


def _write_pdf(html: str, site_root: str, allowed_media: Mapping[str, Storage]) -> bytes:
    return render_document(html, site_root, allowed_media).write_pdf()
