"""Run by tests/test_replica_down.py in a pytest process of its own, with
``DATABASE_REPLICA_URL`` set (newsroom/db_router.py: a replica that cannot be reached
must not take the public site down while the primary answers).

The replica is really unreachable, nothing is mocked: on PostgreSQL its connection
settings point at port 1 of 127.0.0.1, where nothing listens (connection refused, as
the tester's ``postgres://postgres@127.0.0.1:1/x``); on SQLite, which has no server, at
a file in a folder that does not exist ("unable to open database file", an
``OperationalError`` too). "Back" points it at the primary's test database again."""

import logging
import time

import pytest
from django.core.handlers.exception import convert_exception_to_response
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from newsroom import db_router
from releases import pagecache
from releases.models import Release
from tests.factories import ReleaseFactory
from tests.replica.cases_replica import PUBLIC_PATHS

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

WARNING = "read replica unavailable"


def point_replica(**changes) -> None:
    replica = connections["replica"]
    replica.settings_dict.update(changes)
    replica.close()  # after: SQLite keeps a connection to an in-memory database open


def replica_down() -> str:
    """Make the replica unreachable; returns how the log names it."""
    if connections["replica"].vendor == "sqlite":
        point_replica(NAME="/nonexistent-newsroom-dir/replica.sqlite3")
        return "replica /nonexistent-newsroom-dir/replica.sqlite3"
    point_replica(HOST="127.0.0.1", PORT="1")
    return "replica 127.0.0.1:1/"


def replica_back() -> None:
    primary = connections["default"].settings_dict
    point_replica(**{key: primary[key] for key in ("NAME", "HOST", "PORT")})


@pytest.fixture(autouse=True)
def fresh_state():
    db_router.replica_health.reset()
    yield
    replica_back()  # the test database's teardown may touch the mirror
    db_router.replica_health.reset()


@pytest.fixture
def release():
    return ReleaseFactory(headline="Harbour reopens after the storm")


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(WARNING)]


def test_public_surfaces_answer_from_the_primary_and_the_log_names_the_replica_once(
    client, release, caplog
):
    name = replica_down()
    caplog.set_level(logging.INFO)

    for path in PUBLIC_PATHS:
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get(path.format(slug=release.slug))
        assert response.status_code == 200, path
        assert primary.captured_queries, path
    assert client.head(f"/releases/{release.slug}/").status_code == 200
    assert release.headline in client.get(f"/releases/{release.slug}/").text

    found = warnings_of(caplog)
    assert len(found) == 1, found
    assert name in found[0] and "public reads go to the primary" in found[0]
    # Not reported as the site's database being down.
    assert not [r for r in caplog.records if r.getMessage().startswith("Database unavailable")]


def test_with_the_page_cache_the_state_is_read_from_the_primary_too(client, settings, release):
    replica_down()
    settings.NEWSROOM_PAGE_CACHE = True
    pagecache.reset_response_cache()
    try:
        assert client.get("/releases/").status_code == 200  # stored
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get("/releases/")
    finally:
        pagecache.reset_response_cache()

    assert response.status_code == 200
    assert response["X-Newsroom-Cache"] == "hit"
    assert len(primary.captured_queries) == 1  # the public state


def test_readiness_is_degraded_not_failed(client, caplog):
    name = replica_down()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert "Retry-After" not in response
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "ok",
        "replica": "error: OperationalError (reads on the primary)",
    }
    assert name in warnings_of(caplog)[0]


def test_reads_go_back_to_the_replica_after_the_retry_period(client, settings, release, caplog):
    settings.NEWSROOM_REPLICA_RETRY_SECONDS = 1
    caplog.set_level(logging.INFO)
    replica_down()
    assert client.get("/releases/").status_code == 200  # marks it down

    replica_back()
    with CaptureQueriesContext(connections["default"]) as primary:
        assert client.get("/releases/").status_code == 200
    assert primary.captured_queries  # within the period: still the primary

    time.sleep(1.1)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        assert client.get("/releases/").status_code == 200
    assert replica.captured_queries
    assert primary.captured_queries == []
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_still_down_after_the_period_logs_once_more(client, settings, caplog):
    settings.NEWSROOM_REPLICA_RETRY_SECONDS = 1
    replica_down()
    for _ in range(3):
        assert client.get("/releases/").status_code == 200
    time.sleep(1.1)
    for _ in range(3):
        assert client.get("/releases/").status_code == 200

    assert len(warnings_of(caplog)) == 2


def _terminate_replica_backend() -> None:
    """Ends the replica connection's server process from the primary (PostgreSQL)."""
    pid = connections["replica"].connection.info.backend_pid
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_query_failing_on_an_open_replica_connection_is_served_again_by_the_primary(
    release,
):
    """The request in flight: its replica connection opens, then the server ends it
    before the query (PostgreSQL's ``pg_terminate_backend``; SQLite has no server
    process to end, so there the replica's file disappears from under a new connection
    instead, the same path as a refused connection)."""
    attempts = []

    def view(request):
        alias = Release.objects.all().db  # opens the replica's connection
        if not attempts and alias == "replica":
            if connections["replica"].vendor == "postgresql":
                _terminate_replica_backend()
            else:
                replica_down()
        attempts.append(alias)
        return list(Release.objects.values_list("headline", flat=True))

    # Django turns a view's exception into a response (a 503 here) inside the stack.
    middleware = db_router.PublicReadMiddleware(convert_exception_to_response(view))
    answer = middleware(RequestFactory().get("/releases/"))

    assert answer == [release.headline]
    if connections["replica"].vendor == "postgresql":
        assert attempts == ["replica", "default"]  # run again, on the primary
    assert db_router.replica_health.is_down()
