"""``/readyz``: whether this instance can serve, for a load balancer or an orchestrator's
readiness probe. ``/healthz`` (releases.views.health) stays the liveness check."""

import secrets

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from newsroom.db_router import UNREACHABLE, replica_health
from releases.middleware import RETRY_AFTER


def database_ready(alias: str = "default") -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means not ready: name it, hide the details
        if alias == "replica" and isinstance(error, UNREACHABLE):
            replica_health.mark_down(error)  # public reads go to the primary now
        return f"error: {error.__class__.__name__}"
    return "ok"


def cache_ready() -> str:
    """A write and a read of the default cache (Redis with REDIS_URL): the page cache
    and the shared claims need both."""
    key, value = "readyz:" + secrets.token_hex(8), secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        read = cache.get(key)
        cache.delete(key)
    except Exception as error:  # an unreachable Redis raises its own errors
        return f"error: {error.__class__.__name__}"
    return "ok" if read == value else "error: value not read back"


@never_cache
def readyz(request):
    """200 ``{"status": "ok", "database": "ok", "cache": "ok"}`` when both answer (and
    ``"replica": "ok"`` with ``DATABASE_REPLICA_URL``: public pages read it,
    newsroom/db_router.py); 503 with ``Retry-After`` naming what failed otherwise. One
    query a database, three cache calls.

    A replica that fails while the rest answers does not make the instance unready (its
    public reads go to the primary, newsroom/db_router.py): 200 ``"status": "degraded"``,
    ``"replica": "error: OperationalError (reads on the primary)"``."""
    checks = {"database": database_ready(), "cache": cache_ready()}
    degraded = False
    if "replica" in connections.settings:
        checks["replica"] = database_ready("replica")
        if checks["replica"] != "ok" and checks["database"] == "ok":
            checks["replica"] += " (reads on the primary)"
            degraded = True
    ready = all(state == "ok" for name, state in checks.items() if name != "replica")
    status = ("degraded" if degraded else "ok") if ready else "error"
    response = JsonResponse({"status": status, **checks})
    if not ready:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER)
    return response
