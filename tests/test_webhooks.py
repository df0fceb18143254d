"""Webhooks (newsroom/webhooks): release events reach the endpoints of the release's
organizations, signed, retried, logged; nothing of a release that is not public leaves.

Deliveries go to a real HTTP server on 127.0.0.1 (a thread of this process), with
``NEWSROOM_WEBHOOKS_ALLOW_LOCAL`` on; the tests of the address checks turn it off.
Celery runs eagerly (no broker in the tests), so a delivery is attempted when the
transaction's on-commit callbacks run.
"""

from __future__ import annotations

import io
import json
import threading
import time
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from newsroom.events.signals import (
    RELEASE_PUBLISHED,
    RELEASE_UPDATED,
    RELEASE_WITHDRAWN,
    release_event,
)
from newsroom.webhooks import deliveries, sending, tasks
from newsroom.webhooks.addresses import is_public_address
from newsroom.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from newsroom.webhooks.receivers import on_release_event
from newsroom.webhooks.signing import verify
from releases.models import Status
from tests.factories import OrganizationFactory, ReleaseFactory, UserFactory, editor
from tests.test_outbox import broker

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org"


class Receiver:
    """A local HTTP server that records each POST and answers from a script:
    ``answers`` holds ``(status, body bytes, seconds to wait first, extra headers)``,
    taken in order; 200 ``ok`` when it is empty."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    answer = receiver.answers.pop(0) if receiver.answers else (200, b"ok")
                status, content, delay, headers = (*answer, 0, {})[:4]
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except OSError:
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = True
    settings.NEWSROOM_BASE_URL = BASE
    server = Receiver()
    yield server
    server.close()


def endpoint_for(organization, url, **kwargs) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(organization=organization, url=url, **kwargs)
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def tell(kind, release_id, event_id=None, capture=None):
    event_id = event_id or f"evt_{uuid.uuid4().hex}"
    release_event.send(
        sender=None,
        kind=kind,
        release_id=release_id,
        event_id=event_id,
        occurred_at=timezone.now(),
    )
    return event_id


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Send an event and run what it queued (the eager deliveries)."""

    def send(kind, release_id, event_id=None):
        with django_capture_on_commit_callbacks(execute=True):
            return tell(kind, release_id, event_id)

    return send


# -- delivery, signature, payload -----------------------------------------------------


def test_published_release_is_delivered_signed_with_its_public_fields(receiver, told):
    org = OrganizationFactory(name="Acme Energy")
    endpoint = endpoint_for(org, receiver.url("/hooks/newsroom?x=1"))
    release = ReleaseFactory(organizations=[org], tags=["Energy"], headline="Wind farm opens")

    event_id = told(RELEASE_PUBLISHED, release.pk)

    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    assert got["path"] == "/hooks/newsroom?x=1"
    headers = got["headers"]
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "Newsroom-Webhooks/1"
    assert headers["X-Newsroom-Event"] == RELEASE_PUBLISHED
    assert headers["X-Newsroom-Event-Id"] == event_id
    delivery = WebhookDelivery.objects.get()
    assert headers["X-Newsroom-Delivery"] == str(delivery.pk)
    # The signature verifies with the endpoint's secret, and with no other.
    assert verify(endpoint.secret, headers["X-Newsroom-Signature"], got["body"])
    assert not verify("whsec_wrong", headers["X-Newsroom-Signature"], got["body"])
    assert not verify(endpoint.secret, headers["X-Newsroom-Signature"], got["body"] + b" ")
    # ...and only within the replay window.
    assert not verify(
        endpoint.secret, headers["X-Newsroom-Signature"], got["body"], now=time.time() + 301
    )

    payload = json.loads(got["body"])
    assert payload["id"] == event_id
    assert payload["type"] == RELEASE_PUBLISHED
    assert payload["occurred_at"].endswith("Z")
    item = payload["release"]
    assert item["id"] == release.pk
    assert item["headline"] == "Wind farm opens"
    assert item["url"] == f"{BASE}/releases/{release.slug}/"
    assert item["organizations"] == [
        {"name": "Acme Energy", "slug": org.slug, "url": f"{BASE}{org.get_absolute_url()}"}
    ]
    assert item["tags"] == [{"name": "Energy", "slug": "energy"}]
    assert "body" not in item

    # The log keeps the exact bytes sent and the outcome.
    assert delivery.body.encode() == got["body"]
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.response_status == 200
    assert delivery.response_excerpt == "ok"
    assert delivery.release_id == release.pk and delivery.release_slug == release.slug
    assert delivery.next_attempt_at is None and delivery.settled_at is not None


def test_a_repeated_event_is_delivered_once(receiver, told):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    event_id = told(RELEASE_PUBLISHED, release.pk)
    told(RELEASE_PUBLISHED, release.pk, event_id)
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.requests) == 1
    # A new event about the same release is a delivery of its own.
    told(RELEASE_UPDATED, release.pk)
    assert WebhookDelivery.objects.count() == 2
    assert len(receiver.requests) == 2


def test_only_active_subscribed_endpoints_of_the_releases_organizations(receiver, told):
    issuer, partner, stranger = OrganizationFactory.create_batch(3)
    updates_only = endpoint_for(issuer, receiver.url("/issuer"), events=[RELEASE_UPDATED])
    endpoint_for(issuer, receiver.url("/inactive"), active=False)
    partner_hook = endpoint_for(partner, receiver.url("/partner"))
    endpoint_for(stranger, receiver.url("/stranger"))
    release = ReleaseFactory(organizations=[issuer, partner])

    told(RELEASE_PUBLISHED, release.pk)
    assert [r["path"] for r in receiver.requests] == ["/partner"]

    told(RELEASE_UPDATED, release.pk)
    assert sorted(r["path"] for r in receiver.requests[1:]) == ["/issuer", "/partner"]
    assert set(WebhookDelivery.objects.values_list("endpoint", flat=True)) == {
        updates_only.pk,
        partner_hook.pk,
    }


@pytest.mark.parametrize(
    "state",
    [
        {"draft": True},
        {"in_review": True},
        {"scheduled": True},
        {"embargoed": True},
        {"withdrawn": True, "embargoed": True},  # withdrawn before its embargo lifted
    ],
)
def test_nothing_is_sent_about_a_release_that_is_not_public(receiver, told, state):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org], **state)
    told(RELEASE_PUBLISHED, release.pk)
    told(RELEASE_UPDATED, release.pk)
    told(RELEASE_WITHDRAWN, release.pk)  # never public, never told before: nobody knows it
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_release_no_longer_public_when_the_attempt_comes_is_skipped(
    receiver, django_capture_on_commit_callbacks
):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        tell(RELEASE_UPDATED, release.pk)
    release.status = Status.DRAFT
    release.published_at = None
    release.save()
    for callback in queued:
        callback()
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert delivery.status == DeliveryStatus.SKIPPED
    assert delivery.attempts == 0
    assert "no longer public" in delivery.error


def test_withdrawn_sends_identifiers_only_also_after_deletion(receiver, told):
    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org], headline="Secret merger talks end")
    told(RELEASE_PUBLISHED, release.pk)
    release.status = Status.WITHDRAWN
    release.withdrawn_at = timezone.now()
    release.save()

    told(RELEASE_WITHDRAWN, release.pk)
    payload = json.loads(receiver.requests[-1]["body"])
    assert payload["type"] == RELEASE_WITHDRAWN
    assert payload["release"] == {
        "id": release.pk,
        "slug": release.slug,
        "url": f"{BASE}/releases/{release.slug}/",
    }
    assert b"Secret merger" not in receiver.requests[-1]["body"]

    # Deleted: its row is gone; the endpoints already told about it are told again.
    release_pk, slug = release.pk, release.slug
    release.delete()
    told(RELEASE_WITHDRAWN, release_pk)
    assert len(receiver.requests) == 3
    assert json.loads(receiver.requests[-1]["body"])["release"]["slug"] == slug
    last = WebhookDelivery.objects.filter(endpoint=endpoint).first()
    assert last.release_id is None and last.release_pk == release_pk
    assert WebhookDelivery.objects.filter(release__isnull=True).count() == 3  # SET_NULL


# -- retries ---------------------------------------------------------------------------


def test_a_500_is_retried_after_the_backoff_then_succeeds(receiver, told):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    receiver.answers = [(500, b"oops")]
    before = timezone.now()
    told(RELEASE_PUBLISHED, release.pk)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1 and delivery.response_status == 500
    assert delivery.error == "HTTP 500."
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert deliveries.BACKOFF[0] <= wait < deliveries.BACKOFF[0] + 30

    # Not due yet: nothing happens.
    assert deliveries.attempt(delivery.pk) is None
    assert tasks.retry_due() == 0
    assert len(receiver.requests) == 1

    # Due: the minute's sweep queues it, and it succeeds with the same bytes.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert tasks.retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 2 and delivery.response_status == 200
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert receiver.requests[1]["headers"]["X-Newsroom-Attempt"] == "2"


def test_gives_up_after_the_last_attempt(receiver, told):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    receiver.answers = [(503, b"busy")] * 20
    told(RELEASE_PUBLISHED, release.pk)
    delivery = WebhookDelivery.objects.get()
    later = timezone.now()
    while delivery.status == DeliveryStatus.PENDING:
        later += timedelta(days=2)
        delivery = deliveries.attempt(delivery.pk, now=later)
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert delivery.attempts == deliveries.MAX_ATTEMPTS == 8
    assert len(receiver.requests) == 8
    assert "Gave up after 8 attempts" in delivery.error
    assert delivery.next_attempt_at is None


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, DeliveryStatus.FAILED),
        (404, DeliveryStatus.FAILED),
        (410, DeliveryStatus.FAILED),
        (302, DeliveryStatus.FAILED),
        (408, DeliveryStatus.PENDING),
        (429, DeliveryStatus.PENDING),
        (502, DeliveryStatus.PENDING),
    ],
)
def test_4xx_is_not_retried_but_408_429_and_5xx_are(receiver, told, status, expected):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    receiver.answers = [(status, b"no", 0, {"Location": "https://elsewhere.example/"})]
    told(RELEASE_PUBLISHED, release.pk)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == expected
    assert delivery.response_status == status
    assert len(receiver.requests) == 1  # no redirect followed
    if expected == DeliveryStatus.FAILED:
        assert delivery.next_attempt_at is None
        assert "not retried" in delivery.error


def test_a_slow_receiver_times_out_and_is_retried(receiver, told, monkeypatch):
    monkeypatch.setattr(sending, "TOTAL_TIMEOUT", 1.0)
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    receiver.answers = [(200, b"late", 3)]
    started = time.monotonic()
    told(RELEASE_PUBLISHED, release.pk)
    assert time.monotonic() - started < 2.5
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.error.startswith("Timed out")
    assert delivery.response_status is None


def test_an_unreachable_endpoint_is_retried(receiver, told):
    org = OrganizationFactory()
    closed = Receiver()
    url = closed.url()
    closed.close()  # nothing listens on that port any more
    endpoint_for(org, url)
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "ConnectionRefused" in delivery.error


def test_the_response_excerpt_is_capped_and_cleaned(receiver, told):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    receiver.answers = [(200, b"a\x00b\x1b[31m\xe2\x80\xaec" + b"x" * 5000)]
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.response_excerpt.startswith("ab[31mc")
    assert len(delivery.response_excerpt.encode()) <= sending.EXCERPT_BYTES


# -- URLs and addresses ------------------------------------------------------------------


def test_plain_http_is_refused_when_the_endpoint_is_validated(settings):
    settings.DEBUG = False
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = False
    org = OrganizationFactory()
    for url in ("http://example.org/hook", "http://127.0.0.1:8000/hook", "ftp://example.org/"):
        with pytest.raises(ValidationError) as refused:
            WebhookEndpoint(organization=org, url=url).full_clean()
        assert "HTTPS" in str(refused.value.message_dict["url"])
    with pytest.raises(ValidationError):
        WebhookEndpoint(organization=org, url="https://user:pw@example.org/").full_clean()
    WebhookEndpoint(organization=org, url="https://example.org/hook").full_clean()
    # Development: plain HTTP to loopback only.
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = True
    WebhookEndpoint(organization=org, url="http://127.0.0.1:8000/hook").full_clean()
    with pytest.raises(ValidationError):
        WebhookEndpoint(organization=org, url="http://example.org/hook").full_clean()


def test_events_must_be_known_kinds():
    org = OrganizationFactory()
    for events in ([], ["release.deleted"], "release.published"):
        with pytest.raises(ValidationError) as refused:
            WebhookEndpoint(
                organization=org, url="https://example.org/", events=events
            ).full_clean()
        assert "events" in refused.value.message_dict


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104
        ("224.0.0.1", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
    ],
)
def test_which_addresses_are_public(address, public):
    assert is_public_address(address) is public


def test_a_private_address_is_refused_at_send_time(receiver, told, settings):
    org = OrganizationFactory()
    endpoint = endpoint_for(org, "https://localhost:9/hook")  # valid HTTPS, loopback host
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = False
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED
    assert "not a public address" in delivery.error
    assert delivery.next_attempt_at is None


def test_a_local_receiver_is_refused_without_the_allow_setting(receiver, told, settings):
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = False
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "HTTPS" in delivery.error
    assert receiver.requests == []


# -- admin -------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_without_the_permissions_see_no_webhooks(client):
    client.force_login(editor())
    for name in ("webhooks_webhookendpoint_changelist", "webhooks_webhookdelivery_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403
    endpoint = WebhookEndpoint.objects.create(
        organization=OrganizationFactory(), url="https://example.org/"
    )
    rotate = reverse("admin:webhooks_webhookendpoint_rotate", args=[endpoint.pk])
    assert client.post(rotate).status_code == 403
    old = endpoint.secret
    endpoint.refresh_from_db()
    assert endpoint.secret == old


def test_adding_an_endpoint_shows_its_secret_once(admin_client_, settings):
    settings.DEBUG = False
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = False
    org = OrganizationFactory()
    add = reverse("admin:webhooks_webhookendpoint_add")
    assert admin_client_.get(add).status_code == 200
    data = {
        "organization": org.pk,
        "url": "http://example.org/hook",
        "description": "Our CMS",
        "events": [RELEASE_PUBLISHED, RELEASE_WITHDRAWN],
        "active": "on",
    }
    refused = admin_client_.post(add, data)
    assert refused.status_code == 200
    assert "must use HTTPS" in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()

    response = admin_client_.post(add, {**data, "url": "https://example.org/hook"})
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == [RELEASE_PUBLISHED, RELEASE_WITHDRAWN]
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    change = admin_client_.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]))
    assert change.status_code == 200
    assert endpoint.secret not in change.content.decode()
    assert endpoint.masked_secret in change.content.decode()
    listing = admin_client_.get(
        reverse("admin:webhooks_webhookendpoint_changelist"), {"organization__id__exact": org.pk}
    )
    assert listing.status_code == 200
    assert "https://example.org/hook" in listing.content.decode()


def test_rotating_the_secret_keeps_the_old_one_signing_for_a_while(admin_client_, receiver):
    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    old = endpoint.secret
    rotate = reverse("admin:webhooks_webhookendpoint_rotate", args=[endpoint.pk])
    assert admin_client_.get(rotate).status_code == 200
    response = admin_client_.post(rotate)
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()
    assert old not in response.content.decode()
    assert endpoint.signing_secrets() == [endpoint.secret, old]
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.get(object_id=str(endpoint.pk)).get_change_message() == (
        "Rotated the signing secret."
    )
    assert endpoint.signing_secrets(now=timezone.now() + timedelta(hours=25)) == [endpoint.secret]


def test_ping_action_and_redelivery(admin_client_, receiver, django_capture_on_commit_callbacks):
    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    receiver.answers = [(418, b"<script>alert(1)</script> I'm a teapot")]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("admin:webhooks_webhookendpoint_changelist"),
            {"action": "send_test_ping", "_selected_action": [endpoint.pk]},
        )
    assert response.status_code == 302
    ping = receiver.requests[0]
    assert json.loads(ping["body"])["type"] == "ping"
    assert ping["headers"]["X-Newsroom-Event"] == "ping"
    assert verify(endpoint.secret, ping["headers"]["X-Newsroom-Signature"], ping["body"])
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.response_status == 418

    log = reverse("admin:webhooks_webhookdelivery_changelist")
    for query in (
        {},
        {"status__exact": "failed"},
        {"kind": "ping"},
        {"endpoint__id__exact": endpoint.pk},
    ):
        page = admin_client_.get(log, query)
        assert page.status_code == 200
        assert f"/{delivery.pk}/change/" in page.content.decode()
    detail = admin_client_.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            log, {"action": "redeliver", "_selected_action": [delivery.pk]}
        )
    assert response.status_code == 302
    assert len(receiver.requests) == 2
    assert receiver.requests[1]["body"] == ping["body"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1


# -- without a worker; TLS -----------------------------------------------------------------


def test_deliver_webhooks_command_attempts_the_due_deliveries(receiver, told):
    from io import StringIO

    from django.core.management import call_command

    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    receiver.answers = [(500, b"down")]
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    out = StringIO()
    call_command("deliver_webhooks", stdout=out)
    assert out.getvalue().strip() == "0 deliveries attempted."  # not due yet
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("deliver_webhooks", stdout=out)
    assert "succeeded" in out.getvalue()
    assert "1 deliveries attempted." in out.getvalue()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED


def _self_signed(tmp_path, name: str):
    """A key and a self-signed certificate for the DNS name ``name`` (paths)."""
    import subprocess

    key, cert = tmp_path / f"{name}.key", tmp_path / f"{name}.pem"
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",  # noqa: S607
         "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return key, cert


def _serve_tls(receiver, key, cert):
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)


def test_https_certificates_are_verified(receiver, told, tmp_path):
    """An HTTPS endpoint whose certificate no trusted CA vouches for gets nothing: the
    TLS handshake fails (a network error, retried), no body is sent."""
    _serve_tls(receiver, *_self_signed(tmp_path, "localhost"))
    org = OrganizationFactory()
    endpoint_for(org, f"https://localhost:{receiver.server.server_port}/hook")
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.error
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("certified", "delivered"), [("localhost", True), ("other.example", False)]
)
def test_https_to_the_checked_address_still_verifies_the_host_name(
    receiver, told, tmp_path, monkeypatch, certified, delivered
):
    """The connection goes to the address that was checked, and TLS still checks the
    certificate against the URL's host name: a certificate for another name is refused
    even when a CA the sender trusts issued it."""
    import ssl

    key, cert = _self_signed(tmp_path, certified)
    _serve_tls(receiver, key, cert)

    def trusting_the_test_ca():
        return ssl.create_default_context(cafile=str(cert))

    monkeypatch.setattr(sending, "tls_context", trusting_the_test_ca)
    org = OrganizationFactory()
    endpoint_for(org, f"https://localhost:{receiver.server.server_port}/hook")
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery = WebhookDelivery.objects.get()
    if delivered:
        assert delivery.status == DeliveryStatus.SUCCEEDED
        assert receiver.requests[0]["headers"]["Host"] == f"localhost:{receiver.server.server_port}"
    else:
        assert delivery.status == DeliveryStatus.PENDING
        assert (
            "Hostname mismatch" in delivery.error or "CERTIFICATE_VERIFY_FAILED" in delivery.error
        )
        assert receiver.requests == []


def test_internationalized_host_names_are_sent_as_idna():
    from newsroom.webhooks.addresses import check_endpoint_url

    assert check_endpoint_url("https://Bücher.example/hook") == (
        "https",
        "xn--bcher-kva.example",
        443,
    )
    with pytest.raises(ValueError, match="not a valid host name"):
        check_endpoint_url("https://a..b/hook")


def test_an_attempt_at_a_deleted_delivery_does_nothing(
    receiver, django_capture_on_commit_callbacks
):
    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        tell(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery_id = WebhookDelivery.objects.get().pk
    WebhookDelivery.objects.filter(pk=delivery_id).delete()  # the log's own row gone
    endpoint.delete()
    for callback in queued:
        callback()
    assert deliveries.attempt(delivery_id) is None
    assert receiver.requests == []


def test_viewing_the_log_does_not_allow_redelivering(client, receiver, told):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_webhookdelivery"))
    client.force_login(user)
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery = WebhookDelivery.objects.get()
    log = reverse("admin:webhooks_webhookdelivery_changelist")
    page = client.get(log)
    assert page.status_code == 200
    assert 'value="redeliver"' not in page.content.decode()
    client.post(log, {"action": "redeliver", "_selected_action": [delivery.pk]})
    assert len(receiver.requests) == 1
    detail = client.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    assert detail.status_code == 200
    assert client.get(reverse("admin:webhooks_webhookendpoint_changelist")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_delivery_send_it_once(receiver):
    """Six workers attempt the same due delivery at once (each with its own database
    connection): the claim lets exactly one POST it."""
    from django.db import connections

    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    delivery = deliveries.create(
        endpoint, "evt_race", RELEASE_UPDATED, '{"id":"evt_race"}', release=release,
        release_pk=release.pk,
    )  # fmt: skip
    # create() outside a transaction queued (and sent) it at once: make it due again.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    receiver.requests.clear()
    start = threading.Barrier(6)
    outcomes = []

    def work():
        try:
            start.wait()
            outcomes.append(deliveries.attempt(delivery.pk))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(outcome is not None for outcome in outcomes) == 1
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1


def test_an_event_without_endpoints_costs_one_query(django_assert_num_queries, settings):
    """Every release event reaches the receiver; with no endpoint among the release's
    organizations (the usual case) it reads one row set and stops."""
    settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL = True
    org, other = OrganizationFactory.create_batch(2)
    endpoint_for(other, "https://example.org/hook")
    release = ReleaseFactory(organizations=[org])
    for kind in (RELEASE_PUBLISHED, RELEASE_UPDATED):
        with django_assert_num_queries(1):  # this receiver's own, whatever else listens
            on_release_event(
                None, kind=kind, release_id=release.pk, event_id=f"evt_{kind}",
                occurred_at=timezone.now(),
            )  # fmt: skip
    assert not WebhookDelivery.objects.exists()


def test_the_guide_s_receiver_check_verifies_a_real_delivery(receiver, told):
    """docs/webhooks.md's Python check, run as printed, on what the receiver got."""
    import re
    from pathlib import Path

    from django.conf import settings as django_settings

    guide = (Path(django_settings.BASE_DIR) / "docs" / "webhooks.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", guide, re.S).group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 (our own documentation)
    guide_verify = namespace["verify"]

    org = OrganizationFactory()
    endpoint = endpoint_for(org, receiver.url())
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    got = receiver.requests[0]
    header = got["headers"]["X-Newsroom-Signature"]
    assert guide_verify(endpoint.secret, header, got["body"])
    assert not guide_verify("whsec_not_it", header, got["body"])
    assert not guide_verify(endpoint.secret, header, got["body"].replace(b"}", b" }", 1))


def test_the_connection_goes_to_the_address_that_was_checked(receiver, told, tmp_path, monkeypatch):
    """DNS rebinding: the name answers a checked address first and another one after;
    the delivery connects to the first (one lookup per attempt), never to the second."""
    import socket
    import ssl

    key, cert = _self_signed(tmp_path, "rebind.example")
    _serve_tls(receiver, key, cert)
    monkeypatch.setattr(
        sending, "tls_context", lambda: ssl.create_default_context(cafile=str(cert))
    )
    monkeypatch.setattr(sending, "TOTAL_TIMEOUT", 1.0)
    real = socket.getaddrinfo
    lookups = []

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) == 1 else "10.255.255.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    org = OrganizationFactory()
    endpoint_for(org, f"https://rebind.example:{receiver.server.server_port}/hook")
    told(RELEASE_PUBLISHED, ReleaseFactory(organizations=[org]).pk)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED, delivery.error
    assert lookups == ["rebind.example"]
    assert receiver.requests[0]["headers"]["Host"] == (
        f"rebind.example:{receiver.server.server_port}"
    )


# -- the broker down ------------------------------------------------------------------------

BROKER_DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1
BROKER_UP = "redis://127.0.0.1:6379/11"  # this suite's own Redis database


def test_a_delivery_that_cannot_be_queued_is_kept_and_sent_later(
    receiver, django_capture_on_commit_callbacks, caplog
):
    from django.core.management import call_command

    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])
    with broker(BROKER_DOWN), django_capture_on_commit_callbacks(execute=True):
        tell(RELEASE_PUBLISHED, release.pk)  # no exception reaches the event's sender
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert delivery.next_attempt_at <= timezone.now()  # due: the sweep will queue it
    assert "not queued" in caplog.text
    assert receiver.requests == []

    # A site without a worker: cron's deliver_webhooks sends it.
    call_command("deliver_webhooks", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 1


def test_deliveries_are_queued_on_a_real_broker(receiver, django_capture_on_commit_callbacks):
    """After the commit, the delivery's task is on the broker; the minute's sweep queues
    a due one again (the worker's claim keeps the two from sending twice)."""
    import redis

    client = redis.Redis.from_url(BROKER_UP, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"No Redis at {BROKER_UP}")
    client.flushdb()
    org = OrganizationFactory()
    endpoint_for(org, receiver.url())
    release = ReleaseFactory(organizations=[org])

    def queued() -> list[dict]:  # the webhooks' own queue (CELERY_TASK_ROUTES)
        assert client.llen("celery") == 0
        return [json.loads(raw)["headers"] for raw in client.lrange("webhooks", 0, -1)]

    try:
        with broker(BROKER_UP):
            with django_capture_on_commit_callbacks(execute=True):
                tell(RELEASE_PUBLISHED, release.pk)
            delivery = WebhookDelivery.objects.get()
            [first] = queued()
            assert first["task"] == "webhooks.deliver"
            assert first["argsrepr"] == f"({delivery.pk},)"
            assert tasks.retry_due() == 1  # still pending and due: no worker took it
            assert [h["argsrepr"] for h in queued()] == [f"({delivery.pk},)"] * 2
        assert receiver.requests == []  # nothing sent by this process
    finally:
        client.flushdb()
        client.close()


def test_beat_runs_the_retry_sweep_every_minute(settings):
    from newsroom.celery import app

    entry = app.conf.beat_schedule["webhooks-retry-due"]
    assert entry["task"] == "webhooks.retry_due" in app.tasks
    assert entry["schedule"] == 60.0
    # Added to the app's schedule, not written into the settings' dict.
    assert "webhooks-retry-due" not in settings.CELERY_BEAT_SCHEDULE
