"""Webhook faults found in testing, each fixed as a kind (docs/webhooks.md):

- a public release taken back (withdrawn, back to draft, rescheduled, deleted) reaches
  its organizations' endpoints when the event says it was public (``was_public``,
  ``organization_ids``), also without an earlier ``release.published``; a never-public
  one reaches nobody;
- an answer cut by the total deadline is a timeout (retried), never a success;
- endpoints and organizations with deliveries can be deleted, the log kept;
- webhook tasks go to their own queue;
- literal non-public IP addresses are refused when the endpoint is saved.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from newsroom.events.signals import RELEASE_WITHDRAWN, release_event
from newsroom.webhooks import sending
from newsroom.webhooks.models import DeliveryStatus, WebhookDelivery
from releases.models import Status
from tests.factories import OrganizationFactory, ReleaseFactory
from tests.test_webhooks import BASE, endpoint_for, receiver  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def withdrawn(release_id, capture, **kwargs) -> str:
    """Send a ``release.withdrawn`` with the contract's extra keyword arguments."""
    event_id = f"evt_{uuid.uuid4().hex}"
    with capture(execute=True):
        release_event.send(
            sender=None,
            kind=RELEASE_WITHDRAWN,
            release_id=release_id,
            event_id=event_id,
            occurred_at=timezone.now(),
            **kwargs,
        )
    return event_id


# -- 1. a withdrawal of a release public before any went-public event ------------------


@pytest.mark.parametrize(
    "change",
    [
        {"status": Status.WITHDRAWN, "withdrawn_at": "now"},  # withdrawn
        {"status": Status.DRAFT, "published_at": None},  # back to draft
        {"published_at": "later"},  # rescheduled to a later time
    ],
)
def test_a_long_public_release_taken_back_reaches_its_organizations(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
    change,
):
    """No release.published in the events log (public before the upgrade), nothing sent
    before: the event's was_public and organization_ids decide."""
    issuer, partner, stranger = OrganizationFactory.create_batch(3)
    endpoint_for(issuer, receiver.url("/issuer"))
    endpoint_for(partner, receiver.url("/partner"))
    endpoint_for(stranger, receiver.url("/stranger"))
    release = ReleaseFactory(organizations=[issuer, partner], headline="Merger off")
    for field, value in change.items():
        if value == "later":
            value = timezone.now() + timedelta(days=3)
        elif value == "now":
            value = timezone.now()
        setattr(release, field, value)
    release.save()

    withdrawn(
        release.pk,
        django_capture_on_commit_callbacks,
        was_public=True,
        organization_ids=[issuer.pk, partner.pk],
    )
    assert sorted(r["path"] for r in receiver.requests) == ["/issuer", "/partner"]
    for got in receiver.requests:
        body = json.loads(got["body"])
        assert body["type"] == RELEASE_WITHDRAWN
        assert body["release"] == {
            "id": release.pk,
            "slug": release.slug,
            "url": f"{BASE}/releases/{release.slug}/",
        }
        assert b"Merger off" not in got["body"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.SUCCEEDED
    }


def test_a_deleted_public_release_reaches_the_organizations_it_had(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    release_pk = release.pk
    type(release).objects.filter(pk=release_pk).delete()  # its organizations are gone

    withdrawn(
        release_pk, django_capture_on_commit_callbacks, was_public=True, organization_ids=[org.pk]
    )
    [got] = receiver.requests
    assert json.loads(got["body"])["release"]["id"] == release_pk
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint_id == endpoint.pk and delivery.release_pk == release_pk


@pytest.mark.parametrize("deleted", [False, True])
def test_a_never_public_release_reaches_nobody(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
    deleted,
):
    """was_public False wins over what the database says (a withdrawn release whose
    dates would make Release.was_public true, and a went-public event in the log)."""
    from newsroom.events.models import ReleaseEvent
    from newsroom.events.signals import RELEASE_PUBLISHED

    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org], scheduled=True)
    ReleaseEvent.objects.create(
        kind=RELEASE_PUBLISHED,
        release_id=release.pk,
        public_since=timezone.now(),
        occurred_at=timezone.now(),
    )
    release_pk = release.pk
    if deleted:
        release.delete()
    withdrawn(
        release_pk, django_capture_on_commit_callbacks, was_public=False, organization_ids=[org.pk]
    )
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_without_the_new_arguments_the_database_decides_as_before(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """An older sender: a withdrawn public release (Release.was_public) still reaches its
    organization; a draft never told reaches nobody."""
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    draft = ReleaseFactory(organizations=[org], draft=True)
    withdrawn(draft.pk, django_capture_on_commit_callbacks)
    assert receiver.requests == []

    public = ReleaseFactory(organizations=[org])
    public.status = Status.WITHDRAWN
    public.withdrawn_at = timezone.now()
    public.save()
    withdrawn(public.pk, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 1


# -- 2. an answer trickling past the deadline ------------------------------------------


class Trickler:
    """A raw TCP server on 127.0.0.1 that reads the request, sends the status line
    ``HTTP/1.1 200 OK`` at once, then one header line every ``every`` seconds, never
    ending the header block (``headers`` lines at most)."""

    def __init__(self, every: float = 1.0, headers: int = 30, body: bytes | None = None):
        self.every, self.headers, self.body = every, headers, body
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.got = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            self.got += 1
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
                if self.body is not None:  # a body announced longer than what comes
                    conn.sendall(b"Content-Length: 100\r\n\r\n" + self.body)
                    time.sleep(self.every * self.headers)
                    return
                for n in range(self.headers):
                    time.sleep(self.every)
                    conn.sendall(f"X-Slow-{n}: {n}\r\n".encode())
            except OSError:
                pass  # the sender cut the connection

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def close(self):
        self.listener.close()


@pytest.mark.parametrize("body", [None, b"partial"], ids=["headers", "body"])
def test_an_answer_cut_by_the_deadline_is_a_timeout_not_a_success(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
    monkeypatch,
    body,
):
    from newsroom.events.signals import RELEASE_PUBLISHED

    monkeypatch.setattr(sending, "TOTAL_TIMEOUT", 2.5)
    slow = Trickler(every=1.0, headers=6, body=body)
    try:
        org = OrganizationFactory()
        endpoint_for(org, slow.url())
        release = ReleaseFactory(organizations=[org])
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            release_event.send(
                sender=None,
                kind=RELEASE_PUBLISHED,
                release_id=release.pk,
                event_id=f"evt_{uuid.uuid4().hex}",
                occurred_at=timezone.now(),
            )
        assert time.monotonic() - started < 4.5  # cut at the deadline, not at the end
    finally:
        slow.close()
    assert slow.got == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING  # retried
    assert delivery.error.startswith("Timed out"), delivery.error
    assert delivery.response_status is None and delivery.settled_at is None
    assert delivery.next_attempt_at > timezone.now()


# -- 5. literal non-public addresses refused when the endpoint is saved -----------------

LOCAL_LITERALS = [
    "https://10.0.0.5/hook",
    "https://127.0.0.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://192.168.1.10:8443/hook",
    "https://100.64.0.1/hook",
    "https://[::1]/hook",
    "https://[fd00::1]/hook",
    "https://[::ffff:10.0.0.5]/hook",
    "https://0.0.0.0/hook",
]


@pytest.fixture
def admin_client_(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("url", LOCAL_LITERALS)
def test_the_endpoint_form_refuses_a_literal_non_public_address(admin_client_, settings, url):
    from django.urls import reverse

    from newsroom.webhooks.models import WebhookEndpoint

    settings.DEBUG = False
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = False
    org = OrganizationFactory()
    add = reverse("admin:webhooks_webhookendpoint_add")
    data = {"organization": org.pk, "url": url, "events": [RELEASE_WITHDRAWN], "active": "on"}
    refused = admin_client_.post(add, data)
    assert refused.status_code == 200
    assert "is not a public address" in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()

    # Development: allowed.
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = True
    WebhookEndpoint(organization=org, url=url, events=[RELEASE_WITHDRAWN]).full_clean()


@pytest.mark.parametrize("host", ["127.1", "0x7f000001", "2130706433", "0251.0376.0251.0376"])
def test_shorthand_ipv4_forms_are_judged_as_the_address(settings, host):
    """What the C resolver would connect to (inet_aton), not the text."""
    from newsroom.webhooks.addresses import check_endpoint_url

    settings.DEBUG = False
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = False
    with pytest.raises(ValueError, match="is not a public address"):
        check_endpoint_url(f"https://{host}/hook")


def test_public_literals_and_names_still_pass_the_form(settings):
    from newsroom.webhooks.addresses import check_endpoint_url
    from newsroom.webhooks.models import WebhookEndpoint

    settings.DEBUG = False
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = False
    org = OrganizationFactory()
    for url in (
        "https://93.184.216.34/hook",
        "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
        "https://hooks.example.org/newsroom",
        "https://localhost/hook",  # a name: judged by its DNS answer when sent
    ):
        WebhookEndpoint(organization=org, url=url).full_clean()
    assert check_endpoint_url("https://93.184.216.34:8443/x") == ("https", "93.184.216.34", 8443)


def test_a_literal_private_endpoint_saved_earlier_fails_when_sent(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
    settings,
):
    """Endpoints saved before the form refused them: refused at send time, not sent."""
    from newsroom.events.signals import RELEASE_PUBLISHED
    from newsroom.webhooks.models import WebhookEndpoint

    org = OrganizationFactory()
    WebhookEndpoint.objects.create(organization=org, url="https://169.254.169.254/hook")
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = False
    with django_capture_on_commit_callbacks(execute=True):
        release_event.send(
            sender=None,
            kind=RELEASE_PUBLISHED,
            release_id=ReleaseFactory(organizations=[org]).pk,
            event_id="evt_metadata",
            occurred_at=timezone.now(),
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "169.254.169.254 is not a public address" in delivery.error


# -- 3. endpoints and organizations with deliveries can be deleted; the log is kept -----


def _logged_endpoint(receiver, capture, org_name="Acme Energy"):  # noqa: F811
    from newsroom.events.signals import RELEASE_PUBLISHED

    org = OrganizationFactory(name=org_name)
    endpoint = endpoint_for(org, receiver.url("/acme"))
    with capture(execute=True):
        release_event.send(
            sender=None,
            kind=RELEASE_PUBLISHED,
            release_id=ReleaseFactory(organizations=[org]).pk,
            event_id=f"evt_{uuid.uuid4().hex}",
            occurred_at=timezone.now(),
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint_url == receiver.url("/acme")
    assert delivery.organization_name == org_name
    return org, endpoint, delivery


def _staff_who_may_delete(*codenames):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.mark.parametrize("superuser", [True, False], ids=["superuser", "staff"])
def test_an_endpoint_with_deliveries_is_deleted_and_its_log_kept(
    client,
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
    superuser,
):
    from django.urls import reverse

    from newsroom.webhooks.models import WebhookEndpoint
    from tests.factories import UserFactory

    _, endpoint, delivery = _logged_endpoint(receiver, django_capture_on_commit_callbacks)
    if superuser:
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    else:
        client.force_login(
            _staff_who_may_delete(
                "view_webhookendpoint", "delete_webhookendpoint", "view_webhookdelivery"
            )
        )
    delete = reverse("admin:webhooks_webhookendpoint_delete", args=[endpoint.pk])
    confirm = client.get(delete)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Are you sure" in html and "Cannot delete" not in html
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not WebhookEndpoint.objects.exists()

    kept = WebhookDelivery.objects.get()
    assert kept.pk == delivery.pk and kept.endpoint_id is None
    assert kept.endpoint_url == receiver.url("/acme") and kept.organization_name == "Acme Energy"
    assert kept.status == DeliveryStatus.SUCCEEDED and kept.body == delivery.body
    log = client.get(reverse("admin:webhooks_webhookdelivery_changelist"))
    assert log.status_code == 200
    assert f"{receiver.url('/acme')} <em>(deleted)</em>" in log.content.decode()
    detail = client.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    assert detail.status_code == 200 and "Acme Energy" in detail.content.decode()


def test_staff_without_the_delete_permission_cannot_delete_an_endpoint(
    client,
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.urls import reverse

    _, endpoint, _ = _logged_endpoint(receiver, django_capture_on_commit_callbacks)
    client.force_login(_staff_who_may_delete("view_webhookendpoint", "change_webhookendpoint"))
    delete = reverse("admin:webhooks_webhookendpoint_delete", args=[endpoint.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    endpoint.refresh_from_db()


def test_an_organization_with_webhook_deliveries_is_deleted_and_the_log_kept(
    client,
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.urls import reverse

    from newsroom.webhooks import deliveries
    from newsroom.webhooks.models import WebhookEndpoint
    from releases.models import Organization

    # An organization whose releases are gone (releases protect their organizations) and
    # whose endpoint has a log: a ping.
    org = OrganizationFactory(name="Acme Energy")
    endpoint = endpoint_for(org, receiver.url("/acme"))
    with django_capture_on_commit_callbacks(execute=True):
        delivery = deliveries.ping(endpoint)
    assert delivery.organization_name == "Acme Energy"
    client.force_login(
        _staff_who_may_delete("view_organization", "delete_organization", "delete_webhookendpoint")
    )
    delete = reverse("admin:releases_organization_delete", args=[org.pk])
    confirm = client.get(delete)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Cannot delete" not in html and "Are you sure" in html
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Organization.objects.filter(pk=org.pk).exists()
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    kept = WebhookDelivery.objects.get()
    assert (kept.pk, kept.endpoint_id, kept.organization_name) == (
        delivery.pk,
        None,
        "Acme Energy",
    )


def test_a_pending_delivery_of_a_deleted_endpoint_is_skipped_not_sent(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from newsroom.events.signals import RELEASE_PUBLISHED
    from newsroom.webhooks import deliveries, tasks

    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        release_event.send(
            sender=None,
            kind=RELEASE_PUBLISHED,
            release_id=ReleaseFactory(organizations=[org]).pk,
            event_id="evt_orphan",
            occurred_at=timezone.now(),
        )
    endpoint.delete()
    for callback in queued:
        callback()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SKIPPED and delivery.attempts == 0
    assert delivery.error == "The endpoint was deleted."
    assert receiver.requests == []
    assert tasks.retry_due() == 0 and deliveries.attempt(delivery.pk) is None


# -- 4. webhook tasks on their own queue ------------------------------------------------

REDIS = "redis://127.0.0.1:6379/11"  # this suite's own Redis database


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"No Redis at {REDIS}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def test_webhook_tasks_go_to_the_webhooks_queue_and_others_stay_on_celery(redis_db):
    from newsroom.events import tasks as event_tasks
    from newsroom.webhooks import tasks
    from tests.test_webhooks import broker

    with broker(REDIS):
        tasks.deliver.apply_async((1,), retry=False)
        tasks.retry_due.apply_async(retry=False)
        event_tasks.sweep_went_public.apply_async(retry=False)

    def names(queue):
        return [json.loads(raw)["headers"]["task"] for raw in redis_db.lrange(queue, 0, -1)]

    assert sorted(names("webhooks")) == ["webhooks.deliver", "webhooks.retry_due"]
    assert names("celery") == ["newsroom.events.sweep_went_public"]


def test_eager_mode_runs_webhook_tasks_at_once(receiver):  # noqa: F811
    """No broker (the demo, the tests): the route changes nothing, the task runs here."""
    from newsroom.webhooks import deliveries, tasks

    endpoint = endpoint_for(OrganizationFactory(), receiver.url())
    delivery = deliveries.ping(endpoint)  # outside a transaction's callbacks: sent now
    tasks.deliver.delay(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 1


def test_a_worker_started_without_q_consumes_both_queues():
    """``celery -A newsroom worker`` with no -Q listens on every queue tasks are routed
    to (CELERY_TASK_QUEUES), so a site started the old way still delivers."""
    from newsroom.celery import app

    assert set(app.amqp.queues) == {"celery", "webhooks"}
    for name, queue in app.amqp.queues.items():  # no queue hears another's messages
        assert (queue.exchange.name, queue.routing_key) == (name, name)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_started_the_usual_way_sends_a_delivery(tmp_path, receiver):  # noqa: F811
    """A real ``celery -A newsroom worker`` (no -Q) on a real Redis broker
    (tests/test_tasks_worker.py's, NEWSROOM_TEST_WORKER_BROKER_URL) takes a delivery from
    the webhooks queue and sends it. PostgreSQL only: the worker shares the test database."""
    from django.db import connection

    from newsroom.webhooks import deliveries
    from tests import test_tasks_worker as real

    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database: PostgreSQL only")
    import redis

    client = redis.Redis.from_url(real.BROKER, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"No Redis at {real.BROKER}")
    client.flushdb()
    workers = real.Workers(tmp_path)
    with (tmp_path / "worker_settings.py").open("a") as settings_file:
        settings_file.write("NEWSROOM_WEBHOOKS_ALLOW_LOCAL = True\n")
    try:
        endpoint = endpoint_for(OrganizationFactory(), receiver.url("/worker"))
        workers.start("hooks")
        workers.wait_ready()
        with real.broker(real.BROKER):
            delivery = deliveries.ping(endpoint)  # autocommit: queued at once
        real.wait_for(lambda: receiver.requests, "the delivery", workers)
        real.wait_for(
            lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SUCCEEDED,
            "the delivery's success",
            workers,
        )
        assert receiver.requests[0]["path"] == "/worker"
        assert "exchange=webhooks(direct)" in workers.logs()  # its banner: queues heard
    finally:
        workers.stop()
        client.flushdb()
        client.close()


# -- 1, through a real save (newsroom/events sends was_public and organization_ids) -----


@pytest.mark.parametrize("change", ["draft", "later", "delete"])
def test_a_long_public_release_taken_back_by_a_real_save_is_told(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
    change,
):
    """Public long before (no release.published in the log, nothing sent before): back
    to draft, moved to a later time, or deleted, through the model, reaches both of its
    organizations' endpoints; an endpoint of another organization hears nothing."""
    from newsroom.events.models import ReleaseEvent
    from releases.models import Release

    issuer, partner, stranger = OrganizationFactory.create_batch(3)
    endpoint_for(issuer, receiver.url("/issuer"))
    endpoint_for(partner, receiver.url("/partner"), events=[RELEASE_WITHDRAWN])
    endpoint_for(stranger, receiver.url("/stranger"))
    release_pk = ReleaseFactory(organizations=[issuer, partner]).pk
    ReleaseEvent.objects.all().delete()  # public since before the upgrade: no events
    release = Release.objects.get(pk=release_pk)  # loaded: its placement is known
    slug = release.slug
    with django_capture_on_commit_callbacks(execute=True):
        if change == "draft":
            release.status = Status.DRAFT
            release.published_at = None
            release.save()
        elif change == "later":
            release.published_at = timezone.now() + timedelta(days=2)
            release.save()
        else:
            release.delete()
    assert sorted(r["path"] for r in receiver.requests) == ["/issuer", "/partner"]
    for got in receiver.requests:
        body = json.loads(got["body"])
        assert body["type"] == RELEASE_WITHDRAWN
        assert body["release"]["id"] == release_pk
        assert body["release"]["slug"] in (slug, "")


def test_a_never_public_release_deleted_or_drafted_by_a_real_save_reaches_nobody(
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from releases.models import Release

    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    scheduled = Release.objects.get(pk=ReleaseFactory(organizations=[org], scheduled=True).pk)
    embargoed = Release.objects.get(pk=ReleaseFactory(organizations=[org], embargoed=True).pk)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled.status = Status.DRAFT
        scheduled.published_at = None
        scheduled.save()
        embargoed.delete()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_each_endpoint_onto_its_existing_deliveries():
    """webhooks 0002 on a log written before it: each delivery gets its endpoint's URL
    and organization name, so deleting the endpoint afterwards leaves it readable."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("webhooks", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        org = old.get_model("releases", "Organization").objects.create(
            name="Acme Energy", slug="acme-energy"
        )
        endpoint = old.get_model("webhooks", "WebhookEndpoint").objects.create(
            organization_id=org.pk, url="https://hooks.example.org/acme", secret="whsec_x"
        )
        old.get_model("webhooks", "WebhookDelivery").objects.create(
            endpoint_id=endpoint.pk, event_id="evt_old", kind="ping", body="{}"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema
    delivery = WebhookDelivery.objects.get(event_id="evt_old")
    assert delivery.endpoint_url == "https://hooks.example.org/acme"
    assert delivery.organization_name == "Acme Energy"
    delivery.endpoint.delete()
    delivery.refresh_from_db()
    assert delivery.endpoint_id is None and delivery.endpoint_url.endswith("/acme")
