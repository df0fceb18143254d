"""Run by tests/test_replica.py in a pytest process of its own, with
``DATABASE_REPLICA_URL`` set to the primary's URL (issue 12: "tested with the replica URL
pointing at the primary"): the settings give ``DATABASES["replica"]`` with
``TEST["MIRROR"] = "default"`` and the router; the test runner makes the replica a mirror
of the test database. Queries are told apart by the connection that ran them."""

import pytest
from django.conf import settings
from django.db import connections, router, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from newsroom import db_router
from releases import pagecache
from releases.models import Release
from tests.factories import ReleaseFactory, UserFactory

# Committed data: the replica's connection is not the primary's and sees no open
# transaction of the test.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

PUBLIC_PATHS = [
    "/",
    "/releases/",
    "/releases/{slug}/",
    "/feeds/releases.atom",
    "/api/releases/",
    "/api/releases/{slug}/",
    "/sitemap.xml",
]


class Queries:
    """The queries each database ran inside the block: ``.primary``, ``.replica``."""

    def __enter__(self):
        self._primary = CaptureQueriesContext(connections["default"])
        self._replica = CaptureQueriesContext(connections["replica"])
        self._primary.__enter__()
        self._replica.__enter__()
        return self

    def __exit__(self, *exc):
        self._replica.__exit__(*exc)
        self._primary.__exit__(*exc)
        self.primary = [q["sql"] for q in self._primary.captured_queries]
        self.replica = [q["sql"] for q in self._replica.captured_queries]


def staff():
    """A superuser: the groups of migration 0002 are gone after a transactional test's
    flush, and the admin's permissions are not what these tests are about."""
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def release():
    return ReleaseFactory(headline="Harbour reopens after the storm")


def test_the_settings_name_the_replica_its_mirror_and_the_router():
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    assert settings.DATABASE_ROUTERS == ["newsroom.db_router.ReplicaRouter"]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_an_anonymous_public_page_reads_the_replica_only(client, release, path):
    with Queries() as queries:
        response = client.get(path.format(slug=release.slug))

    assert response.status_code == 200
    assert queries.replica, "no query reached the replica"
    assert queries.primary == []


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_with_the_page_cache_its_state_is_read_from_the_replica_too(
    client, settings, release, path
):
    settings.NEWSROOM_PAGE_CACHE = True
    pagecache.reset_response_cache()
    try:
        client.get(path.format(slug=release.slug))  # stored
        with Queries() as queries:
            response = client.get(path.format(slug=release.slug))
    finally:
        pagecache.reset_response_cache()

    assert response["X-Newsroom-Cache"] == "hit"
    assert len(queries.replica) == 1  # the public state
    assert queries.primary == []


def test_the_admin_and_its_writes_stay_on_the_primary(client, release):
    client.force_login(staff())
    change = f"/admin/releases/release/{release.pk}/change/"

    with Queries() as queries:
        assert client.get("/admin/releases/release/").status_code == 200
        assert client.get(change).status_code == 200
        release.refresh_from_db()

    assert queries.primary
    assert queries.replica == []


def test_a_logged_in_reader_of_public_pages_reads_the_primary(client, release):
    client.force_login(staff())

    with Queries() as queries:
        assert client.get(f"/releases/{release.slug}/").status_code == 200

    assert queries.primary
    assert queries.replica == []


@pytest.mark.parametrize("path", ["/embargo/nothing/", "/review/nothing/", "/healthz"])
def test_links_and_checks_read_the_primary(client, db, path):
    with Queries() as queries:
        client.get(path)

    assert queries.primary
    assert queries.replica == []


def test_after_a_write_a_request_reads_the_primary():
    def view(request):
        before = Release.objects.all().db
        ReleaseFactory()
        return before, Release.objects.all().db

    middleware = db_router.PublicReadMiddleware(view)

    assert middleware(RequestFactory().get("/releases/")) == ("replica", "default")


def test_inside_a_transaction_a_request_reads_the_primary():
    def view(request):
        with transaction.atomic():
            return Release.objects.all().db

    assert db_router.PublicReadMiddleware(view)(RequestFactory().get("/")) == "default"


def test_a_write_method_reads_the_primary():
    def view(request):
        return Release.objects.all().db

    middleware = db_router.PublicReadMiddleware(view)

    assert middleware(RequestFactory().post("/releases/")) == "default"
    assert middleware(RequestFactory().head("/releases/")) == "replica"


def test_outside_a_request_everything_is_on_the_primary(release):
    # Management commands, Celery tasks, the facets' background thread.
    assert Release.objects.all().db == "default"
    assert router.db_for_write(Release) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "releases", model_name="release")
    assert not router.allow_migrate("replica", "releases", model_name="release")


def test_objects_read_from_the_replica_relate_to_the_primarys(release):
    from_replica = Release.objects.using("replica").get(pk=release.pk)

    assert router.allow_relation(from_replica, release.author)


def test_readiness_checks_the_primary_and_the_replica(client):
    with Queries() as queries:
        response = client.get("/readyz")

    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "replica": "ok"}
    assert queries.primary == ["SELECT 1"]
    assert queries.replica == ["SELECT 1"]
