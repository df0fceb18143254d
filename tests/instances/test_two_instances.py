"""Two instances, one truth (issue 12, "Several instances"): two gunicorn servers on the
same PostgreSQL database and the same Redis, both with the page cache on (the product's
default, a per-process LRU in front of Redis). Every public surface of both has been
read, so both hold cached pages; then a change is saved through instance A's admin over
HTTP, logged in as staff, and instance B (and A) must show it within one second on every
public surface: the release page, the home page, the list, the Atom feed, the API's list
and detail, and the releases' sitemap. For a publication, an edit, a withdrawal, a
deletion, and a release scheduled two to three seconds ahead passing its time with no
job running (no Celery worker, no beat: the page cache's state moves at that instant by
itself).

Bounded and loopback only: servers on free 127.0.0.1 ports, two sync workers each, always
stopped with their process group; a database of its own (``<suite database>_coherence``,
made, migrated, seeded and dropped here) and Redis database 9, flushed first (entries of an
earlier run could share a state token with this one) and last. Runs in the suite's PostgreSQL
pass (``conftest.py``). ``INSTANCES_DEBUG_DIR=<folder>`` keeps there the body of any
page that did not show what it should.
"""

from __future__ import annotations

import contextlib
import html
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
import redis
from psycopg import sql

from bench.common import stop_group
from tests.instances.seed import PASSWORD, STAFF

pytestmark = pytest.mark.instances

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
REDIS_URL = os.environ.get("NEWSROOM_TEST_INSTANCES_REDIS_URL", "redis://127.0.0.1:6379/9")
# The bound: a change saved through one instance is visible on the other within it.
WITHIN = 1.0
# How long a poll waits for a change before the test says what never came (seconds).
POLL_LIMIT = 6.0
POLL_STEP = 0.05
# How far ahead a release is scheduled (whole seconds after the next whole second).
SCHEDULE_AHEAD = 2


# -- the database and the servers ------------------------------------------------------


def coherence_url() -> str:
    """The URL of this test's own database, on the suite's PostgreSQL server."""
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/") + "_coherence"
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin_connection(url: str) -> psycopg.Connection:
    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password) if parts.password else None,
        dbname="postgres",
        autocommit=True,
    )


def recreate_database(url: str) -> None:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with _admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with _admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """Production settings (``DEBUG=0``, a key, the page cache on, Redis), on plain HTTP
    over loopback: no redirect to HTTPS, no HSTS, cookies not ``Secure`` (the test's
    client keeps the staff session over HTTP)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEWSROOM_", "DJANGO_", "SECURE_", "CELERY_"))
        and key not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "DEBUG")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.instances.server_settings",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        DEBUG="0",
        SECRET_KEY="two-instances-test-only",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="0",
        NEWSROOM_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Instance:
    name: str
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            str(GUNICORN), "--config", str(ROOT / "newsroom" / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "30",
            "--access-logfile", "-", "--error-logfile", "-", "newsroom.wsgi:application",
        ]  # fmt: skip
        with self.log.open("w") as log:
            # A session of its own: master and workers are stopped together.
            self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"instance {self.name} exited:\n{self.log.read_text()[-3000:]}"
                )
            with contextlib.suppress(OSError):
                if get(self.base + "/healthz", timeout=2)[0] == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"instance {self.name} not ready:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        stop_group(self.process, grace=15)


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


# -- HTTP ------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer itself (an admin save), not a page to follow


_anonymous = urllib.request.build_opener(_NoRedirect)


def get(url: str, timeout: float = 10) -> tuple[int, str, dict[str, str]]:
    """(status, body, headers) of an anonymous GET: no cookie, no gzip."""
    try:
        with _anonymous.open(url, timeout=timeout) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), dict(error.headers)


class FormFields(HTMLParser):
    """The fields of the form with ``id`` (or the first form): what a browser submits
    without a click (text, hidden, checked boxes, selected options, text areas)."""

    def __init__(self, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            self.inside = self.form_id is None or attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_fields(page: str, form_id: str | None = None) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


class Staff:
    """A logged-in staff session on one instance's admin (its cookies kept)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
        )

    def request(self, path: str, data: list[tuple[str, str]] | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def page(self, path: str) -> str:
        status, body, _ = self.request(path)
        assert status == 200, f"GET {path}: {status}"
        return body

    def post(self, path: str, data: list[tuple[str, str]]) -> str:
        """POST ``data`` with the page's CSRF token; the admin's answer must be a redirect
        (saved), whose page is returned (its messages say what happened)."""
        token = dict(form_fields(self.page(path)))["csrfmiddlewaretoken"]
        status, body, headers = self.request(path, [("csrfmiddlewaretoken", token), *data])
        assert status == 302, f"POST {path} answered {status}: {errors_of(body)}"
        return self.page(urllib.parse.urlsplit(headers["Location"]).path)

    def login(self) -> None:
        path = "/admin/login/?next=/admin/"
        token = dict(form_fields(self.page(path)))["csrfmiddlewaretoken"]
        data = [("csrfmiddlewaretoken", token), ("username", STAFF), ("password", PASSWORD)]
        status, body, _ = self.request(path, data)
        assert status == 302, f"login answered {status}: {errors_of(body)}"

    def action(self, name: str, pk: int, **fields: str) -> str:
        """Run the changelist's action ``name`` on release ``pk`` and confirm it."""
        return self.post(
            "/admin/releases/release/",
            [("action", name), ("index", "0"), ("_selected_action", str(pk)),
             ("apply", "1"), *fields.items()],
        )  # fmt: skip

    def edit(self, pk: int, **changes: str) -> str:
        path = f"/admin/releases/release/{pk}/change/"
        fields = [
            (name, changes.get(name, value))
            for name, value in form_fields(self.page(path), "release_form")
            if name != "csrfmiddlewaretoken"
        ]
        return self.post(path, [*fields, ("_save", "Save")])


def errors_of(page: str) -> str:
    start = page.find('class="errorlist')
    return html.unescape(page[start : start + 600]) if start >= 0 else page[:300]


def messages_of(page: str) -> str:
    start = page.find('class="messagelist"')
    return html.unescape(page[start : page.find("</ul>", start)]) if start >= 0 else ""


# -- what the public surfaces show -----------------------------------------------------

SURFACES = {
    "release page": "/releases/{slug}/",
    "home": "/",
    "list": "/releases/",
    "Atom feed": "/feeds/releases.atom",
    "API list": "/api/releases/",
    "API detail": "/api/releases/{slug}/",
    "sitemap": "/sitemap-releases.xml",
    "tag index": "/tags/",
}
# Surfaces that list releases: each must show every public release and no other.
LISTS = ("home", "list", "Atom feed", "API list")


@dataclass(frozen=True)
class World:
    """What every public surface must show: the release ``slug`` (the one changed) under
    ``headline`` with its page and API detail answering ``status`` (200 public, 410
    withdrawn, 404 not public yet or deleted); on the lists, every headline of
    ``public`` and none of ``hidden``; on the tag index, every tag of ``tags`` and none
    of ``hidden_tags``."""

    slug: str
    headline: str
    status: int
    public: frozenset[str]
    hidden: frozenset[str]
    tags: frozenset[str]
    hidden_tags: frozenset[str]

    def holds(self, surface: str, status: int, body: str) -> bool:
        if surface in ("release page", "API detail"):
            return status == self.status and (status != 200 or self.headline in body)
        if status != 200:
            return False
        if surface == "sitemap":
            return (f"/releases/{self.slug}/" in body) == (self.status == 200)
        if surface == "tag index":
            shown = {tag for tag in self.tags | self.hidden_tags if f">{tag}<" in body}
            return shown == self.tags
        assert surface in LISTS
        return all(h in body for h in self.public) and not any(h in body for h in self.hidden)


def read_all(instances, expected) -> list[str]:
    """Read every surface of every instance once; the ones not showing ``expected``."""
    wrong = []
    for instance in instances:
        for surface, path in SURFACES.items():
            status, body, headers = get(instance.base + path.format(slug=expected.slug))
            if not expected.holds(surface, status, body):
                cache = headers.get("X-Newsroom-Cache", "-")
                wrong.append(f"{instance.name} {surface} ({status}, cache: {cache})")
                if os.environ.get("INSTANCES_DEBUG_DIR"):
                    Path(
                        os.environ["INSTANCES_DEBUG_DIR"], f"{instance.name}-{surface}.html"
                    ).write_text(body)
    return wrong


def seen_within(instances, expected, since: float) -> dict[str, float]:
    """Poll every surface of every instance until each shows ``expected``: by surface,
    the seconds from ``since`` (``time.time()``) to the answer of the first read that
    showed it (the page as the reader has it). Each instance is polled by a
    thread of its own, surface after surface, so one instance's renders do not delay
    the other's reads. Fails naming what still did not show it after ``POLL_LIMIT``
    seconds."""
    seen: dict[str, float] = {}
    missing: list[str] = []

    def poll(instance) -> None:
        pending = {surface: path.format(slug=expected.slug) for surface, path in SURFACES.items()}
        while pending:
            for surface, path in list(pending.items()):
                status, body, _ = get(instance.base + path)
                if expected.holds(surface, status, body):
                    seen[f"{instance.name} {surface}"] = time.time() - since
                    del pending[surface]
            if pending and time.time() - since > POLL_LIMIT:
                missing.extend(f"{instance.name} {surface}" for surface in pending)
                return
            if pending:
                time.sleep(POLL_STEP)

    threads = [threading.Thread(target=poll, args=(instance,)) for instance in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not missing, f"after {POLL_LIMIT} s, still not showing {expected}: {sorted(missing)}"
    return seen


def assert_cached(instance, path: str, what: str) -> None:
    """Read ``path`` until ``instance`` answers it from its page cache ("hit"). Right
    after a change a list may still be rendered with the previous facet counts while the
    new ones are counted elsewhere (kept ``STALE_SECONDS`` only, so the next read renders
    it again): on a loaded machine the first reads after a change can all be renders.
    Fails after ``POLL_LIMIT`` seconds naming the answers read."""
    answers = []
    deadline = time.time() + POLL_LIMIT
    while time.time() < deadline:
        answers.append(get(instance.base + path)[2].get("X-Newsroom-Cache", "-"))
        if answers[-1] == "hit":
            return
        time.sleep(POLL_STEP)
    raise AssertionError(f"{what}: {instance.name} {path} never came from the cache: {answers}")


def assert_within(seen: dict[str, float], what: str) -> None:
    late = {surface: round(seconds, 3) for surface, seconds in seen.items() if seconds > WITHIN}
    assert not late, f"{what}: shown later than {WITHIN} s on {late}"


# -- the test ----------------------------------------------------------------------------


@pytest.fixture
def instances(tmp_path):
    """Instances A and B running on a fresh, migrated, seeded database of their own, and
    the releases the seed made (``{name: [pk, slug, headline, tag]}``)."""
    url = coherence_url()
    recreate_database(url)
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = server_env(url, tmp_path)
    a = Instance("A", env, tmp_path / "a.log")
    b = Instance("B", env, tmp_path / "b.log")
    try:
        run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
        seeded = json.loads(run(["-m", "tests.instances.seed"], env))
        a.start()
        b.start()
        a.wait_ready()
        b.wait_ready()
        yield a, b, seeded
    finally:
        b.stop()
        a.stop()
        drop_database(url)
        redis.Redis.from_url(REDIS_URL).flushdb()


def test_a_change_saved_through_one_instance_shows_on_the_other_within_a_second(instances):
    a, b, seeded = instances
    both = (b, a)  # B first: the other instance is the point
    staff = Staff(a.base)
    staff.login()
    timings: dict[str, float] = {}
    # The seeded releases: the public ones (headline: tag), and what no surface may show.
    public = {seeded[name][2]: seeded[name][3] for name in ("edited", "withdrawn", "deleted")}
    hidden = {seeded[name][2]: seeded[name][3] for name in ("published", "scheduled")}

    def world(name: str, status: int, headline: str = "") -> World:
        _, slug, seeded_headline, _ = seeded[name]
        return World(
            slug,
            headline or seeded_headline,
            status,
            frozenset(public),
            frozenset(hidden),
            frozenset(public.values()),
            frozenset(hidden.values()) - frozenset(public.values()),
        )

    def change(what: str, before: World, save, after) -> None:
        # Both instances read, twice: every surface is in both page caches.
        for _ in range(2):
            assert read_all(both, before) == [], f"before {what}"
        assert_cached(b, "/releases/", f"before {what}")
        messages = save()
        since = time.time()
        expected = after()
        seen = seen_within(both, expected, since)
        timings[what] = max(seen.values())
        assert_within(seen, what)
        assert "error" not in messages.lower(), messages
        # And it stays so: no surface goes back to an earlier page.
        assert read_all(both, expected) == [], f"after {what}"

    def moved(headline: str, into: dict, out_of: dict) -> None:
        into[headline] = out_of.pop(headline)

    pk, _, headline, _ = seeded["published"]
    change(
        "publish",
        world("published", 404),
        lambda: messages_of(staff.action("publish_now", pk)),
        lambda: moved(headline, public, hidden) or world("published", 200),
    )

    pk, _, headline, tag = seeded["edited"]
    new = "Quarterly results revised upward"

    def edited() -> World:
        public[new] = public.pop(headline)
        hidden[headline] = tag
        return world("edited", 200, new)

    change(
        "edit",
        world("edited", 200),
        lambda: messages_of(staff.edit(pk, headline=new)),
        edited,
    )

    pk, _, headline, _ = seeded["withdrawn"]
    change(
        "withdraw",
        world("withdrawn", 200),
        lambda: messages_of(staff.action("withdraw", pk, reason="Timetable superseded")),
        lambda: moved(headline, hidden, public) or world("withdrawn", 410),
    )

    pk, _, headline, _ = seeded["deleted"]
    change(
        "delete",
        world("deleted", 200),
        lambda: messages_of(staff.post(f"/admin/releases/release/{pk}/delete/", [("post", "yes")])),
        lambda: moved(headline, hidden, public) or world("deleted", 404),
    )

    # Scheduled a few seconds ahead: hidden until then on both, shown within a second of
    # it on both, with nothing but requests running.
    pk, _, headline, _ = seeded["scheduled"]
    at = math.ceil(time.time()) + SCHEDULE_AHEAD
    when = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    messages = messages_of(staff.action("schedule", pk, published_at=when, time_zone="UTC"))
    assert "error" not in messages.lower(), messages
    before = world("scheduled", 404)
    while time.time() < at - 0.5:  # read (and cached) while it is still ahead
        assert read_all(both, before) == [], "a scheduled release showed before its time"
    moved(headline, public, hidden)
    seen = seen_within(both, world("scheduled", 200), at)
    # Answered before its time: shown early (a read sent just before and answered after
    # may show it, rightly).
    early = {surface: seconds for surface, seconds in seen.items() if seconds < 0}
    assert not early, f"a scheduled release showed before its time: {early}"
    timings["scheduled time passing"] = max(seen.values())
    assert_within(seen, "scheduled time passing")

    print({what: round(seconds, 3) for what, seconds in timings.items()})
