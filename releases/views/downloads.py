"""Per-release downloads on the public site: wire-copy PDF, plain text, ninjs JSON and
the media kit (a ZIP streamed while it is written, ``releases.downloads.media_kit``).

Public releases only (``Release.objects.published()``); no staff preview. A withdrawn
release that was public answers 410, an old slug 301 to the same download under the
current slug. Each download carries an ETag and Last-Modified from the release's
version, so a repeat request is a 304 before anything is rendered.
"""

from __future__ import annotations

import json

from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from releases.downloads.media_kit import CONTENT_TYPE as ZIP_TYPE
from releases.downloads.media_kit import media_kit_filename, stream_media_kit
from releases.downloads.pdf import last_modified, release_version, render_release_pdf
from releases.downloads.text import release_to_text
from releases.exports.ninjs import release_to_ninjs
from releases.models import Release, ReleaseSlug
from releases.views.conditional import Validators
from releases.views.media import content_disposition


def _public_release_or_response(request, slug: str, url_name: str, *, more=()):
    """``(release, None)`` for a public release, else ``(None, response)`` (301/410).

    5 queries for a public release (``with_parts`` and its corrections), one more per
    relation in ``more`` (prefetched); up to 3 otherwise. Raises 404 for anything the
    public may not know of, drafts and scheduled releases included.
    """
    release = (
        Release.objects.published()
        .with_parts()
        .prefetch_related("corrections", *more)
        .filter(slug=slug)
        .first()
    )
    if release is not None:
        return release, None
    # Only the releases the public once read answer 410 or redirect: anything else
    # would confirm that an unpublished release exists.
    withdrawn = Release.objects.withdrawn().filter(slug=slug).first()
    if withdrawn is not None and withdrawn.was_public:
        return None, render(request, "releases/withdrawn.html", {"release": withdrawn}, status=410)
    old = ReleaseSlug.objects.select_related("release").filter(slug=slug).first()
    if old is not None and (old.release.is_published or old.release.was_public):
        target = reverse(url_name, kwargs={"slug": old.release.slug})
        return None, HttpResponsePermanentRedirect(target)
    raise Http404("No release here.")


def _download(request, slug: str, url_name: str, *, filename: str, content_type: str, build):
    """The common path of every download; ``build(release, release_url, site_root)``
    returns the body, called only when the client's copy is not current."""
    release, response = _public_release_or_response(request, slug, url_name)
    if response is not None:
        return response
    release_url = request.build_absolute_uri(release.get_absolute_url())
    validators = Validators.of(
        url_name, release_version(release), release_url, last_modified=last_modified(release)
    )
    not_modified = validators.not_modified(request)
    if not_modified is not None:
        return not_modified

    site_root = request.build_absolute_uri("/")
    response = HttpResponse(build(release, release_url, site_root), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{release.slug}{filename}"'
    # Search engines should list the release page, not its copies.
    response["Link"] = f'<{release_url}>; rel="canonical"'
    return validators.apply(response)


@require_safe
def release_pdf(request, slug):
    return _download(
        request,
        slug,
        "releases:download_pdf",
        filename=".pdf",
        content_type="application/pdf",
        build=lambda release, url, root: render_release_pdf(
            release, release_url=url, site_root=root
        ),
    )


@require_safe
def release_text(request, slug):
    return _download(
        request,
        slug,
        "releases:download_text",
        filename=".txt",
        content_type="text/plain; charset=utf-8",
        build=lambda release, url, root: release_to_text(release, release_url=url),
    )


@require_safe
def release_ninjs(request, slug):
    return _download(
        request,
        slug,
        "releases:download_ninjs",
        filename=".ninjs.json",
        content_type="application/json",
        build=lambda release, url, root: json.dumps(
            release_to_ninjs(release, root), ensure_ascii=False, indent=2
        ),
    )


def media_kit_response(
    release, *, pdf: bytes, text: str, release_url: str, modified_at
) -> StreamingHttpResponse:
    """The media kit as a streamed ZIP attachment (``<slug>-media-kit.zip``), also sent
    by the embargo links (``newsroom.sharing``). ``release`` comes with its attachments
    prefetched; the response reads stored files while it is sent and queries nothing.
    No ``Content-Length``: the size is known only at the end."""
    stream = stream_media_kit(
        release, pdf=pdf, text=text, release_url=release_url, modified_at=modified_at
    )
    response = StreamingHttpResponse(stream, content_type=ZIP_TYPE)
    response["Content-Disposition"] = content_disposition("attachment", media_kit_filename(release))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def media_kit_version(release) -> list:
    """What the kit holds beyond what ``release_version`` covers: the files and their
    words. No query after ``prefetch_related("attachments")``."""
    return [
        (a.pk, a.file.name, a.size, a.title, a.description, a.content_type)
        for a in release.attachments.all()
    ]


@require_safe
def release_media_kit(request, slug):
    """``<release URL>media-kit.zip``: the PDF, the text, the images with their captions
    and credits, and the attachments of a public release, in one streamed ZIP.

    Same rule as ``release.pdf`` (404 / 410 / 301). 6 queries (``with_parts``,
    corrections, attachments) before the first byte; none while streaming. The PDF
    comes from its cache when this version was rendered before.
    """
    url_name = "releases:download_media_kit"
    release, response = _public_release_or_response(request, slug, url_name, more=("attachments",))
    if response is not None:
        return response
    release_url = request.build_absolute_uri(release.get_absolute_url())
    modified_at = last_modified(release)
    validators = Validators.of(
        url_name,
        release_version(release),
        media_kit_version(release),
        release_url,
        last_modified=modified_at,
    )
    not_modified = validators.not_modified(request)
    if not_modified is not None:
        return not_modified

    site_root = request.build_absolute_uri("/")
    response = media_kit_response(
        release,
        pdf=render_release_pdf(release, release_url=release_url, site_root=site_root),
        text=release_to_text(release, release_url=release_url),
        release_url=release_url,
        modified_at=modified_at,
    )
    response["Link"] = f'<{release_url}>; rel="canonical"'
    return validators.apply(response)
