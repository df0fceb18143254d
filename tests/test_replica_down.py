"""A read replica that cannot be reached (newsroom/db_router.py): public pages, feeds
and the API answer from the primary, the log names the replica once a period, /readyz
says degraded, and reads go back to the replica once it answers. The cases in
``tests/replica/cases_replica_down.py`` need ``DATABASES["replica"]`` from the settings,
so they run in a pytest process of their own, as tests/test_replica.py's do: on
PostgreSQL with ``DATABASE_REPLICA_URL`` on a port where nothing listens (the tester's
``postgres://postgres@127.0.0.1:1/…``), on SQLite with the replica's file made
unreachable by the cases."""

import os
import subprocess
import sys

from django.db import connection

from tests.test_replica import ROOT, primary_url

CASES = "tests/replica/cases_replica_down.py"


def test_an_unreachable_replica_leaves_the_public_site_on_the_primary(tmp_path):
    url = primary_url(tmp_path)
    # SQLite has no port: the cases make the replica's file unreachable.
    replica_url = url if connection.vendor == "sqlite" else "postgres://postgres@127.0.0.1:1/x"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": replica_url}
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "pytest", CASES, "-q", "-p", "no:cacheprovider",
         "-o", "python_files=cases_*.py", "--create-db"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " passed" in done.stdout and " skipped" not in done.stdout, done.stdout[-2000:]
