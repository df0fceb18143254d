"""Run by tests/test_db_down.py in a process of its own: ``python -m tests.db_down_probe``.

Serves requests through the real WSGI application (the test client keeps connections
open across requests, which would hide how the site recovers) while the database of
``DATABASE_URL`` is up, unreachable, then up again, and prints what each answered as
JSON: ``{phase: {path: [status, headers, body]}}``.

Unreachable means, on SQLite, the folder of the database file renamed away; on
PostgreSQL, the connection pointed at a local port nothing listens on (the shared server
is never stopped). ``restarted`` (PostgreSQL) terminates this process's own backend
between requests with ``pg_terminate_backend``, as a server restart does.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402

PATHS = ["/", "/releases/", "/tags/", "/api/releases/", "/feeds/releases.atom", "/healthz"]

application = get_wsgi_application()


def get(path: str) -> list:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "https",
        "wsgi.input": sys.stdin.buffer,
        "wsgi.errors": sys.stderr,
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = int(status[:3]), dict(headers)

    result = application(environ, start_response)
    try:
        body = b"".join(result).decode("utf-8", "replace")
    finally:
        if hasattr(result, "close"):
            result.close()  # sends request_finished: Django closes broken connections
    return [started["status"], started["headers"], body]


def serve() -> dict:
    return {path: get(path) for path in PATHS}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    results = {}
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        results["up"] = serve()
        folder = Path(settings_dict["NAME"]).parent
        away = folder.with_name(folder.name + "-away")
        connection.close()
        folder.rename(away)
        results["down"] = serve()
        away.rename(folder)
        results["back"] = serve()
    else:
        import psycopg

        results["up"] = serve()
        with connection.cursor() as cursor:  # the connection the next request reuses
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        dsn = {k: settings_dict[k.upper()] for k in ("host", "port", "user")}
        with psycopg.connect(dbname=settings_dict["NAME"], autocommit=True, **dsn) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        results["restarted"] = serve()
        host, port = settings_dict["HOST"], settings_dict["PORT"]
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", closed_port()
        results["down"] = serve()
        settings_dict["HOST"], settings_dict["PORT"] = host, port
        results["back"] = serve()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
