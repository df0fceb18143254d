"""A read replica that cannot be reached (newsroom/db_router.py): public pages, feeds
and the API answer from the primary, the log names the replica once a period, /readyz
says degraded, and reads go back to the replica once it answers. The cases in
``tests/replica/cases_replica_down.py`` need ``DATABASES["replica"]`` from the settings,
so they run in a pytest process of their own, as tests/test_replica.py's do: on
PostgreSQL with ``DATABASE_REPLICA_URL`` on a port where nothing listens (the tester's
``postgres://postgres@127.0.0.1:1/…``), on SQLite with the replica's file made
unreachable by the cases."""

from django.db import connection

from tests.test_replica import primary_url, run_cases

CASES = "tests/replica/cases_replica_down.py"


def test_an_unreachable_replica_leaves_the_public_site_on_the_primary(tmp_path):
    url = primary_url(tmp_path)
    # SQLite has no port: the cases make the replica's file unreachable.
    replica_url = url if connection.vendor == "sqlite" else "postgres://postgres@127.0.0.1:1/x"
    run_cases(CASES, url, replica_url)
