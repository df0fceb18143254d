"""Settings fail loudly: safe defaults, and a malformed value stops start-up naming it.

The settings module is imported in a fresh interpreter for each case, because it is
read once per process and the test run has already imported it (via tests.settings).
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from newsroom.env import (
    env_bool,
    env_broker_url,
    env_database,
    env_int,
    env_list,
    env_str,
    env_time_zone,
)

# Variables the settings read that could leak in from the shell running the tests.
READ_BY_SETTINGS = (
    "NEWSROOM_BASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "REDIS_URL",
    "NEWSROOM_PAGE_SIZE",
    "SECURE_COOKIES",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "MEDIA_ROOT",
    "MEDIA_ACCEL_REDIRECT",
    "PHONENUMBER_DEFAULT_REGION",
    "DEFAULT_FROM_EMAIL",
    "LOG_LEVEL",
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' flag (tests/browser/conftest.py),
    # set for the whole run once they are collected; no deployment has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
# Whole families cleared by prefix: the media storage (newsroom/storage.py) reads
# NEWSROOM_MEDIA_STORAGE and AWS_*, and boto3 reads more AWS_* of its own (AWS_PROFILE,
# AWS_DEFAULT_REGION, AWS_CONFIG_FILE), so a developer's S3 shell must not reach the
# interpreter under test. NEWSROOM_VAR_DIR is set again by ``_start``. CELERY_*: the
# broker (a shell's would turn eager tasks into queued ones) and the worker's options.
READ_BY_PREFIX = ("NEWSROOM_", "AWS_", "SECURE_", "EMAIL_", "DJANGO_", "CELERY_")


def clean_environ() -> dict[str, str]:
    """The shell's environment without any variable the settings (or the storage
    backends they choose) read, so a test sees only the values it passes."""
    return {
        name: value
        for name, value in os.environ.items()
        if name not in READ_BY_SETTINGS and not name.startswith(READ_BY_PREFIX)
    }


PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "TIME_ZONE": settings.TIME_ZONE,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_HSTS_PRELOAD": settings.SECURE_HSTS_PRELOAD,
    "DATABASE": {k: v for k, v in settings.DATABASES["default"].items() if k != "OPTIONS"},
    "MEDIA_STORAGE": settings.STORAGES["default"],
}, default=str))
"""


def _start(tmp_path, *args: str, **variables) -> subprocess.CompletedProcess:
    """Our interpreter on ``args`` (default: printing the settings) with ``variables``
    and nothing else the settings read (``clean_environ``)."""
    env = clean_environ()
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        NEWSROOM_VAR_DIR=str(tmp_path),
        PYTHONDONTWRITEBYTECODE="1",
        **variables,
    )
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *(args or ("-c", PRINT_SETTINGS))],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _settings(tmp_path, **variables) -> dict:
    result = _start(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _failure(tmp_path, **variables) -> str:
    """The last line of the traceback: the exception and its message."""
    result = _start(tmp_path, **variables)
    assert result.returncode != 0, result.stdout
    return result.stderr.strip().splitlines()[-1]


# -- the tests' own environment -------------------------------------------------------

# Where a variable is read: env_str("NAME", …), os.environ.get("NAME"), os.getenv("NAME").
ENV_READ = re.compile(r'(?:env_\w+|os\.environ\.get|os\.getenv)\(\s*"([A-Z][A-Z0-9_]*)"')


def test_every_variable_the_code_reads_is_cleared_from_the_shell():
    """A new setting read from the environment must be added to READ_BY_SETTINGS (or a
    prefix), else a developer's shell would change what these tests see."""
    base = Path(settings.BASE_DIR)
    # gunicorn.conf.py is read by gunicorn, not by the settings these tests start.
    sources = [
        path
        for folder in ("newsroom", "releases")
        for path in (base / folder).rglob("*.py")
        if path.name != "gunicorn.conf.py"
    ]
    read = {name for path in sources for name in ENV_READ.findall(path.read_text())}
    assert {"NEWSROOM_MEDIA_STORAGE", "AWS_STORAGE_BUCKET_NAME", "DEBUG"} <= read
    kept = {name for name in read if name not in READ_BY_SETTINGS}
    assert not {name for name in kept if not name.startswith(READ_BY_PREFIX)}


def test_the_shells_storage_variables_do_not_reach_the_settings(tmp_path, monkeypatch):
    # Each of these alone would stop start-up or choose S3 if it leaked through.
    monkeypatch.setenv("NEWSROOM_MEDIA_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "Not_A_Bucket")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "only-half-the-credentials")
    monkeypatch.setenv("AWS_S3_MAX_MEMORY_SIZE", "lots")
    monkeypatch.setenv("MEDIA_ACCEL_REDIRECT", "not-a-path")
    monkeypatch.setenv("NEWSROOM_PAGE_SIZE", "twenty")

    loaded = _settings(tmp_path, DEBUG="1")

    assert loaded["MEDIA_STORAGE"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_storage_variables_a_test_passes_still_count(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "from-the-shell")

    loaded = _settings(
        tmp_path, DEBUG="1", NEWSROOM_MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="newsroom-media"
    )

    assert loaded["MEDIA_STORAGE"]["BACKEND"] == "newsroom.s3.PrivateS3Storage"
    assert loaded["MEDIA_STORAGE"]["OPTIONS"]["bucket_name"] == "newsroom-media"


# -- start-up, in a fresh interpreter ----------------------------------------------------


SERVE = "import newsroom.wsgi"


@pytest.mark.parametrize("server", ["newsroom.wsgi", "newsroom.asgi"])
def test_start_up_without_debug_and_without_secret_key_fails_naming_secret_key(tmp_path, server):
    result = _start(tmp_path, "-c", f"import {server}")

    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "SECRET_KEY is required when DEBUG is off" in error


def test_an_empty_secret_key_counts_as_none(tmp_path):
    result = _start(tmp_path, "-c", SERVE, SECRET_KEY="")
    assert "SECRET_KEY is required" in result.stderr


def test_without_a_key_nothing_signs(tmp_path):
    assert "SECRET_KEY setting must not be empty" in _failure(tmp_path)


def test_a_server_with_a_key_starts(tmp_path):
    result = _start(tmp_path, "-c", SERVE, SECRET_KEY="a-real-secret", ALLOWED_HOSTS="x")
    assert result.returncode == 0, result.stderr


def test_makemigrations_check_runs_without_a_key_as_on_a_build_machine(tmp_path):
    """Reading the code needs no secret: CI and packagers run it with production settings."""
    result = _start(tmp_path, "manage.py", "makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_debug_defaults_to_false_with_production_defaults(tmp_path):
    loaded = _settings(tmp_path, SECRET_KEY="a-real-secret")

    assert loaded["DEBUG"] is False
    assert loaded["SECRET_KEY"] == "a-real-secret"
    assert loaded["ALLOWED_HOSTS"] == []
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["TIME_ZONE"] == "UTC"
    assert loaded["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DATABASE"]["NAME"] == str(tmp_path / "newsroom.sqlite3")


def test_debug_on_runs_without_a_secret_key_for_local_work(tmp_path):
    loaded = _settings(tmp_path, DEBUG="1")

    assert loaded["DEBUG"] is True
    assert loaded["SECRET_KEY"].startswith("insecure-")
    assert "localhost" in loaded["ALLOWED_HOSTS"]


def test_debug_maybe_fails_naming_debug(tmp_path):
    error = _failure(tmp_path, SECRET_KEY="a-real-secret", DEBUG="maybe")

    assert error.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "DEBUG='maybe'" in error


def test_an_unknown_time_zone_fails_naming_time_zone(tmp_path):
    error = _failure(tmp_path, SECRET_KEY="a-real-secret", TIME_ZONE="Mars/Base")

    assert error.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "TIME_ZONE='Mars/Base'" in error


def test_a_real_time_zone_is_used(tmp_path):
    loaded = _settings(tmp_path, SECRET_KEY="a-real-secret", TIME_ZONE="Europe/London")

    assert loaded["TIME_ZONE"] == "Europe/London"


def test_a_nonsense_database_url_fails_naming_database_url(tmp_path):
    error = _failure(tmp_path, SECRET_KEY="a-real-secret", DATABASE_URL="nonsense")

    assert error.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "DATABASE_URL='nonsense'" in error


def test_a_postgres_database_url_parses(tmp_path):
    loaded = _settings(
        tmp_path,
        SECRET_KEY="a-real-secret",
        DATABASE_URL="postgres://newsroom:s3cret@db.internal:6543/newsroom_prod",
    )

    database = loaded["DATABASE"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"]) == ("newsroom", "s3cret")
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        6543,
        "newsroom_prod",
    )


@pytest.mark.parametrize("value", ["news.example.org", "ftp://news.example.org", "https://"])
def test_a_malformed_base_url_fails_naming_it(tmp_path, value):
    error = _failure(tmp_path, SECRET_KEY="a-real-secret", NEWSROOM_BASE_URL=value)

    assert f"NEWSROOM_BASE_URL={value!r}" in error


def test_the_base_url_is_kept_without_its_trailing_slash(tmp_path):
    result = _start(
        tmp_path,
        "-c",
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.NEWSROOM_BASE_URL)",
        DEBUG="1",
        NEWSROOM_BASE_URL="https://news.example.org/",
    )

    assert result.stdout.strip() == "https://news.example.org"


def test_a_malformed_whole_number_fails_naming_it(tmp_path):
    error = _failure(tmp_path, SECRET_KEY="a-real-secret", NEWSROOM_PAGE_SIZE="twenty")

    assert "NEWSROOM_PAGE_SIZE='twenty'" in error


# -- HTTPS: secure by default, each protection off by its own variable --------------------

# What `check --deploy` is run with in production: a long random key (W009 wants 50+
# characters, 5+ distinct), a real host name.
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.org",
}


def _check_deploy(tmp_path, **variables) -> subprocess.CompletedProcess:
    return _start(
        tmp_path,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        **variables,
    )


def test_check_deploy_finds_nothing_to_warn_about_with_production_defaults(tmp_path):
    result = _check_deploy(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_defaults_are_https_only(tmp_path):
    loaded = _settings(tmp_path, **PRODUCTION)

    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31_536_000
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["SECURE_HSTS_PRELOAD"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is loaded["CSRF_COOKIE_SECURE"] is True


def test_debug_serves_plain_http_for_local_work(tmp_path):
    loaded = _settings(tmp_path, DEBUG="1")

    assert loaded["SECURE_SSL_REDIRECT"] is False
    assert loaded["SECURE_HSTS_SECONDS"] == 0
    assert loaded["SESSION_COOKIE_SECURE"] is loaded["CSRF_COOKIE_SECURE"] is False


REQUEST_OVER_HTTP_AND_HTTPS = """
import django
django.setup()
from django.test import Client
plain = Client().get("/healthz")
secure = Client().get("/healthz", secure=True)
print(plain.status_code, plain.get("Location"))
print(secure.get("Strict-Transport-Security"))
"""


def test_production_redirects_http_to_https_and_sends_hsts(tmp_path):
    result = _start(
        tmp_path, "-c", REQUEST_OVER_HTTP_AND_HTTPS, **{**PRODUCTION, "ALLOWED_HOSTS": "testserver"}
    )

    assert result.returncode == 0, result.stderr
    redirect, hsts = result.stdout.splitlines()
    assert redirect == "301 https://testserver/healthz"
    assert hsts == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize(
    ("variable", "setting", "off", "warning"),
    [
        ("SECURE_SSL_REDIRECT", "SECURE_SSL_REDIRECT", False, "security.W008"),
        ("SECURE_HSTS_SECONDS", "SECURE_HSTS_SECONDS", 0, "security.W004"),
        (
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            False,
            "security.W005",
        ),
        ("SECURE_HSTS_PRELOAD", "SECURE_HSTS_PRELOAD", False, "security.W021"),
        ("SECURE_COOKIES", "SESSION_COOKIE_SECURE", False, "security.W012"),
    ],
)
def test_each_variable_turns_its_protection_off(tmp_path, variable, setting, off, warning):
    loaded = _settings(tmp_path, **PRODUCTION, **{variable: "0"})

    assert loaded[setting] == off
    # ... and `check --deploy` says so, as it should for a deployment without a proxy
    # doing it instead.
    assert warning in _check_deploy(tmp_path, **{variable: "0"}).stderr


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("SECURE_SSL_REDIRECT", "maybe"),
        ("SECURE_HSTS_SECONDS", "one year"),
        ("SECURE_HSTS_SECONDS", "-1"),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "2"),
        ("SECURE_HSTS_PRELOAD", "preload"),
        ("SECURE_COOKIES", "sure"),
        ("SECURE_PROXY_SSL_HEADER", "https"),
    ],
)
def test_a_malformed_https_variable_stops_start_up_naming_it(tmp_path, variable, raw):
    error = _failure(tmp_path, **PRODUCTION, **{variable: raw})

    assert error.startswith("django.core.exceptions.ImproperlyConfigured")
    assert f"{variable}={raw!r}" in error


# -- the helpers, one by one ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("NEWSROOM_TEST_FLAG", raw)

    assert env_bool("NEWSROOM_TEST_FLAG", default=not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch, default):
    monkeypatch.delenv("NEWSROOM_TEST_FLAG", raising=False)

    assert env_bool("NEWSROOM_TEST_FLAG", default=default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "y e s", "enabled"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("NEWSROOM_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_TEST_FLAG"):
        env_bool("NEWSROOM_TEST_FLAG")


def test_env_int_reads_a_whole_number_and_falls_back_when_unset_or_blank(monkeypatch):
    monkeypatch.setenv("NEWSROOM_TEST_INT", " 42 ")
    assert env_int("NEWSROOM_TEST_INT", 7) == 42
    monkeypatch.setenv("NEWSROOM_TEST_INT", "  ")
    assert env_int("NEWSROOM_TEST_INT", 7) == 7
    monkeypatch.delenv("NEWSROOM_TEST_INT")
    assert env_int("NEWSROOM_TEST_INT", 7) == 7


@pytest.mark.parametrize("raw", ["twenty", "4.5", "1e3"])
def test_env_int_refuses_what_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv("NEWSROOM_TEST_INT", raw)

    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_TEST_INT"):
        env_int("NEWSROOM_TEST_INT", 7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("NEWSROOM_TEST_LIST", " news.example.org, ,www.example.org ,")
    assert env_list("NEWSROOM_TEST_LIST", ["default"]) == ["news.example.org", "www.example.org"]
    monkeypatch.setenv("NEWSROOM_TEST_LIST", "")
    assert env_list("NEWSROOM_TEST_LIST", ["default"]) == []
    monkeypatch.delenv("NEWSROOM_TEST_LIST")
    assert env_list("NEWSROOM_TEST_LIST", ["default"]) == ["default"]


def test_env_str_returns_the_value_or_the_default(monkeypatch):
    monkeypatch.setenv("NEWSROOM_TEST_STR", "value")
    assert env_str("NEWSROOM_TEST_STR", "default") == "value"
    monkeypatch.delenv("NEWSROOM_TEST_STR")
    assert env_str("NEWSROOM_TEST_STR", "default") == "default"
    assert env_str("NEWSROOM_TEST_STR") is None


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "America/New_York"])
def test_env_time_zone_accepts_iana_names(monkeypatch, zone):
    monkeypatch.setenv("NEWSROOM_TEST_TZ", zone)

    assert env_time_zone("NEWSROOM_TEST_TZ", "UTC") == zone


@pytest.mark.parametrize("zone", ["Mars/Base", "", "../etc/passwd", "/etc/localtime", "GMT+25"])
def test_env_time_zone_refuses_what_is_not_an_iana_name(monkeypatch, zone):
    monkeypatch.setenv("NEWSROOM_TEST_TZ", zone)

    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_TEST_TZ"):
        env_time_zone("NEWSROOM_TEST_TZ", "UTC")


def test_env_time_zone_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("NEWSROOM_TEST_TZ", raising=False)

    assert env_time_zone("NEWSROOM_TEST_TZ", "Europe/Paris") == "Europe/Paris"


def test_env_database_parses_postgres_and_keeps_connections(monkeypatch):
    monkeypatch.setenv("NEWSROOM_TEST_DB", "postgres://postgres@127.0.0.1:5432/newsroom")

    config = env_database("NEWSROOM_TEST_DB", "sqlite:///unused.sqlite3")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["HOST"], config["PORT"], config["NAME"]) == (
        "postgres",
        "127.0.0.1",
        5432,
        "newsroom",
    )
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("raw", [None, ""])
def test_env_database_uses_the_default_when_unset_or_empty(monkeypatch, tmp_path, raw):
    if raw is None:
        monkeypatch.delenv("NEWSROOM_TEST_DB", raising=False)
    else:
        monkeypatch.setenv("NEWSROOM_TEST_DB", raw)

    config = env_database("NEWSROOM_TEST_DB", f"sqlite:///{tmp_path}/db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == f"{tmp_path}/db.sqlite3"


@pytest.mark.parametrize(
    "raw", ["nonsense", "foo://bar/baz", "postgres://user@host:notaport/db", "://"]
)
def test_env_database_refuses_a_malformed_url_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("NEWSROOM_TEST_DB", raw)

    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_TEST_DB"):
        env_database("NEWSROOM_TEST_DB", "sqlite:///unused.sqlite3")


def test_redis_url_gives_a_shared_cache_that_works(tmp_path):
    env = clean_environ()
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        NEWSROOM_VAR_DIR=str(tmp_path),
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/9",
    )
    script = (
        "import django; django.setup();"
        "from django.core.cache import caches; cache = caches['default'];"
        "cache.set('newsroom-settings-test', 'shared', 30);"
        "print(type(cache).__name__, cache.get('newsroom-settings-test'))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ResilientRedisCache", "shared"]


@pytest.mark.parametrize(
    ("broker", "redis_url", "expected"),
    [
        ("", None, ""),  # neither: tasks run at once
        ("", "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("", "redis://127.0.0.1:6379", "redis://127.0.0.1:6379/1"),
        ("", "rediss://:secret@cache.internal:6380/4", "rediss://:secret@cache.internal:6380/5"),
        ("", "redis://127.0.0.1:6379/15", "redis://127.0.0.1:6379/0"),
        (
            "redis://queue.internal:6379/3",
            "redis://127.0.0.1:6379/0",
            "redis://queue.internal:6379/3",
        ),
    ],
)
def test_the_broker_is_named_or_beside_the_cache_never_in_its_database(
    monkeypatch, broker, redis_url, expected
):
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    assert env_broker_url("CELERY_BROKER_URL", redis_url) == expected


def test_a_broker_that_is_not_redis_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "amqp://guest@127.0.0.1//")
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL='amqp://"):
        env_broker_url("CELERY_BROKER_URL", None)
