"""Right after a change: what the first readers of each page wait (``make bench``).

``first_requests``: after each change (``bench/change.py``: the newest public release
taken back to draft, then published again, alternately; each retires every cached page),
one request to each page in turn, each the first to that page since the change: its
latency and what the page cache answered (``X-Newsroom-Cache``: ``miss`` means it
rendered the page). Then one edit of that release's text, which retires only the pages
that showed it: what each page answered is recorded.

``stampede``: after such a change, ``readers`` requests to one page sent at the same
instant on connections opened beforehand: how many rendered it (``miss``) and their
latencies.
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import threading
import time
from urllib.parse import urlsplit

from bench.common import ROOT, django_env, percentile

PYTHON = str(ROOT / ".venv" / "bin" / "python")
TIMEOUT = 60


class Changer:
    """``bench/change.py`` as a child process: ``change()`` saves a release, returns when
    the save has committed. Use as a context manager (the child is always stopped)."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.process: subprocess.Popen | None = None
        self.unpublished = False

    def __enter__(self) -> Changer:
        self.process = subprocess.Popen(
            [PYTHON, "bench/change.py", "--database-url", self.database_url],
            cwd=ROOT,
            env=django_env(self.database_url),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._read()  # ready
        return self

    def change(self, kind: str | None = None) -> dict:
        """``kind``: edit, unpublish or publish; by default, whichever of the last two
        retires every page and leaves the release as it was every second change."""
        if kind is None:
            kind = "publish" if self.unpublished else "unpublish"
        self.unpublished = kind == "unpublish" or (self.unpublished and kind == "edit")
        self.process.stdin.write(kind + "\n")
        self.process.stdin.flush()
        return self._read()

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"bench/change.py exited ({self.process.wait(timeout=10)})")
        return json.loads(line)

    def __exit__(self, *exc) -> None:
        # Closing stdin makes the child publish the release again if it is a draft.
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _connect(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    connection.connect()
    return connection, parts.path + (f"?{parts.query}" if parts.query else "")


def _get(connection: http.client.HTTPConnection, target: str) -> dict:
    began = time.perf_counter()
    connection.request("GET", target)
    response = connection.getresponse()
    response.read()
    return {
        "ms": (time.perf_counter() - began) * 1000,
        "status": response.status,
        "cache": response.getheader("X-Newsroom-Cache", "none"),
    }


def get(url: str) -> dict:
    """One request on a new connection, as a new reader makes it."""
    connection, target = _connect(url)
    try:
        return _get(connection, target)
    finally:
        connection.close()


def first_requests(base_url: str, urls: dict[str, str], changer: Changer, changes: int) -> dict:
    """Per page: the latency of the first request after each of ``changes`` changes."""
    samples: dict[str, list[dict]] = {name: [] for name in urls}
    saves = []
    for _ in range(changes):
        saves.append(changer.change()["save_ms"])
        for name, path in urls.items():
            samples[name].append(get(base_url + path))
    if changer.unpublished:
        changer.change("publish")
    for path in urls.values():
        get(base_url + path)  # every page cached again before the edit
    changer.change("edit")
    after_edit = {name: get(base_url + path) for name, path in urls.items()}
    pages = {}
    for name, found in samples.items():
        times = [sample["ms"] for sample in found]
        pages[name] = {
            "p50_ms": statistics.median(times),
            "p95_ms": percentile(times, 95),
            "max_ms": max(times),
            "answers": [sample["cache"] for sample in found],
            "errors": sum(sample["status"] != 200 for sample in found),
            "after_edit": after_edit[name]["cache"],
            "after_edit_ms": after_edit[name]["ms"],
        }
    return {"changes": changes, "save_ms": statistics.median(saves), "pages": pages}


def stampede(url: str, changer: Changer, readers: int) -> dict:
    """``readers`` simultaneous first requests to ``url`` right after a change."""
    get(url)  # the page of the current state is cached: the previous page, after the change
    connections = [_connect(url) for _ in range(readers)]
    changer.change()
    start = threading.Barrier(readers)
    results: list[dict] = []
    lock = threading.Lock()

    def reader(connection, target):
        start.wait()
        try:
            result = _get(connection, target)
        except (OSError, http.client.HTTPException) as error:
            result = {"ms": TIMEOUT * 1000.0, "status": 0, "cache": f"error: {error}"}
        with lock:
            results.append(result)

    threads = [threading.Thread(target=reader, args=pair) for pair in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 10)
    for connection, _ in connections:
        connection.close()
    times = [result["ms"] for result in results]
    answers: dict[str, int] = {}
    for result in results:
        answers[result["cache"]] = answers.get(result["cache"], 0) + 1
    return {
        "url": url,
        "readers": readers,
        # A render answers "miss" (stored), "stale" (stored a moment: data of the
        # previous state) or no header at all (not stored); "hit" and "previous" did not.
        "renders": readers - answers.get("hit", 0) - answers.get("previous", 0),
        "answers": answers,
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 95),
        "max_ms": max(times),
        "errors": sum(result["status"] != 200 for result in results),
    }
