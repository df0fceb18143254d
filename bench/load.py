"""HTTP load on loopback, bounded in time and in count: wrk, or a threaded Python client.

``measure(url)`` returns requests per second, latency percentiles (p50, p95, p99) and
the number of responses that were not 2xx/3xx (a benchmark of an error page measures
nothing). The load is the issue's: ``wrk -t2 -c16`` (``BENCH_THREADS``,
``BENCH_CONNECTIONS``); requests carry no ``Accept-Encoding``, so pages are sent
uncompressed, as wrk sends them by default.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

LUA = Path(__file__).with_name("wrk_bounded.lua")
DURATION = float(os.environ.get("BENCH_DURATION", "10"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "200000"))
# As issue 11 measured: 16 connections from 2 threads against 2 sync workers, so
# requests queue in the listen backlog as they would under a crowd of readers.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))


@dataclass
class Load:
    url: str
    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    errors: int

    def as_dict(self) -> dict:
        return asdict(self)


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def measure(url: str, *, duration: float = DURATION, max_requests: int = MAX_REQUESTS) -> Load:
    if tool() == "wrk":
        return _wrk(url, duration, max_requests)
    return _python(url, duration, max_requests)


def _wrk(url: str, duration: float, max_requests: int) -> Load:
    command = [
        "wrk",
        "--threads",
        str(THREADS),
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "--latency",
        "--script",
        str(LUA),
        url,
    ]
    # The cap is per wrk thread.
    env = {**os.environ, "WRK_MAX_REQUESTS": str(max(1, max_requests // THREADS))}
    output = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=duration + 30, check=True
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    requests = int(done[1])
    seconds = float(done[2]) * {"ms": 0.001, "s": 1.0, "m": 60.0}[done[3]]
    percentiles = re.search(r"bench-percentiles-us (\d+) (\d+) (\d+)", output)
    p50, p95, p99 = (
        (int(value) / 1000 for value in percentiles.groups()) if percentiles else (None,) * 3
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx[1]) if non_2xx else 0
    if socket_errors:
        errors += sum(int(count) for count in socket_errors.groups())
    return Load(
        url=url,
        tool="wrk",
        requests=requests,
        seconds=seconds,
        rps=requests / seconds if seconds else 0.0,
        p50_ms=p50 if requests else None,
        p95_ms=p95 if requests else None,
        p99_ms=p99 if requests else None,
        errors=errors,
    )


def _python(url: str, duration: float, max_requests: int) -> Load:
    """Threads with keep-alive connections (reopened when the server closes them)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + duration
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    budget = [max_requests]

    def worker():
        nonlocal errors
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            began = time.perf_counter()
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                errors += not ok

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Load(
        url=url,
        tool="python",
        requests=len(latencies),
        seconds=seconds,
        rps=len(latencies) / seconds if seconds else 0.0,
        p50_ms=quantiles[49] * 1000,
        p95_ms=quantiles[94] * 1000,
        p99_ms=quantiles[98] * 1000,
        errors=errors,
    )
