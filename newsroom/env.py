"""Small, strict readers for settings that come from environment variables.

Each helper either returns a well-formed value or raises ``ImproperlyConfigured``
naming the variable, so a typo in production stops start-up instead of running
with a silently different configuration.
"""

from __future__ import annotations

import os
import zoneinfo

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is less than {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_time_zone(name: str, default: str) -> str:
    value = os.environ.get(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not an IANA time zone (e.g. 'Europe/London', 'UTC')."
        ) from None
    return value


def env_base_url(name: str, default: str = "") -> str:
    """An absolute ``http(s)://host[:port][/path]`` URL, returned without a trailing slash;
    ``default`` when unset or empty."""
    from urllib.parse import urlsplit

    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not an absolute http(s) URL such as 'https://news.example.org'."
        )
    return raw.rstrip("/")


def env_database(name: str, default: str) -> dict:
    import dj_database_url

    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a database URL: {exc}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name}={raw!r} names no supported database engine.")
    return config


def env_broker_url(name: str, redis_url: str | None) -> str:
    """The Celery broker: ``name`` when set; else, with ``redis_url`` (the cache's
    ``redis[s]://host:port/N``), the next database on the same server (``N + 1``, 0 after
    15: Redis's 16 by default), so the queue is never in the cache's database, which a
    restore clears; else ``""`` (no broker: tasks run at once). Raises
    ``ImproperlyConfigured`` for a broker URL that is not ``redis[s]://``."""
    from urllib.parse import urlsplit, urlunsplit

    raw = (os.environ.get(name) or "").strip()
    if raw:
        if urlsplit(raw).scheme not in ("redis", "rediss"):
            raise ImproperlyConfigured(
                f"{name}={raw!r} is not a Redis URL such as 'redis://127.0.0.1:6379/1'."
            )
        return raw
    if not redis_url:
        return ""
    parts = urlsplit(redis_url)
    path = parts.path.strip("/")
    database = int(path) if path.isdigit() else 0
    return urlunsplit(parts._replace(path=f"/{(database + 1) % 16}"))
