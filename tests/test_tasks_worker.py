"""A real Celery worker (``celery -A newsroom worker``, a process of its own) on a real
Redis broker (database 8, or ``NEWSROOM_TEST_WORKER_BROKER_URL``) takes the tasks this
process queues: an e-mail is sent (any database), and on PostgreSQL two workers sweeping
the test database at once fire "went public" once. Each worker is stopped whatever
happens; each wait is bounded."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from newsroom.events import outbox, tasks
from newsroom.events.models import ReleaseEvent
from newsroom.events.signals import RELEASE_PUBLISHED
from tests.factories import ReleaseFactory
from tests.test_outbox import MESSAGE, broker

BROKER = os.environ.get("NEWSROOM_TEST_WORKER_BROKER_URL", "redis://127.0.0.1:6379/8")
ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")
# Upper bounds only (a passing run is no slower): a loaded 2-core CI machine starts a
# Celery worker in well over 20 s at times.
READY_SECONDS = 60
DONE_SECONDS = 30

SETTINGS = """
from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = {mail_dir!r}
DATABASES["default"]["NAME"] = {database!r}  # noqa: F405 - the test database
CELERY_BROKER_URL = {broker!r}  # the tests' own settings run tasks at once
CELERY_TASK_ALWAYS_EAGER = False
"""


@pytest.fixture
def broker_db():
    client = redis.Redis.from_url(BROKER, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"No Redis at {BROKER} (set NEWSROOM_TEST_WORKER_BROKER_URL)")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


class Workers:
    """Worker processes started with ``start(name)``, all stopped by ``stop()``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()
        (folder / "worker_settings.py").write_text(
            SETTINGS.format(
                mail_dir=str(self.mail_dir),
                database=connection.settings_dict["NAME"],
                broker=BROKER,
            )
        )
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str) -> None:
        log = self.folder / f"{name}.log"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(self.folder), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "worker_settings",
            "CELERY_BROKER_URL": BROKER,
        }
        command = [
            str(CELERY), "-A", "newsroom", "worker", "--pool=solo", f"--hostname={name}@%h",
            "--without-gossip", "--without-mingle", "--loglevel=INFO",
        ]  # fmt: skip
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - our own command line
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self.processes.append((process, log))

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        for process, log in self.processes:
            while b" ready." not in log.read_bytes():
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, f"worker not ready:\n{log.read_text()}"
                time.sleep(0.1)

    def logs(self) -> str:
        return "\n".join(log.read_text() for _, log in self.processes)

    def stop(self) -> None:
        for process, _ in self.processes:
            process.terminate()
        for process, _ in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


@pytest.fixture
def workers(tmp_path, broker_db):
    started = Workers(tmp_path)
    yield started
    started.stop()


def wait_for(check, what: str, workers: Workers):
    deadline = time.monotonic() + DONE_SECONDS
    while not (result := check()):
        assert time.monotonic() < deadline, f"{what} not seen:\n{workers.logs()}"
        time.sleep(0.1)
    return result


@pytest.mark.django_db
def test_a_real_worker_sends_the_queued_email(workers, django_capture_on_commit_callbacks):
    workers.start("mail")
    workers.wait_ready()
    with broker(BROKER), django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(tasks.send_email, message=MESSAGE)

    # The task's success first: the file backend creates the file before writing it and
    # flushes it on close, so a file that exists may still be empty.
    wait_for(
        lambda: f"Task newsroom.events.send_email[{row.task_id}] succeeded" in workers.logs(),
        "the task's success",
        workers,
    )
    [sent] = list(workers.mail_dir.iterdir())
    text = sent.read_text()
    assert "Subject: Embargoed until 10:00" in text
    assert "https://news.example.org/e/token" in text


@pytest.mark.django_db(transaction=True)
def test_two_real_workers_sweeping_at_once_fire_once(workers):
    if connection.vendor != "postgresql":
        pytest.skip("the workers share the test database: PostgreSQL only (SQLite's is in memory)")
    release = ReleaseFactory()
    workers.start("one")
    workers.start("two")
    workers.wait_ready()
    with broker(BROKER):
        for _ in range(4):
            tasks.sweep_went_public.apply_async(retry=False)

    wait_for(
        lambda: workers.logs().count("newsroom.events.sweep_went_public[") >= 8,
        "four sweeps done",
        workers,
    )
    [event] = ReleaseEvent.objects.filter(kind=RELEASE_PUBLISHED)
    assert event.release_id == release.pk
    assert workers.logs().count("succeeded in") >= 4
    assert "raised unexpected" not in workers.logs()
