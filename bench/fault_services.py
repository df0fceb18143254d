"""A PostgreSQL cluster and a Redis server of the fault runs' own (``bench/faults.py``).

Both live in a temporary folder, listen on free loopback ports and are stopped and
removed by ``close()``, so restarting them never disturbs the machine's own servers
(PostgreSQL on 5432, Redis on 6379) or anyone using them.

PostgreSQL: ``initdb`` (trust authentication, user ``postgres``) and ``pg_ctl`` from
``PG_BIN`` (default ``/usr/lib/postgresql/15/bin``, or the folder of ``pg_config
--bindir``). PostgreSQL refuses to run as root, so as root they run as the ``postgres``
system user (``runuser``). Redis: ``redis-server`` with no persistence (``--save ''
--appendonly no``): a restart starts it empty, as a cache's restart does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench.servers import free_port

DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"


def pg_bin() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: ``PG_BIN``, the default, or pg_config's."""
    if configured := os.environ.get("PG_BIN"):
        return Path(configured)
    if (Path(DEFAULT_PG_BIN) / "initdb").exists():
        return Path(DEFAULT_PG_BIN)
    found = subprocess.run(
        ["pg_config", "--bindir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return Path(found)


class PostgresCluster:
    """A throw-away PostgreSQL cluster on ``127.0.0.1:<port>`` (``url`` names a
    database ``newsroom_faults`` in it, created by ``start``)."""

    database = "newsroom_faults"

    def __init__(self) -> None:
        self.bin = pg_bin()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgresql.log"
        self.initialized = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str, timeout: float = 120) -> str:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=self.folder,
            # A terminal's Ctrl-C must reach this script (which stops the cluster), not
            # kill the cluster half-way through a command.
            start_new_session=True,
        )
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def start(self) -> None:
        """initdb (the first time), start, and wait until it accepts connections."""
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        if not self.initialized:
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
            self.initialized = True
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=50"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
            "-o", options, "start",
        )  # fmt: skip

    def create_database(self) -> None:
        import psycopg

        admin = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {self.database}")

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m <mode>``: ``fast`` ends every session (as a restart does)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def close(self) -> None:
        """Stop it (immediately) if it runs, and remove its folder. Never raises."""
        if self.initialized and self.running():
            with contextlib.suppress(Exception):
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class RedisServer:
    """A ``redis-server`` of its own on ``127.0.0.1:<port>``, without persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-faults-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20) -> None:
        log = (self.folder / "redis.log").open("a")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", str(self.folder),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start; see {self.folder}") from None
                time.sleep(0.1)
            finally:
                client.close()

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; SIGKILL after 10 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
