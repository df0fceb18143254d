"""While the database is unreachable the site answers 503 "try again shortly" (JSON
under /api/) with ``Retry-After``, /healthz says unhealthy, and everything comes back by
itself when the database does (issue 7 §4). Run for real, in a process of its own
(``tests/db_down_probe.py``), on the database the suite runs on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client

from releases.middleware import RETRY_AFTER, UNAVAILABLE

ROOT = Path(__file__).resolve().parent.parent


def run_probe(tmp_path) -> dict:
    """What the probe's pages answered in each phase (see ``db_down_probe``)."""
    settings_dict = connection.settings_dict  # the test database's (``db`` fixture)
    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'db' / 'newsroom.sqlite3'}"
    else:
        # The suite's own test database: its tables exist; the probe only reads.
        url = (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "CRITICAL"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.db_down_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, url + done.stderr[-3000:]
    return json.loads(done.stdout)


def statuses(phase: dict) -> dict[str, int]:
    return {path: status for path, (status, _, _) in phase.items()}


# One run of the probe (a few seconds) for all the assertions.
def test_503_while_the_database_is_down_then_back_by_itself(db, tmp_path):
    probe = run_probe(tmp_path)
    assert set(statuses(probe["up"]).values()) == {200}
    assert set(statuses(probe["down"]).values()) == {503}
    assert set(statuses(probe["back"]).values()) == {200}
    # PostgreSQL: a server restart between requests (its backend terminated) is invisible.
    assert set(statuses(probe.get("restarted", probe["up"])).values()) == {200}

    # The 503 says try again shortly, with Retry-After, and is never cached.
    for path, (_, headers, body) in probe["down"].items():
        assert headers["Retry-After"] == str(RETRY_AFTER), path
        assert "no-store" in headers["Cache-Control"], path
        if path.startswith("/api/"):
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body) == {"detail": UNAVAILABLE}
        elif path == "/healthz":
            assert json.loads(body)["status"] == "error"
        else:
            assert headers["Content-Type"].startswith("text/html"), path
            assert "<title>Temporarily unavailable</title>" in body, path
            assert "try again shortly" in body, path
            assert "Server error" not in body


class SessionSaveFails:
    """Stands for SessionMiddleware saving a session while the database is down: the
    error is raised by a middleware, after the view, where no view-level hook sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)  # the view answered; then the session save fails
        raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize(
    ("path", "content_type"), [("/healthz", "text/html"), ("/api/releases/", "application/json")]
)
def test_a_database_error_raised_by_a_middleware_is_a_503_too(db, settings, path, content_type):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_db_down.SessionSaveFails"]
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert response["Content-Type"].startswith(content_type)


def test_any_other_error_is_the_plain_500_page(db, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_db_down.RaisesValueError"]
    response = Client(raise_request_exception=False).get("/healthz")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "<title>Server error" in response.content.decode()


class RaisesValueError(SessionSaveFails):
    def __call__(self, request):
        raise ValueError("a bug")
