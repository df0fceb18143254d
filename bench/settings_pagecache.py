"""The product's settings plus Django's whole-page cache (``make bench``, "page cache").

Shared by both gunicorn workers through Redis (``BENCH_REDIS_URL``, database 5 by
default) when the ``redis`` client library is importable; otherwise each worker keeps
its own pages in the default per-process memory cache. ``bench/run.py`` records which.
Pages are kept as long as their ``Cache-Control: max-age`` says (60 s on public pages).
"""

import importlib.util
import os

from newsroom.settings import *  # noqa: F403

if importlib.util.find_spec("redis"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        }
    }
MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    *MIDDLEWARE,  # noqa: F405
    "django.middleware.cache.FetchFromCacheMiddleware",
]
CACHE_MIDDLEWARE_KEY_PREFIX = "bench-page"
CACHE_MIDDLEWARE_SECONDS = 60
