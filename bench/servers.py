"""gunicorn servers for the benchmark: started on free loopback ports, always stopped.

Every server uses the product's own ``newsroom/gunicorn.conf.py`` (sync workers,
keep-alive, access log) with two workers, so the hello baseline and the product are
served the same way. Two settings differ from production, for both alike:
``max_requests`` is off (production recycles a worker every ~5,000 requests, which in a
10-second run would measure restarts and empty the per-worker caches), and the access
log goes to a file under ``bench/results/``.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import RESULTS, ROOT, stop_group

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WORKERS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    app: str
    env: dict[str, str]
    ready_path: str = "/"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        # gunicorn appends to its access log; one run's log is enough.
        (RESULTS / f"access-{self.name}.log").unlink(missing_ok=True)
        log = (RESULTS / f"gunicorn-{self.name}.log").open("w")
        command = [
            str(GUNICORN),
            "--config",
            str(ROOT / "newsroom" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--max-requests",
            "0",
            "--access-logfile",
            str(RESULTS / f"access-{self.name}.log"),
            "--error-logfile",
            "-",
            self.app,
        ]
        # A session of its own: the whole group (master and workers) is stopped together.
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} server exited ({self.process.returncode}); "
                    f"see {RESULTS / f'gunicorn-{self.name}.log'}"
                )
            try:
                with urllib.request.urlopen(self.base_url + self.ready_path, timeout=5):  # noqa: S310
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} server not ready after {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's children (Linux ``/proc``)."""
        if self.process is None or self.process.poll() is not None:
            return []
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def worker_rss_mb(self) -> dict[int, float]:
        """Resident memory of each worker (``VmRSS`` of ``/proc/<pid>/status``), in MB."""
        found = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            if match := re.search(r"^VmRSS:\s+(\d+) kB", status, flags=re.MULTILINE):
                found[pid] = int(match[1]) / 1024
        return found

    def stop(self) -> None:
        stop_group(self.process)


@contextlib.contextmanager
def running(*servers: Server):
    """Start ``servers``, wait until each answers, and stop them all whatever happens."""
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()
