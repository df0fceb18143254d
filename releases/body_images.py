"""Images in a release body, given their renditions when the page is rendered.

The editor places a release's own uploads in its body (``releases.forms.body_images``)
as ``<img src="<the original's storage URL>" alt="…">``: stored so, the body stays as
written (and as the PDF and the text export read it). When a page shows the body, each
such image becomes what the featured image is (``releases.images``): a ``<picture>``
with WebP and original-format renditions in ``srcset``, ``sizes``, ``width`` and
``height`` (no layout shift) and ``loading="lazy"``. On an embargo or review link's page
(``newsroom.sharing``) its URLs are the link's own file routes, since the ``/media/``
URLs of a release that is not public are 404 to the journalist reading it.

Outside the site's pages (feeds, the API, the ninjs export) the body is read with no page
around it: ``absolute_body`` makes every URL in it absolute, and shows each own image as
one ~``DISTRIBUTED_WIDTH`` px rendition with its ``width`` and ``height``.

How tags are found: the body is nh3's output (``releases.sanitize``, applied on every
save), but nothing here relies on its quoting: the standard library's HTML tokenizer
(``html.parser``) finds each ``<img>`` start tag, its position and its decoded
attributes; only those tags are replaced, by tags built with ``format_html`` (every
value escaped), and every other character of the body is kept as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from releases.exports.serialize import absolute_url
from releases.freshness import etag_for
from releases.images import ImageSet
from releases.images.sets import Rendition

# As the featured image: the column is 44rem wide from 46rem of viewport up.
BODY_IMAGE_SIZES = "(min-width: 46rem) 44rem, 100vw"
# What an <img> of the body keeps of its own attributes (the sanitizer's allow-list for
# img, less the URL and the size, which come from the image).
KEPT_ATTRIBUTES = ("alt", "title", "lang", "dir")
# The attributes of the sanitizer's allow-list (``releases.sanitize``) that hold a URL.
URL_ATTRIBUTES = {"a": ("href",), "img": ("src",), "blockquote": ("cite",), "q": ("cite",)}
# An own image in a feed or the API: one file for a reader's column, never the original
# (3000 px and megabytes), with no srcset (feed readers drop it).
DISTRIBUTED_WIDTH = 1280
# Keys change with every save of the release: old entries are dead weight (s).
DISTRIBUTED_TIMEOUT = 60 * 60 * 24


@dataclass(frozen=True)
class BodyImage:
    """One own image as a page shows it: ``original``, the URL its original loads from;
    ``image_set``, its renditions (false when none were made)."""

    original: str
    image_set: ImageSet


# ``url_for(owner, stored_name)``: where a page loads a file of ``owner`` (the release,
# for its featured image, or an ``Attachment``) stored as ``stored_name`` (the original
# or one of its renditions).
UrlFor = Callable[[object, str], str]


def own_image_files(release) -> list[tuple[object, object, list]]:
    """The images ``release``'s body may show, as ``(owner, stored file, its renditions'
    records)``: the featured image (owner: the release), then each image attachment in
    its order (owner: the ``Attachment``). The one definition the editor's picker, the
    form's checks and the pages use. No query when the attachments are prefetched."""
    files = []
    if release.featured_image:
        files.append((release, release.featured_image, release.featured_image_renditions))
    files += [
        (attachment, attachment.file, attachment.renditions)
        for attachment in release.attachments.all()
        if attachment.file and attachment.is_image
    ]
    return files


def own_images(release, url_for: UrlFor | None = None) -> dict[str, BodyImage]:
    """The images ``release``'s body may show (its featured image and image
    attachments), keyed by every URL a body can name them by: the original's storage
    URL and each rendition's. Loaded from their storage URLs, or from ``url_for``.

    No query when the release's attachments are prefetched (the release page's and the
    link page's querysets do); no file is opened.
    """
    images: dict[str, BodyImage] = {}
    for owner, fieldfile, records in own_image_files(release):
        stored = ImageSet(fieldfile, records)
        if url_for is None:
            shown = BodyImage(fieldfile.url, stored)
        else:
            linked = stored.through(lambda rendition, owner=owner: url_for(owner, rendition.name))
            shown = BodyImage(url_for(owner, fieldfile.name), linked)
        images[fieldfile.url] = shown
        for rendition in stored.renditions:
            images[rendition.url] = shown
    return images


class _StartTags(HTMLParser):
    """Every start tag named in ``names`` of a document: ``(start, end, name,
    attributes)``, offsets into the text it was fed, attributes in their order."""

    def __init__(self, text: str, names=("img",)):
        super().__init__(convert_charrefs=True)
        self._names = frozenset(names)
        self._line_starts = [0]
        self._line_starts += [i + 1 for i, char in enumerate(text) if char == "\n"]
        self.tags: list[tuple[int, int, str, dict[str, str]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in self._names:
            line, column = self.getpos()
            start = self._line_starts[line - 1] + column
            end = start + len(self.get_starttag_text())
            self.tags.append((start, end, tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def _dimensions(attributes: Mapping[str, str], image_set: ImageSet | Rendition) -> dict[str, int]:
    """``width`` and ``height`` for the tag: the body's own when it gives a width or a
    height (the other in proportion), else the image's (or the rendition's)."""
    width, height = image_set.width, image_set.height
    given_width, given_height = (_pixels(attributes.get(side)) for side in ("width", "height"))
    if given_width and given_height:
        return {"width": given_width, "height": given_height}
    if given_width:
        return {"width": given_width, "height": max(1, round(given_width * height / width))}
    if given_height:
        return {"width": max(1, round(given_height * width / height)), "height": given_height}
    return {"width": width, "height": height}


def _pixels(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else None


def _picture(attributes: Mapping[str, str], image: BodyImage) -> SafeString:
    kept = {name: attributes[name] for name in KEPT_ATTRIBUTES if name in attributes}
    kept.setdefault("alt", "")
    image_set = image.image_set
    if not image_set:
        size = {side: attributes[side] for side in ("width", "height") if side in attributes}
        img = {"src": image.original, **size, **kept, "loading": "lazy"}
        return format_html("<img{}>", flatatt(img))
    img = {
        "src": image_set.src.url,
        "srcset": image_set.fallback_srcset,
        "sizes": BODY_IMAGE_SIZES,
        **_dimensions(attributes, image_set),
        **kept,
        "loading": "lazy",
        "decoding": "async",
    }
    if image_set.webp and image_set.fallback[0].type != "image/webp":
        source = {"type": "image/webp", "srcset": image_set.webp_srcset, "sizes": BODY_IMAGE_SIZES}
        return format_html("<picture><source{}><img{}></picture>", flatatt(source), flatatt(img))
    return format_html("<picture><img{}></picture>", flatatt(img))


def with_renditions(body: str, images: Callable[[], Mapping[str, BodyImage]]) -> SafeString:
    """``body`` (sanitized HTML, trusted) with each ``<img>`` whose ``src`` is a key of
    ``images()`` replaced by the picture of that image (module docstring); any other
    image (an address not among them) and every other character unchanged.

    ``images`` is called only when the body holds an ``<img>``.
    """
    body = body or ""
    if "<img" not in body.lower():
        return mark_safe(body)  # noqa: S308  (sanitized on save, Release.save)
    known = images()
    parts: list[str] = []
    done = 0
    for start, end, _name, attributes in _StartTags(body).tags:
        image = known.get(attributes.get("src", ""))
        if image is None:
            continue
        parts += [body[done:start], _picture(attributes, image)]
        done = end
    parts.append(body[done:])
    return mark_safe("".join(parts))  # noqa: S308  (the body's own text, and format_html's)


def _rewrite_tags(body: str, rewrite: Callable[[str, dict[str, str]], dict | None]) -> str:
    """``body`` with every tag of ``URL_ATTRIBUTES`` that ``rewrite(name, attributes)``
    changes (it returns the new attributes, or None to keep the tag) rebuilt with
    ``format_html``, every value escaped, in the stored attribute order (``flatatt``
    sorts them), so a diff shows only what changed. Every other character is kept."""
    parts: list[str] = []
    done = 0
    for start, end, name, attributes in _StartTags(body, URL_ATTRIBUTES).tags:
        changed = rewrite(name, attributes)
        if changed is None:
            continue
        attribute_text = format_html_join("", ' {}="{}"', changed.items())
        parts += [body[done:start], format_html("<{}{}>", name, attribute_text)]
        done = end
    parts.append(body[done:])
    return "".join(parts)


def absolute_body(
    body: str, page_url: str, images: Callable[[], Mapping[str, BodyImage]] | None = None
) -> str:
    """``body`` (sanitized HTML, trusted) for a reader with no page around it: every URL
    of an ``a href``, ``img src`` or ``cite`` resolved against ``page_url`` (the release
    page's absolute URL, as a browser on that page resolves it); schemes and absolute
    URLs kept. With ``images`` (as ``with_renditions``), each own image becomes an
    ``<img>`` of its narrowest rendition at least ``DISTRIBUTED_WIDTH`` wide in the
    original's format, with ``width`` and ``height``; an own image with no renditions
    yet keeps its original. Without it (an export read back by an importer), own images
    keep their original.

    Only the tags holding such URLs are rebuilt (``_rewrite_tags``). ``images`` is called
    only when the body holds an ``<img>``; no query when the release's attachments are
    prefetched. ``site_relative_media`` undoes it for this site's files.
    """
    body = body or ""
    known: Mapping[str, BodyImage] = images() if images and "<img" in body.lower() else {}

    def rewrite(name: str, attributes: dict[str, str]) -> dict | None:
        image = known.get(attributes.get("src", "")) if name == "img" else None
        if image is not None and image.image_set:
            rendition = image.image_set.at_least(DISTRIBUTED_WIDTH)
            kept = {key: attributes[key] for key in KEPT_ATTRIBUTES if key in attributes}
            attributes = {
                "src": rendition.url,
                **_dimensions(attributes, rendition),
                "alt": "",
                **kept,
            }
        elif image is not None:
            attributes = {**attributes, "src": image.original}
        absolute = {
            key: urljoin(page_url, value.strip()) if key in URL_ATTRIBUTES[name] else value
            for key, value in attributes.items()
        }
        return None if absolute == attributes and image is None else absolute

    return _rewrite_tags(body, rewrite)


def site_hosts() -> frozenset[str]:
    """The host names this site answers on: ``NEWSROOM_BASE_URL``'s and every literal
    entry of ``ALLOWED_HOSTS`` (not ``*`` or ``.example.org`` patterns), lower case."""
    hosts = {
        host.lower()
        for host in settings.ALLOWED_HOSTS
        if host and "*" not in host and not host.startswith(".")
    }
    if settings.NEWSROOM_BASE_URL:
        hosts.add((urlsplit(settings.NEWSROOM_BASE_URL).hostname or "").lower())
    return frozenset(hosts - {""})


def site_relative_media(body: str) -> str:
    """``body`` with absolute URLs of this site's uploaded files (``http(s)://<a host of
    site_hosts()>/<MEDIA_URL>…``, as feeds, the API and the ninjs export give them)
    made site-relative again, as the editor and the release page know them: so a body
    read back by an importer keeps its own images (renditions on the page, not removed
    as foreign on the first edit). Other URLs are kept as they are."""
    hosts = site_hosts()

    def rewrite(name: str, attributes: dict[str, str]) -> dict | None:
        changed = dict(attributes)
        for key in URL_ATTRIBUTES[name]:
            parts = urlsplit(attributes.get(key, "").strip())
            if (
                parts.scheme in ("http", "https")
                and (parts.hostname or "").lower() in hosts
                and parts.path.startswith(settings.MEDIA_URL)
            ):
                changed[key] = parts.path + (f"?{parts.query}" if parts.query else "")
        return None if changed == attributes else changed

    return _rewrite_tags(body or "", rewrite)


def page_url(release, request) -> str:
    """The absolute URL of ``release``'s page: on ``NEWSROOM_BASE_URL`` when set (the
    site's public address), else on the request's scheme and host."""
    path = release.get_absolute_url()
    if settings.NEWSROOM_BASE_URL:
        return absolute_url(settings.NEWSROOM_BASE_URL, path)
    return request.build_absolute_uri(path)


def distributed_body(release, request) -> str:
    """``release``'s body as feeds and the API give it (``absolute_body`` with its own
    images). No query when its attachments are prefetched."""
    return absolute_body(release.body, page_url(release, request), lambda: own_images(release))


def distributed_bodies(releases, request) -> dict[int, str]:
    """``distributed_body`` of each of ``releases`` by id, each rewritten once per
    version of what it depends on and then read from the cache (one ``get_many``).

    The key holds all it is made of: the release's ``updated_at`` (its body and slug
    are saved with it), its page's absolute URL (scheme, host, path), the media URL and
    the stored names and rendition records of its own images (renditions are recorded
    on the rows by ``QuerySet.update()``, which leaves ``updated_at`` alone). No query
    when the attachments are prefetched."""
    releases = list(releases)
    keys = {release.pk: _distributed_key(release, request) for release in releases}
    found = cache.get_many(list(keys.values()))
    bodies, fresh = {}, {}
    for release in releases:
        key = keys[release.pk]
        if (body := found.get(key)) is None:
            body = fresh[key] = distributed_body(release, request)
        bodies[release.pk] = body
    if fresh:
        cache.set_many(fresh, DISTRIBUTED_TIMEOUT)
    return bodies


def _distributed_key(release, request) -> str:
    images = (
        [(str(fieldfile), records) for _, fieldfile, records in own_image_files(release)]
        if "<img" in (release.body or "").lower()
        else []
    )
    version = etag_for(
        release.updated_at.isoformat(),
        page_url(release, request),
        settings.MEDIA_URL,
        DISTRIBUTED_WIDTH,
        repr(images),
    )
    return f"distributed-body:{release.pk}:{version}"
