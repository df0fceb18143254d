"""``/readyz``: ready when the database and the cache both answer; 503 naming the one
that does not, with ``Retry-After``, never cached. Each failure is real: a cache server
that is not there (a closed port), a database that is not there (in a process of its
own, whose DATABASE_URL points at a closed port)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from releases.middleware import RETRY_AFTER

ROOT = Path(__file__).resolve().parent.parent
# Nothing listens on port 1 of the loopback: connections are refused at once.
NOWHERE = "127.0.0.1:1"

PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client(raise_request_exception=False).get("/readyz")
print(json.dumps([response.status_code, response.get("Retry-After"), response.json()]))
"""


@pytest.mark.django_db
def test_ready_when_the_database_and_the_cache_answer():
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_not_ready_when_the_products_cache_is_unreachable(settings):
    """The product's own backend (newsroom/cache.py) hides the outage from pages, not
    from the readiness check."""
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": f"redis://{NOWHERE}/0",
        }
    }

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["cache"] == "error: value not read back"


@pytest.mark.django_db
def test_not_ready_when_the_cache_is_unreachable(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{NOWHERE}/0",
        }
    }

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "cache": "error: ConnectionError",
    }


def test_not_ready_when_the_database_is_unreachable():
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://nobody@{NOWHERE}/newsroom",
        "LOG_LEVEL": "CRITICAL",
    }
    done = subprocess.run(  # noqa: S603 (this interpreter, our own script)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    status, retry_after, body = json.loads(done.stdout.strip().splitlines()[-1])

    assert status == 503
    assert retry_after == str(RETRY_AFTER)
    assert body == {"status": "error", "database": "error: OperationalError", "cache": "ok"}
