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

Migrations run on the primary only (``allow_migrate``); in tests the replica is a
mirror of the primary (``TEST["MIRROR"] = "default"``).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
# Paths that are read from the primary even for an anonymous GET: links that show
# releases before they are public (a link just made must work at once) and the checks.
PRIMARY_PATHS = ("/embargo/", "/review/", "/healthz", "/readyz")


@dataclass
class _Request:
    """What the router knows of the request being served in this context."""

    public_read: bool
    wrote: bool = False


_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar(
    "newsroom_db_request", default=None
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The database a read made now goes to: ``"replica"`` or ``"default"``."""
    request = _current.get()
    if (
        request is None
        or not request.public_read
        or request.wrote
        or not replica_configured()
        or connections[PRIMARY].in_atomic_block
    ):
        return PRIMARY
    return REPLICA


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
    before the page cache, whose state query follows the same choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(_Request(public_read=is_public_read(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


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
