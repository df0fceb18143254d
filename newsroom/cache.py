"""The shared cache (``REDIS_URL``) as an optimisation the site never depends on.

Django's ``RedisCache`` raises when Redis is down or unreachable, and every caller (the
release cards, the facets, the API counts, the page cache) would turn that into a 500.
``ResilientRedisCache`` answers as an empty cache instead: a read misses (the page is
computed), a write or delete does nothing, ``clear`` does nothing, and ``add`` says it
added: a claim on work (the facets, a page) is the caller's own while nobody can
coordinate, so each process does the work, as with no shared cache at all. Failures
are logged at most once a minute per process (logger ``newsroom.cache``); the next
call tries Redis again, so the site recovers by itself when Redis comes back.

Counters (``incr``/``decr``) are not wrapped: nothing in the product uses them.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Seconds between two log lines about the same outage, per process.
LOG_EVERY = 60


def _or_on_failure(fallback):
    """The ``RedisCache`` method of the same name, answering ``fallback(args)`` (and
    logging) when Redis fails."""

    def wrap(method):
        @functools.wraps(method)
        def safely(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except Exception as error:  # redis.RedisError, OSError: any failure is a miss
                self._failed(method.__name__, error)
                return fallback(args, kwargs)

        return safely

    return wrap


def _default(args, kwargs):
    """``get``'s default: its second argument."""
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose failures are misses (module docstring)."""

    _logged_at = 0.0

    def _failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._logged_at >= LOG_EVERY:
            ResilientRedisCache._logged_at = now
            logger.warning(
                "cache unavailable (%s failed: %s); serving without it", operation, error
            )

    get = _or_on_failure(_default)(RedisCache.get)
    get_many = _or_on_failure(lambda args, kwargs: {})(RedisCache.get_many)
    has_key = _or_on_failure(lambda args, kwargs: False)(RedisCache.has_key)
    set = _or_on_failure(lambda args, kwargs: None)(RedisCache.set)
    set_many = _or_on_failure(lambda args, kwargs: list(args[0]))(RedisCache.set_many)
    # A claim is the caller's own while nobody can coordinate (module docstring).
    add = _or_on_failure(lambda args, kwargs: True)(RedisCache.add)
    touch = _or_on_failure(lambda args, kwargs: False)(RedisCache.touch)
    delete = _or_on_failure(lambda args, kwargs: False)(RedisCache.delete)
    delete_many = _or_on_failure(lambda args, kwargs: None)(RedisCache.delete_many)
    clear = _or_on_failure(lambda args, kwargs: False)(RedisCache.clear)
