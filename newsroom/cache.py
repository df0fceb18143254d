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

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Seconds between two log lines about the same outage, per process.
LOG_EVERY = 60


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

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception as error:  # redis.RedisError, OSError: any failure is a miss
            self._failed("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception as error:
            self._failed("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except Exception as error:
            self._failed("has_key", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except Exception as error:
            self._failed("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except Exception as error:
            self._failed("set_many", error)
            return list(data)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except Exception as error:
            self._failed("add", error)
            return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except Exception as error:
            self._failed("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except Exception as error:
            self._failed("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except Exception as error:
            self._failed("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except Exception as error:
            self._failed("clear", error)
            return False
