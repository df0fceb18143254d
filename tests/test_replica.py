"""Read replicas (issue 12, newsroom/db_router.py): the cases in
``tests/replica/cases_replica.py`` need ``DATABASES["replica"]`` from the settings, so
they run in a pytest process of their own with ``DATABASE_REPLICA_URL`` pointing at the
primary, on the database engine this suite runs on (SQLite, or PostgreSQL with
``DATABASE_URL``)."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CASES = "tests/replica/cases_replica.py"


def primary_url(tmp_path) -> str:
    """A database URL of the suite's engine that no other test run uses: the inner
    run's test database (``test_<name>``) is made from it and dropped after."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'primary.sqlite3'}"
    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0]
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{name}_replica"
    )


def run_cases(cases: str, database_url: str, replica_url: str) -> None:
    """Run the pytest module ``cases`` in a process of its own with these two URLs;
    fails with its output unless every case passed (none skipped)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DATABASE_REPLICA_URL": replica_url}
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "pytest", cases, "-q", "-p", "no:cacheprovider",
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


def test_public_reads_go_to_the_replica_and_the_rest_to_the_primary(tmp_path):
    url = primary_url(tmp_path)
    run_cases(CASES, url, url)
