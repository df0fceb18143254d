"""Whole public responses, cached for anonymous readers and keyed by the public state.

A public page (a list, a release, a feed, a sitemap, the API) depends only on the public
data and the URL. So an anonymous reader's response is stored once, under the *public
state token* and the normalized URL, and served to every later reader of that URL until
the token moves; no view, template or query runs for a hit.

The token (``public_state``) moves on every write to public data and at every
scheduled publication or embargo lift, with no job:

- ``max(id)`` and ``count(*)`` of the data version log (``releases.freshness``): every
  write adds an entry in its own transaction; the count also catches a transaction that
  commits after a later one (its entry has the smaller id);
- the next scheduled publication and the next embargo lift still ahead of now: when one
  passes, the next one is another instant, so the token changes at that moment.

It is one SQL statement of index look-ups on a table pruned to about a hundred rows
(~0.2 ms on PostgreSQL), read on every request: pages are as fresh as the database,
across any number of processes and machines.

Two levels (``ResponseCache``): a per-process LRU of at most
``NEWSROOM_PAGE_CACHE_BYTES`` in front of the shared cache when ``REDIS_URL`` is set
(Django's ``RedisCache``; without it, the per-process level alone). A response is
stored as the client got it: gzip-compressed once for clients that accept gzip (by
``PublicGZipMiddleware``, inside this one), as is for the others: two entries a URL.

No stampede (``_single_flight``): after a change, one request renders each page; the
others that arrive meanwhile get the page of the previous state (it was public a moment
ago, and the response says ``max-age=60`` anyway), or wait for the new one when there is
none. The previous page is the one any process stored last (``ResponseCache.latest``),
and none when the URL's latest answer was not public (a release back to draft or
withdrawn: ``NOTHING_PUBLIC``), or when a release left public view since it was stored
(``State.takedown``): a page taken down never comes back as "previous", and no list
stored before a takedown stands in for one rendered after it.
Across processes the claim is an atomic ``add`` in Redis; within one, a lock.

What is never stored or served from here (``_cacheable_request``, ``_storable``): a
request other than GET/HEAD or with a session cookie (a logged-in user, a staff
preview), the admin, and any response that is not a 200, streams, sets a cookie, varies
on anything but ``Accept-Encoding``, or is not ``Cache-Control: public`` (embargo and
review links, previews and error pages are ``private``/``no-store``, or not 200).
Views keep deciding what is public: this layer only repeats their public answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe

from newsroom.db_router import read_alias
from releases import shown
from releases.compression import PublicGZipMiddleware, admin_prefix
from releases.freshness import etag_for
from releases.models import DataVersion, Release, Status

logger = logging.getLogger(__name__)

# How long a claim to render a page lasts, and how long a reader with no previous page
# waits for the claimant's before rendering it too (seconds).
CLAIM_SECONDS = 10
WAIT_SECONDS = 2.0
WAIT_STEP = 0.02
# Shared entries outlive any realistic gap between two changes; the token retires them.
SHARED_TIMEOUT = 3600
# A page showing more releases than this (a sitemap, a long API page) is retired by any
# scoped write rather than checked release by release.
SHOWN_LIMIT = 100
# Query keys of a search: what matches may change with any release's text.
SEARCH_KEYS = ("q", "search")
# Set by a view whose response shows some data of an earlier state (facet counts while
# the new ones are computed): it is stored for STALE_SECONDS only, so readers arriving
# together share one render, and the next render after that has the new data. A quarter
# of a second: what such a page shows reaches every reader within one facets computation
# plus this, inside the second a change may take to show on every instance (issue 12;
# a whole second made the tag index of the other instance lag by more).
STALE_HEADER = "X-Newsroom-Stale"
STALE_SECONDS = 0.25
# Response headers never stored: the server sets them again for each response.
PER_RESPONSE_HEADERS = frozenset({"date", "content-length", "x-newsroom-cache"})


# -- the public state ---------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """``token``: moves with every write that may move a release on or off a list, and
    at every scheduled transition; ``scoped``: moves with every write that concerned one
    release only (``DataVersion.release_id``); ``takedown``: moves with every write that
    took a release out of public view (``DataVersion.takedown``)."""

    token: str
    scoped: str
    takedown: str = ""


def public_state(now: dt.datetime | None = None, using: str | None = None) -> State:
    """The public state (module docstring) at ``now``. One query, on ``using`` or else
    the database this request's pages read (``newsroom.db_router.read_alias``: a replica
    lagging behind keys its pages by its own state, never by the primary's newer one).
    Raises ``DatabaseError`` when the database cannot answer."""
    connection = connections[using or read_alias()]
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(connection.vendor), [Status.PUBLISHED, now] * 2)
        top, count, scoped_top, scoped_count, next_live, next_lift, down = cursor.fetchone()
    return State(
        f"{top}.{count}.{_instant(next_live)}.{_instant(next_lift)}",
        f"{scoped_top}.{scoped_count}",
        str(down),
    )


def shown_mark(pks: tuple[int, ...], using: str | None = None) -> tuple[str, str]:
    """(the scoped log's mark for the releases ``pks``, the whole scoped mark): one
    query, on the database of ``public_state``. A page showing those releases is current
    while the first stays the same."""
    connection = connections[using or read_alias()]
    log = DataVersion._meta.db_table
    marks = ", ".join(["%s"] * len(pks))
    sql = (
        f"SELECT (SELECT MAX(id) FROM {log} WHERE release_id IN ({marks})), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {log} WHERE release_id IN ({marks})), "
        f"(SELECT MAX(id) FROM {log} WHERE release_id IS NOT NULL AND {LISTED}), "
        f"(SELECT COUNT(*) FROM {log} WHERE release_id IS NOT NULL AND {LISTED})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*pks, *pks])
        top, count, scoped_top, scoped_count = cursor.fetchone()
    return f"{top}.{count}", f"{scoped_top}.{scoped_count}"


_STATE_SQL: dict[str, str] = {}
# Scoped writes to drafts and releases in review retire no public page.
LISTED = "NOT unlisted"


def _state_sql(vendor: str) -> str:
    if vendor not in _STATE_SQL:
        log = DataVersion._meta.db_table
        releases = Release._meta.db_table
        listed = LISTED
        # Table names from the models, values as parameters: nothing user-supplied.
        _STATE_SQL[vendor] = (
            f"SELECT (SELECT MAX(id) FROM {log} WHERE release_id IS NULL), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {log} WHERE release_id IS NULL), "
            f"(SELECT MAX(id) FROM {log} WHERE release_id IS NOT NULL AND {listed}), "
            f"(SELECT COUNT(*) FROM {log} WHERE release_id IS NOT NULL AND {listed}), "
            f"(SELECT MIN(published_at) FROM {releases} "
            "WHERE status = %s AND published_at > %s), "
            f"(SELECT MIN(embargoed_until) FROM {releases} "
            "WHERE status = %s AND embargoed_until > %s), "
            f"(SELECT MAX(id) FROM {log} WHERE takedown)"
        )
    return _STATE_SQL[vendor]


def _instant(value) -> str:
    """A transition time as the database returned it (a datetime, or text on SQLite)."""
    if value is None:
        return "-"
    # SQLite's text has a space, which no cache key may hold (memcached's rule, which
    # Django's caches warn about).
    return str(value.timestamp()) if hasattr(value, "timestamp") else str(value).replace(" ", "T")


# -- entries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A stored response: its status, headers (name, value) and body bytes."""

    token: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    # ``scoped``: the whole scoped mark (``State.scoped``) when it was stored or last
    # checked; ``shown`` and ``mark``: the releases it shows and their own scoped mark
    # (``shown_mark``). With no ids, any scoped write retires it.
    scoped: str = ""
    shown: tuple[int, ...] = ()
    mark: str = ""
    # A page with data of an earlier state (``STALE_HEADER``) is current until then
    # (``time.time()``); 0: no such limit.
    expires: float = 0.0
    # ``State.takedown`` when it was stored: a page of an earlier one stands in for none.
    takedown: str = ""

    @classmethod
    def of(cls, token: str, response: HttpResponse, scoped: str, shown=(), mark="") -> Entry:
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in PER_RESPONSE_HEADERS
        )
        return cls(
            token, response.status_code, headers, response.content, scoped, tuple(shown), mark
        )

    def checked(self, state: State) -> Entry | None:
        """This entry when no scoped write since it was stored concerned what it shows
        (no query while none happened at all; else one, and the entry comes back with
        the new mark, to be stored again); else None."""
        if self.expires and time.time() >= self.expires:
            return None
        if self.scoped == state.scoped:
            return self
        if not self.shown:
            return None
        mark, scoped_now = shown_mark(self.shown)
        return replace(self, scoped=scoped_now) if mark == self.mark else None

    def response(self, request: HttpRequest, state: str) -> HttpResponse:
        """The stored response, or its 304 when the client's copy is current."""
        response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["X-Newsroom-Cache"] = state
        last_modified = response.headers.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(n) + len(v) for n, v in self.headers) + 200


# Stored as a URL's ``last`` page when its latest answer was not public (not storable):
# readers are never served the page it had before (``_render``).
NOTHING_PUBLIC = Entry(token="", status=0, headers=(), body=b"")


class _LRU:
    """A per-process LRU of entries bounded in bytes (not ``LocMemCache``: no pickling,
    no expiry scan; the token retires entries, the byte bound evicts them)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: Entry) -> None:
        if entry.size > self.max_bytes // 4:
            return  # one huge response would evict everything else
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.entries[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes and self.entries:
                _, evicted = self.entries.popitem(last=False)
                self.bytes -= evicted.size

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.bytes = 0


class ResponseCache:
    """The two levels: this process's LRU, then the shared cache when there is one."""

    def __init__(self, max_bytes: int, shared=None):
        self.local = _LRU(max_bytes)
        self.shared = shared
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._warned_at = 0.0

    def get(self, key: str) -> Entry | None:
        entry = self.local.get(key)
        if entry is None and self.shared is not None:
            entry = self._shared("get", key)
            if entry is not None:
                self.local.set(key, entry)
        return entry

    def latest(self, key: str) -> Entry | None:
        """The entry of ``key`` any process stored last: the shared one first (another
        process may have replaced it since this one kept its copy), else the local one.
        For the ``last`` pages, which are replaced rather than retired by the token."""
        if self.shared is not None and (entry := self._shared("get", key)) is not None:
            self.local.set(key, entry)
            return entry
        return self.local.get(key)

    def set(self, key: str, entry: Entry) -> None:
        self.local.set(key, entry)
        if self.shared is not None:
            self._shared("set", key, entry, SHARED_TIMEOUT)

    def claim(self, key: str) -> bool:
        """Whether this request may render ``key`` (no other process is rendering it)."""
        if self.shared is None:
            return True
        claimed = self._shared("add", f"{key}:claim", 1, CLAIM_SECONDS)
        return claimed is not False  # the shared cache down: everyone renders

    def release(self, key: str) -> None:
        if self.shared is not None:
            self._shared("delete", f"{key}:claim")

    def thread_lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            return self._locks.setdefault(key, threading.Lock())

    def clear(self) -> None:
        """Forget this process's entries (tests; the shared ones retire by token)."""
        self.local.clear()

    def _shared(self, method: str, *args):
        try:
            return getattr(self.shared, method)(*args)
        except Exception:
            now = time.monotonic()
            if now - self._warned_at > 60:
                self._warned_at = now
                logger.warning("page cache: the shared cache failed; serving without it")
            return None


_cache: ResponseCache | None = None


def response_cache() -> ResponseCache:
    """This process's ``ResponseCache`` (made on first use, from the settings)."""
    global _cache
    if _cache is None:
        shared = (
            shared_cache if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") else None
        )
        _cache = ResponseCache(settings.NEWSROOM_PAGE_CACHE_BYTES, shared)
    return _cache


def reset_response_cache() -> None:
    """Drop this process's cache object (tests that change the settings)."""
    global _cache
    _cache = None


# -- the middleware -------------------------------------------------------------------------


class PublicPageCacheMiddleware:
    """Serves and stores anonymous public responses (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.NEWSROOM_PAGE_CACHE or not _cacheable_request(request):
            return self.get_response(request)
        try:
            url = _url_key(request)
            state = public_state()
            cache = response_cache()
            key = f"newsroom:page:{state.token}:{url}"
            entry = _current(cache.get(key), state, cache, key)
        except (DisallowedHost, DatabaseError):
            return self.get_response(request)  # the views answer 400 / 503
        if entry is not None:
            return entry.response(request, "hit")
        if request.method != "GET":
            return self.get_response(request)
        return self._render(request, cache, key, url, state)

    def _render(self, request, cache: ResponseCache, key: str, url: str, state: State):
        previous_key = f"newsroom:page:last:{url}"
        lock = cache.thread_lock(url)
        if not lock.acquire(blocking=False):
            if (previous := _stand_in(cache, previous_key, state)) is not None:
                return previous.response(request, "previous")
            lock.acquire()  # this process renders it now: wait, then look again
        try:
            if (entry := _current(cache.get(key), state)) is not None:
                return entry.response(request, "hit")
            if not cache.claim(key):
                served = self._while_claimed(request, cache, key, previous_key, state)
                if served is not None:
                    return served
            with shown.collecting() as found:
                response = self.get_response(request)
            if _storable(request, response) and STALE_HEADER in response:
                # Shared for a moment by the readers arriving together; never "previous".
                entry = replace(
                    Entry.of(state.token, response, state.scoped),
                    expires=time.time() + STALE_SECONDS,
                )
                cache.set(key, entry)
                response.headers["X-Newsroom-Cache"] = "stale"
            elif _storable(request, response):
                entry = replace(
                    self._entry(request, response, found, state), takedown=state.takedown
                )
                cache.set(key, entry)
                cache.set(previous_key, entry)
                response.headers["X-Newsroom-Cache"] = "miss"
            elif response.status_code != 304 and _public_before(cache, previous_key):
                # This state's answer is not public (a 404 once the release is back to
                # draft, a 410 once withdrawn): no earlier page may stand in for it.
                cache.set(previous_key, NOTHING_PUBLIC)
            cache.release(key)
            return response
        finally:
            lock.release()

    @staticmethod
    def _entry(request, response, found: set[int], state: State) -> Entry:
        """The entry of a rendered page: bound to the releases it showed, or to every
        scoped write (a search, whose matches any edit may change, or a page showing
        more than ``SHOWN_LIMIT`` releases), or to none when a scoped write landed while
        it rendered (the next reader renders it again)."""
        searched = any(key in request.GET for key in SEARCH_KEYS)
        if searched or not found or len(found) > SHOWN_LIMIT:
            return Entry.of(state.token, response, state.scoped)
        ids = tuple(sorted(found))
        mark, scoped_now = shown_mark(ids)
        if scoped_now != state.scoped:
            return Entry.of(state.token, response, state.scoped)  # stale at once
        return Entry.of(state.token, response, state.scoped, ids, mark)

    @staticmethod
    def _while_claimed(request, cache, key: str, previous_key: str, state: State):
        """Another process renders ``key``: the previous state's page, else its page once
        stored, else None (render it here after ``WAIT_SECONDS``; at once when the last
        answer rendered was not public, ``NOTHING_PUBLIC``: none will be stored)."""
        if (previous := _stand_in(cache, previous_key, state)) is not None:
            return previous.response(request, "previous")
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if _not_public(cache, previous_key):
                return None  # its answer now is a 404 or 410: nothing will be stored
            time.sleep(WAIT_STEP)
            if (entry := _current(cache.get(key), state)) is not None:
                return entry.response(request, "hit")
        return None


def _stand_in(cache: ResponseCache, previous_key: str, state: State) -> Entry | None:
    """The page that may stand in for this URL's while another request renders it: the
    last one stored, if it was public and stored after the latest takedown (a release
    leaving public view takes its text off every page at once, lists included)."""
    previous = cache.latest(previous_key)
    if previous is None or not previous.status or previous.takedown != state.takedown:
        return None
    return previous


def _not_public(cache: ResponseCache, previous_key: str) -> bool:
    previous = cache.latest(previous_key)
    return previous is not None and not previous.status


def _public_before(cache: ResponseCache, previous_key: str) -> bool:
    """Whether a public page of this URL is kept (a URL never public, say a mistyped
    one, gets no ``NOTHING_PUBLIC`` entry: a crawler's 404s would fill the cache)."""
    previous = cache.latest(previous_key)
    return previous is not None and bool(previous.status)


def _current(entry: Entry | None, state: State, cache=None, key: str = "") -> Entry | None:
    """``entry`` if still current (``Entry.checked``), stored again when checked anew."""
    if entry is None:
        return None
    checked = entry.checked(state)
    if checked is not None and checked is not entry and cache is not None:
        cache.set(key, checked)
    return checked


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # a logged-in user or a staff preview: their own pages
    prefixes = (settings.MEDIA_URL, settings.STATIC_URL, admin_prefix() or "/admin/")
    return not request.path.startswith(prefixes)


def _url_key(request: HttpRequest) -> str:
    """A digest of what the response may depend on: scheme, host, path, the query (keys
    sorted, repeated keys kept in their order) and whether the client takes gzip."""
    query = sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True),
                   key=lambda pair: pair[0])  # fmt: skip
    gzip = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    return etag_for(request.scheme, request.get_host(), request.path, urlencode(query), gzip)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if PublicGZipMiddleware.carries_secrets(request, response):
        return False
    varies = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if varies - {"accept-encoding"}:
        return False
    directives = {
        d.split("=", 1)[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return "public" in directives
