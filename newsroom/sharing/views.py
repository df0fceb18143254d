"""What a link opens: one release, its downloads and its files, for the link's recipient.

``/embargo/<token>/`` and ``/review/<token>/`` (names ``sharing:embargo_page``,
``sharing:review_page``…; see urls.py). Each request finds the link by its token's
digest and answers, in this order:
- unknown token (or a token of the other kind): 404;
- revoked: 410 "This link was revoked";
- the release is public now: 302 to its public page (the embargo lifted, or the draft
  under review was published);
- the release left the state the link was made for (an embargo link's release back in
  draft, any withdrawn release): 410 "no longer available";
- expired: 410 "This link has expired";
- else the page (or file), logged with ``services.record_view``.
Every answer is ``no-store, private``, ``noindex`` and ``Referrer-Policy: no-referrer``:
the token is in the URL, and must reach neither a cache, nor a search engine, nor the
sites the release links to.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from newsroom.sharing.models import MAX_TOKEN_LENGTH, Kind, LinkStatus, ShareLink, link_path
from newsroom.sharing.services import find_link, record_view
from releases.downloads.pdf import last_modified, render_release_pdf
from releases.downloads.text import release_to_text
from releases.images import ImageSet
from releases.models import Attachment, Author, Release, Status
from releases.views.detail import release_queryset
from releases.views.downloads import media_kit_response
from releases.views.media import (
    CONTENT_SECURITY_POLICY,
    INLINE_TYPES,
    content_disposition,
    content_type_for,
    stored_file_response,
)

DRAFT_LINE = "DRAFT — for review, not for publication"


@dataclass(frozen=True)
class SharedPage:
    """What ``releases/detail.html`` needs to know in link mode (context ``share_link``):
    the link, and the token its file URLs carry."""

    link: ShareLink
    token: str

    @property
    def kind(self) -> str:
        return self.link.kind

    @property
    def recipient(self):
        return self.link.shared_with

    @property
    def attachment_route(self) -> str:
        return f"sharing:{self.link.kind}_attachment"

    @property
    def pdf_url(self) -> str:
        return link_path(self.link.kind, self.token, "pdf")

    @property
    def text_url(self) -> str:
        return link_path(self.link.kind, self.token, "text")

    @property
    def media_kit_url(self) -> str:
        return link_path(self.link.kind, self.token, "media_kit")

    @property
    def image_url(self) -> str:
        return link_path(self.link.kind, self.token, "image", which="featured")

    @property
    def author_photo_url(self) -> str:
        return link_path(self.link.kind, self.token, "image", which="author")

    def file_url(self, owner, name: str) -> str:
        """Where the page loads the file stored as ``name`` of ``owner`` (the release,
        for its featured image, its author, for the photo, or one of its attachments):
        the original or one of its renditions (``releases.images``), through this link.
        ``link_image`` and ``link_attachment_image`` serve them."""
        kind, token, filename = self.link.kind, self.token, posixpath.basename(name)
        if isinstance(owner, Author):
            if name == owner.photo.name:
                return self.author_photo_url
            return link_path(kind, token, "rendition", which="author", filename=filename)
        if isinstance(owner, Attachment):
            return link_path(
                kind, token, "attachment_image", attachment_id=owner.pk, filename=filename
            )
        if name == owner.featured_image.name:
            return self.image_url
        return link_path(kind, token, "rendition", which="featured", filename=filename)


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _gone(request, link: ShareLink, reason: str) -> HttpResponse:
    return render(request, "sharing/gone.html", {"link": link, "reason": reason}, status=410)


def _open(request, token: str, kind: str, queryset):
    """``(link, release, None)`` when the link opens its release now, else
    ``(None, None, response)``; raises Http404 for an unknown token.

    2 queries (the link; the release from ``queryset``) before the answer is known.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        raise Http404("No link here.")
    link = find_link(token)
    if link is None or link.kind != kind:
        raise Http404("No link here.")
    if link.revoked_at is not None:
        return None, None, _gone(request, link, LinkStatus.REVOKED)
    release = queryset.get(pk=link.release_id)
    link.release = release  # the banner's stop time reads it (``ShareLink.stops_at``)
    if release.is_published:
        return None, None, HttpResponseRedirect(release.get_absolute_url())
    # An embargo link reads a release its embargo holds back, and nothing else: not one
    # whose embargo was removed, or moved before a later publication time (it would
    # announce a lift that does not make it public).
    still_shareable = (
        release.held_by_embargo if kind == Kind.EMBARGO else release.status != Status.WITHDRAWN
    )
    if not still_shareable:
        return None, None, _gone(request, link, "unavailable")
    if link.status(timezone.now()) == LinkStatus.EXPIRED:
        return None, None, _gone(request, link, LinkStatus.EXPIRED)
    return link, release, None


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


@require_safe
def link_page(request, token: str, kind: str):
    """The release as it will be published, under the link's banner.

    8 queries: the link, the release and its parts (6), the log entry.
    """
    link, release, response = _open(request, token, kind, release_queryset())
    if response is None:
        record_view(link=link, what="page", user_agent=_user_agent(request))
        context = {"release": release, "share_link": SharedPage(link, token)}
        response = render(request, "sharing/release.html", context)
    return _private(response)


def _download(request, token, kind, *, what, filename, content_type, build):
    link, release, response = _open(request, token, kind, Release.objects.with_parts())
    if response is None:
        record_view(link=link, what=what, user_agent=_user_agent(request))
        release_url = request.build_absolute_uri(release.get_absolute_url())
        response = HttpResponse(build(release, release_url), content_type=content_type)
        response["Content-Disposition"] = content_disposition("inline", release.slug + filename)
    return _private(response)


@require_safe
def link_pdf(request, token: str, kind: str):
    site_root = request.build_absolute_uri("/")
    return _download(
        request,
        token,
        kind,
        what="pdf",
        filename=".pdf",
        content_type="application/pdf",
        build=lambda release, url: render_release_pdf(
            release,
            release_url=url,
            site_root=site_root,
            notice=DRAFT_LINE if kind == Kind.REVIEW else "",
        ),
    )


@require_safe
def link_text(request, token: str, kind: str):
    def build(release, url):
        text = release_to_text(release, release_url=url)
        # The text of a draft says "FOR IMMEDIATE RELEASE" like any release; say what it is.
        return f"{DRAFT_LINE}\n\n{text}" if kind == Kind.REVIEW else text

    return _download(
        request,
        token,
        kind,
        what="txt",
        filename=".txt",
        content_type="text/plain; charset=utf-8",
        build=build,
    )


@require_safe
def link_media_kit(request, token: str, kind: str):
    """The media kit (``releases.downloads.media_kit``) of the link's release, with the
    review link's draft notice on its PDF and text like ``link_pdf`` and ``link_text``.

    8 queries before streaming (the link, the release and its parts as the page has
    them (6), the log entry); none while streaming.
    """
    queryset = release_queryset()
    link, release, response = _open(request, token, kind, queryset)
    if response is None:
        record_view(link=link, what="media kit", user_agent=_user_agent(request))
        release_url = request.build_absolute_uri(release.get_absolute_url())
        notice = DRAFT_LINE if kind == Kind.REVIEW else ""
        text = release_to_text(release, release_url=release_url)
        response = media_kit_response(
            release,
            pdf=render_release_pdf(
                release,
                release_url=release_url,
                site_root=request.build_absolute_uri("/"),
                notice=notice,
            ),
            text=f"{notice}\n\n{text}" if notice else text,
            release_url=release_url,
            modified_at=last_modified(release),
        )
    return _private(response)


def _file_response(field_file, *, inline: bool) -> HttpResponse:
    """The stored file as ``releases.views.media`` serves files: its type from its name,
    attachment unless an inline raster image, ``nosniff`` and the sandboxing CSP."""
    name = field_file.name
    filename = posixpath.basename(name)
    content_type = content_type_for(filename)
    storage = field_file.storage
    _size, _handle, response = stored_file_response(storage, name, content_type)
    disposition = "inline" if inline and content_type in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = content_disposition(disposition, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
def link_attachment(request, token: str, kind: str, attachment_id: int):
    """A file of the media kit of the link's release (404 for any other release's)."""
    link, release, response = _open(request, token, kind, Release.objects.all())
    if response is None:
        attachment = get_object_or_404(release.attachments, pk=attachment_id)
        response = _file_response(attachment.file, inline=False)
        record_view(
            link=link,
            what=f"attachment: {posixpath.basename(attachment.file.name)}",
            user_agent=_user_agent(request),
        )
    return _private(response)


def _image_set(release, which: str) -> ImageSet:
    """The featured image (``which="featured"``) or the author's photo (``"author"``)
    of ``release`` with its renditions; Http404 for any other name or no such image."""
    if which == "featured":
        image_set = release.featured_image_set
    elif which == "author" and release.author is not None:
        image_set = release.author.photo_set
    else:
        raise Http404("No image here.")
    if not image_set.fieldfile:
        raise Http404("No image here.")
    return image_set


def _rendition_file(image_set: ImageSet, filename: str):
    """The stored file of the rendition called ``filename`` among ``image_set``'s, as
    its row records them (a name on disk that the row does not list is 404)."""
    rendition = image_set.record_named(filename)
    if rendition is None:
        raise Http404("No image here.")
    return FieldFile(None, image_set.fieldfile.field, rendition.name)


@require_safe
def link_image(request, token: str, kind: str, which: str, filename: str = ""):
    """The release's featured image (``which="featured"``) or its author's photo
    (``"author"``), as the page shows them; with ``filename``, the rendition of it so
    named (``releases.images``), checked against the release's (or author's) row."""
    queryset = Release.objects.select_related("author")
    link, release, response = _open(request, token, kind, queryset)
    if response is None:
        image_set = _image_set(release, which)
        field_file = _rendition_file(image_set, filename) if filename else image_set.fieldfile
        response = _file_response(field_file, inline=True)
        what = f"image: {which}" + (f" {filename}" if filename else "")
        record_view(link=link, what=what, user_agent=_user_agent(request))
    return _private(response)


@require_safe
def link_attachment_image(request, token: str, kind: str, attachment_id: int, filename: str):
    """An image attachment of the link's release shown in its body: the original (its
    own file name, shown inline) or one of its renditions, checked against the
    attachment's row. 404 for a file that is not an image, or another release's."""
    link, release, response = _open(request, token, kind, Release.objects.all())
    if response is None:
        attachment = get_object_or_404(release.attachments, pk=attachment_id)
        if not attachment.is_image:
            raise Http404("No image here.")
        if filename == posixpath.basename(attachment.file.name):
            field_file = attachment.file
        else:
            field_file = _rendition_file(ImageSet(attachment.file, attachment.renditions), filename)
        response = _file_response(field_file, inline=True)
        record_view(
            link=link, what=f"attachment image: {filename}", user_agent=_user_agent(request)
        )
    return _private(response)
