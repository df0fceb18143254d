"""What every part of the benchmark shares: where the databases are, the environment of
the processes it starts, where results go.

Production-like settings on purpose (``DEBUG=0``, the manifest static storage, the
default per-process cache): the numbers are those a deployment would see.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# collectstatic output and media of the bench, apart from the developer's var/.
VAR_DIR = RESULTS / "var"

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
)
BENCH_10K_DATABASE_URL = os.environ.get(
    "BENCH_10K_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench10k"
)
# The Redis database of the "REDIS_URL set" servers; flushed before each of them starts.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
# The sizes ``make bench`` measures, and the database of each.
DATABASES = {100_000: BENCH_DATABASE_URL, 10_000: BENCH_10K_DATABASE_URL}


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a Django process of the benchmark (server, command, probe)."""
    env = {
        key: value
        for key, value in os.environ.items()
        # A developer's settings must not leak in: REDIS_URL is set only where the bench
        # means it, and the page cache is the product's default (on) unless said.
        if key not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE", "NEWSROOM_PAGE_CACHE")
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench",  # noqa: S106 - a benchmark on loopback, never deployed
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: production's redirect to HTTPS would answer every
        # request with a 301, and HSTS is meaningless without TLS.
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        NEWSROOM_VAR_DIR=str(VAR_DIR),
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def setup_django(database_url: str) -> None:
    """Configure and set up Django in this process for ``database_url``."""
    os.environ.update(django_env(database_url))
    os.environ.pop("REDIS_URL", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def database_name(database_url: str) -> str:
    return database_url.rsplit("/", 1)[-1].split("?", 1)[0]


def ensure_database(database_url: str) -> None:
    """Create the database of ``database_url`` if it does not exist (PostgreSQL)."""
    import psycopg
    from psycopg import sql

    name = database_name(database_url)
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def percentile(samples: list[float], q: float) -> float:
    """The ``q``-th percentile (1-99) of ``samples``, inclusive method; the sample itself
    when there is one."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(q) - 1]


def stop_group(process, *, grace: float = 25) -> None:
    """Stop ``process``, started with ``start_new_session=True``, and everything it
    started (gunicorn's workers): SIGTERM to its process group, SIGKILL after ``grace``
    seconds. Nothing when it has already stopped."""
    import contextlib
    import signal
    import subprocess

    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
