"""Public reads on a read replica, everything else on the primary (issue 12).

When ``DATABASE_REPLICA_URL`` is set, ``DATABASES["replica"]`` is that database and this
router is installed (``newsroom/settings.py``). A query goes to ``"replica"`` only when
all of these hold; otherwise it goes to ``"default"``, the primary:

- it is a read (``db_for_read``): every write goes to the primary;
- it is made while serving a *public read* (``PublicReadMiddleware``): a GET or HEAD
  without a session cookie (no logged-in editor, no staff preview), outside the admin,
  the embargo and review links (``/embargo/``, ``/review/``) and the health checks
  (``/healthz``, ``/readyz`` report on the primary);
- no write has been routed in this request yet, and the primary is not inside a
  transaction (``atomic``): what a request wrote, it reads back from where it wrote it.

Work outside a request (management commands, Celery tasks, the facets' background
thread, which starts with a fresh context) reads the primary.

Replication lag and the page cache: the public state token (``releases.pagecache``) is
read from the same database as the page it keys (``read_alias``), so a page rendered
from a replica lagging behind is stored under the replica's (older) state, never under
the primary's newer one, where it would outlive the lag until the next change. A
public page is as fresh as the replica: stale by the replication lag at most.

A replica that cannot be reached never takes the public site down while the primary
answers. When connecting to it (``read_alias``) or querying it (``PublicReadMiddleware``'s
execute wrapper) raises ``OperationalError`` or ``InterfaceError``, this process marks it
down for ``NEWSROOM_REPLICA_RETRY_SECONDS`` (30 s by default), logs one WARNING naming it
("read replica unavailable (…): public reads go to the primary"), and reads the primary
meanwhile; the first request after the period tries the replica again (a WARNING again
if it still fails: one a period). The request that met the failure is served too: a
connection refused is seen before the request's first replica query and its reads go
to the primary; a query that fails on an open replica connection makes the middleware
run the request again, once, on the primary (a GET or HEAD that wrote nothing: nothing
is done twice). ``/readyz`` answers 200 with the replica's error and ``"reads on the
primary"`` (newsroom/operations/views.py): the instance still serves.

Migrations run on the primary only (``allow_migrate``); in tests the replica is a
mirror of the primary (``TEST["MIRROR"] = "default"``).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
# Paths that are read from the primary even for an anonymous GET: links that show
# releases before they are public (a link just made must work at once) and the checks.
PRIMARY_PATHS = ("/embargo/", "/review/", "/healthz", "/readyz")
# Errors that mean "this database cannot be reached now" (a refused or broken
# connection, a server shutting down), as Django wraps psycopg's and sqlite3's.
UNREACHABLE = (OperationalError, InterfaceError)
# Seconds a process reads the primary after the replica failed, unless
# settings.NEWSROOM_REPLICA_RETRY_SECONDS says otherwise (tests shorten it).
RETRY_SECONDS = 30


@dataclass
class _Request:
    """What the router knows of the request being served in this context."""

    public_read: bool
    wrote: bool = False
    # The replica's error met while serving this request, if any (the middleware then
    # runs the request again on the primary).
    replica_error: Exception | None = None


_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar(
    "newsroom_db_request", default=None
)


class _ReplicaHealth:
    """This process's view of the replica: down until a ``time.monotonic()`` instant."""

    def __init__(self):
        self._lock = threading.Lock()
        self.down_until = 0.0  # monotonic seconds; 0: up
        self.was_down = False  # until a connection succeeds again (logged at INFO)

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def mark_down(self, error: Exception) -> None:
        """Reads go to the primary for the retry period; one WARNING a period."""
        seconds = getattr(settings, "NEWSROOM_REPLICA_RETRY_SECONDS", RETRY_SECONDS)
        with self._lock:
            now = time.monotonic()
            first = now >= self.down_until
            self.down_until = now + seconds
            self.was_down = True
        if first:
            logger.warning(
                "read replica unavailable (%s, %s): public reads go to the primary for %s s",
                replica_name(),
                _first_line(error),
                seconds,
            )

    def answered(self) -> None:
        if self.was_down:
            with self._lock:
                was_down, self.was_down = self.was_down, False
            if was_down:
                logger.info("read %s answers again: public reads go to it", replica_name())

    def reset(self) -> None:
        """Forget a failure (tests)."""
        with self._lock:
            self.down_until, self.was_down = 0.0, False


replica_health = _ReplicaHealth()


def _first_line(error: Exception) -> str:
    """``OperationalError: connection failed: … port 1 failed: Connection refused``."""
    lines = str(error).strip().splitlines()
    return f"{error.__class__.__name__}: {lines[0]}" if lines else error.__class__.__name__


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_name() -> str:
    """``replica host:port/name`` (no user, no password) for logs."""
    config = settings.DATABASES.get(REPLICA, {})
    where = ":".join(str(part) for part in (config.get("HOST"), config.get("PORT")) if part)
    name = config.get("NAME") or ""
    return f"replica {where}/{name}" if where else f"replica {name}"


def read_alias() -> str:
    """The database a read made now goes to: ``"replica"`` or ``"default"``.

    ``"replica"`` only once its connection is open (opened here, after Django's health
    check of a kept one, as the first query would): a replica that cannot be reached is
    marked down (module docstring) and this read, and those after it, go to the primary.
    """
    request = _current.get()
    if (
        request is None
        or not request.public_read
        or request.wrote
        or not replica_configured()
        or connections[PRIMARY].in_atomic_block
        or replica_health.is_down()
    ):
        return PRIMARY
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except UNREACHABLE as error:
        replica_health.mark_down(error)
        return PRIMARY
    replica_health.answered()
    return REPLICA


def failed_on_replica(error: BaseException) -> bool:
    """Whether ``error`` is the replica's, met while serving the current request (the
    middleware serves it again from the primary: ``releases.middleware`` logs nothing)."""
    request = _current.get()
    return request is not None and request.replica_error is error


def is_public_read(request) -> bool:
    """Whether ``request`` (an ``HttpRequest``) is an anonymous read of public pages."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # a logged-in editor or a staff preview: read your own writes
    from releases.compression import admin_prefix

    return not request.path.startswith((admin_prefix() or "/admin/", *PRIMARY_PATHS))


class PublicReadMiddleware:
    """Marks the request's context as a public read or not (module docstring). Placed
    before the page cache, whose state query follows the same choice.

    On a public read, watches the replica's queries: one that fails with ``UNREACHABLE``
    marks the replica down, and the request is run again, once, on the primary, unless
    it wrote something (then its answer, a 503 most likely, stands)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Request(public_read=is_public_read(request))
        if not (state.public_read and replica_configured()):
            return self._serve(request, state)
        with connections[REPLICA].execute_wrapper(_watch_replica):
            response = self._serve(request, state)
        if state.replica_error is None or state.wrote:
            return response
        return self._serve(request, _Request(public_read=False))  # the primary only

    def _serve(self, request, state: _Request):
        token = _current.set(state)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def _watch_replica(execute, sql, params, many, context):
    """Execute wrapper on the replica's connection during a public read."""
    try:
        return execute(sql, params, many, context)
    except UNREACHABLE as error:
        replica_health.mark_down(error)
        request = _current.get()
        if request is not None:
            request.replica_error = error
        raise


class ReplicaRouter:
    """Django database router (``DATABASE_ROUTERS``): public reads to the replica, the
    rest to the primary (module docstring)."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        request = _current.get()
        if request is not None:
            request.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: objects from either may be related.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None  # Django's rule: the same database only

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
