"""Uploaded files (``MEDIA_URL`` + stored name), served only to who may see their owner.

A file is served only under the exact name a row stores, and follows that row's
visibility (issue 7 §2): a release's featured image and attachments while the release is
public (``Release.objects.published()``), an organization's logo and an author's photo
while they are public (``Organization.objects.public()``, ``Author.objects.public()``).
Staff who may preview (``can_preview``) also get the files of drafts, releases in review,
scheduled and embargoed releases, and every logo and photo, as private, unstored
responses. A withdrawn release's files are gone with it: 410 to whoever may know of the
release, 404 to everyone else, like its page. A rendition (``releases.images``) follows its
source file. Anything else, including a file on disk that no row names, is 404.

Every response is inert in a browser: its type from the stored name, ``nosniff``, a
sandboxing Content-Security-Policy, and ``attachment`` unless it is a raster image.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, HttpResponseGone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from releases.freshness import etag_for
from releases.models import Attachment, Author, Organization, Release, Status
from releases.views.detail import can_preview, may_know_of

# Stored names are unique per upload, but visibility is not forever: a withdrawn
# release's files leave shared caches within this time. Revalidation is a cheap 304.
PUBLIC_MAX_AGE = 300

# An uploaded file may be HTML or SVG; whatever it holds, it runs nothing and loads
# nothing, even when opened directly.
CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"

# Images shown in the page (inline); every other type is downloaded. SVG is not among
# them: it is a document that can carry script.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"})


class Access(Enum):
    PUBLIC = "public"
    PREVIEW = "preview"
    GONE = "gone"
    NONE = "none"


@dataclass(frozen=True)
class Owner:
    """A kind of row that stores uploaded files, and which of those rows are visible.

    ``lookup`` finds the rows holding a stored name; ``field`` is the file field (for
    its storage); ``folder`` is where ``releases.uploads`` puts new files, used only to
    ask the likeliest owner first.
    """

    folder: str
    lookup: str
    field: models.FileField
    inline: bool
    public: Callable[[], models.QuerySet]
    previewable: Callable[[], models.QuerySet]
    withdrawn: Callable[[], models.QuerySet] | None = None


def _release_file(folder: str, lookup: str, field: models.FileField, *, inline: bool) -> Owner:
    """A file of a release: public with it, previewed by staff, gone when withdrawn."""
    return Owner(
        folder,
        lookup,
        field,
        inline=inline,
        public=Release.objects.published,
        previewable=lambda: Release.objects.exclude(status=Status.WITHDRAWN),
        withdrawn=Release.objects.withdrawn,
    )


def _portrait(folder: str, model: type[models.Model], field_name: str) -> Owner:
    """An organization's logo or an author's photo: public while they are."""
    return Owner(
        folder,
        field_name,
        model._meta.get_field(field_name),
        inline=True,
        public=model.objects.public,
        previewable=model.objects.all,
    )


OWNERS = (
    _release_file(
        "releases", "featured_image", Release._meta.get_field("featured_image"), inline=True
    ),
    _release_file(
        "attachments", "attachments__file", Attachment._meta.get_field("file"), inline=False
    ),
    _portrait("organizations", Organization, "logo"),
    _portrait("authors", Author, "photo"),
)


def stored_name(path: str) -> str:
    """``path`` as a stored name, or Http404 for anything a stored name never is.

    Refused: NUL (PostgreSQL cannot even compare it), backslashes, absolute paths and
    empty, ``.`` or ``..`` segments, whether typed or percent-encoded (the URL is
    decoded before it gets here).
    """
    if "\x00" in path or "\\" in path or path.startswith("/"):
        raise Http404("No file here.")
    if any(part in ("", ".", "..") for part in path.split("/")):
        raise Http404("No file here.")
    return path


def _by_folder(name: str) -> list[Owner]:
    """All owners, the one whose folder the name is in first (usually the only query)."""
    folder = name.split("/", 1)[0]
    return sorted(OWNERS, key=lambda owner: owner.folder != folder)


# ``releases.images`` stores a rendition beside its source as
# ``<source name>.<width>w.<webp|jpg|png>``.
RENDITION_NAME = re.compile(r"(?P<source>.+)\.[1-9][0-9]{0,4}w\.(?:webp|jpg|png)")


def source_of(name: str) -> str | None:
    """The stored name of the image ``name`` is a rendition of, if it reads as one."""
    match = RENDITION_NAME.fullmatch(name)
    return match["source"] if match else None


def file_access(name: str, user) -> tuple[Access, Owner | None]:
    """``_file_access`` of ``name``; a rendition's is its source's (asked first: a
    rendition is visible exactly when its source is), else that of the name itself
    (an upload may be called ``photo.640w.png``)."""
    source = source_of(name)
    if source is not None:
        access, owner = _file_access(source, user)
        if access is not Access.NONE:
            return access, owner
    return _file_access(name, user)


def _file_access(name: str, user) -> tuple[Access, Owner | None]:
    """Who ``name`` belongs to and what ``user`` may do with it; one query per owner kind.

    The public case is decided without looking at ``user``, so a public file's response
    does not vary on the session cookie. A name shared by several rows (a duplicated
    release) is visible when any of them is.
    """
    owners = _by_folder(name)
    for owner in owners:
        if owner.public().filter(**{owner.lookup: name}).exists():
            return Access.PUBLIC, owner
    if can_preview(user):
        for owner in owners:
            if owner.previewable().filter(**{owner.lookup: name}).exists():
                return Access.PREVIEW, owner
    for owner in owners:
        if owner.withdrawn is not None:
            gone = owner.withdrawn().filter(**{owner.lookup: name})
            if any(may_know_of(release, user) for release in gone):
                return Access.GONE, owner
    return Access.NONE, None


def content_disposition(disposition: str, filename: str) -> str:
    """``attachment; filename="Ubersicht.pdf"; filename*=UTF-8''%C3%9Cbersicht.pdf``.

    RFC 6266 §4.3: ``filename*`` (RFC 8187) carries the real name, ``filename`` an
    ASCII fallback for old clients, without quotes, backslashes or control characters.
    """
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = "".join(c for c in ascii_name if c.isprintable() and c not in '"\\') or "file"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def content_type_for(filename: str) -> str:
    """The type a stored file is served as: from its name; ``application/octet-stream``
    for a compressed or unknown one (also used by ``newsroom.sharing``)."""
    content_type, encoding = mimetypes.guess_type(filename, strict=False)
    # A compressed file (.svg.gz) is sent as the bytes it is, never decoded by a browser.
    if encoding or not content_type:
        return "application/octet-stream"
    return content_type


def stored_file_response(storage, name: str, content_type: str):
    """``(size, open handle or None, response)`` for the file stored as ``name``: its
    bytes, or with ``MEDIA_ACCEL_REDIRECT`` an ``X-Accel-Redirect`` to the name
    percent-encoded (a name may hold spaces and any letter). Http404 when the storage
    no longer has it. The caller adds the headers."""
    try:
        size = storage.size(name)
        if settings.MEDIA_ACCEL_REDIRECT:
            # The web server in front sends the bytes (and answers Range requests) from
            # its internal location; every header still comes from here.
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(name)
            return size, None, response
        handle = storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise Http404("No file here.") from None
    return size, handle, FileResponse(handle, content_type=content_type)


@require_safe
def serve_media(request, path: str) -> HttpResponse:
    """The file stored as ``path``, to who may see it; 404, or 410 for a withdrawn release.

    Headers: ``Content-Type`` from the stored name; ``Content-Disposition`` inline for
    raster images, attachment otherwise; ``nosniff``; ``CONTENT_SECURITY_POLICY``;
    ``ETag``/``Last-Modified`` (304 on revalidation); ``Cache-Control: public`` for a
    public owner's file, ``private, no-store`` for a staff preview.
    """
    name = stored_name(path)
    access, owner = file_access(name, request.user)
    if access is Access.GONE:
        return _inert(HttpResponseGone("This file was withdrawn with its release."))
    if owner is None:
        raise Http404("No file here.")

    storage = owner.field.storage
    filename = posixpath.basename(name)
    content_type = content_type_for(filename)
    size, handle, response = stored_file_response(storage, name, content_type)

    # A rendition is always a raster image made here, shown inline even for an attachment.
    inline = owner.inline or source_of(name) is not None
    disposition = "inline" if inline and content_type in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = content_disposition(disposition, filename)
    if access is Access.PUBLIC:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
        # Not for other sites' pages to embed, even with an editor's cookies.
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"

    modified = _modified_time(storage, name)
    etag = quote_etag(etag_for(name, size, modified or ""))
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    conditional = get_conditional_response(
        request, etag=etag, last_modified=modified, response=response
    )
    if conditional is not response and handle is not None:
        # Not response.close(): that would signal request_finished for a response
        # never sent (closing the database connection mid-request).
        handle.close()
    return _inert(conditional)


def _modified_time(storage, name: str) -> int | None:
    try:
        return int(storage.get_modified_time(name).timestamp())
    except (NotImplementedError, OSError):
        return None


def _inert(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
