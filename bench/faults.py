"""Load and faults: the site under 64 connections while an editor works, while
PostgreSQL restarts and while Redis restarts (issue 12). Loopback only, bounded in time
(about 4 minutes with the defaults).

    .venv/bin/python bench/faults.py [--duration 60] [--fault-duration 40] [--down 5]
                                     [--count 5000] [--connections 64] [--doc | --no-doc]

1. Starts a PostgreSQL cluster and a Redis server of its own on free loopback ports
   (``bench/fault_services.py``: the machine's servers are never touched), seeds
   ``--count`` releases (``bench/seed.py``), and starts the product with gunicorn as the
   benchmark does (``bench/servers.py``: 2 sync workers, production settings, the page
   cache on, ``REDIS_URL`` its Redis).
2. **Editing**: ``wrk`` with ``--connections`` connections (2 threads) for ``--duration``
   seconds over a mix of public pages (``bench/fault_editor.py targets``), while
   ``bench/fault_editor.py run`` edits, unpublishes, publishes and withdraws releases
   every 0.1-0.5 s and checks each change is visible on the public surface. Needs: no
   5xx, every change visible within 1 s.
3. **PostgreSQL restart**: the same load for ``--fault-duration`` seconds; after 10 s the
   cluster is stopped (``pg_ctl stop -m fast``, which ends every session), left down
   ``--down`` seconds, then started again. Needs: no 5xx but 503, every 503 with
   ``Retry-After``, 200s again afterwards from the same gunicorn workers (their pids).
   A prober requests a page every 0.1 s to time the recovery.
4. **Redis restart**: the same load, the editor working, Redis stopped after 10 s and
   started again (empty) ``--down`` seconds later. Needs: no 5xx.

Writes everything to ``bench/results/faults.json`` and, after a run at full length
(``--duration`` ≥ 60, or with ``--doc``), the "Load and faults" section of
``docs/performance.md`` (between its ``faults:latest`` markers). Exits 1 when a
requirement is missed. Everything it started is stopped whatever happens (Ctrl-C,
SIGTERM, an error). Uses ``wrk`` (Debian package) for the load; ``make bench-faults``
installs it when run as root.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, ROOT, django_env
from bench.fault_services import PostgresCluster, RedisServer, pg_bin
from bench.servers import Server

PYTHON = str(ROOT / ".venv" / "bin" / "python")
LUA = Path(__file__).with_name("wrk_faults.lua")
DOC = ROOT / "docs" / "performance.md"
DOC_START = "<!-- faults:latest -->"
DOC_END = "<!-- faults:latest:end -->"
FAULT_AT = 10.0  # seconds into a fault scenario's load
PROBE_EVERY = 0.1
began_at = time.monotonic()


def say(message: str) -> None:
    elapsed = int(time.monotonic() - began_at)
    print(f"[{elapsed // 60:2d}:{elapsed % 60:02d}] {message}", flush=True)


# -- load ----------------------------------------------------------------------------------


class Wrk:
    """One ``wrk`` run over ``paths`` in the background; ``result()`` waits and parses."""

    def __init__(self, base_url: str, paths: list[str], seconds: float, options) -> None:
        command = [
            "wrk",
            "--threads", str(options.threads),
            "--connections", str(options.connections),
            "--duration", f"{max(1, round(seconds))}s",
            "--timeout", "10s",
            "--script", str(LUA),
            base_url + "/",
        ]  # fmt: skip
        env = {**os.environ, "WRK_PATHS": ",".join(paths)}
        self.seconds = seconds
        self.started = time.time()
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def result(self) -> dict:
        stdout, stderr = self.process.communicate(timeout=self.seconds + 60)
        if self.process.returncode:
            raise RuntimeError(f"wrk failed ({self.process.returncode}): {stderr[-2000:]}")
        by_second: dict[int, Counter] = {}
        retry_after: Counter = Counter()
        for second, status, count in re.findall(r"^faults-count (\d+) (\d+) (\d+)$", stdout, re.M):
            by_second.setdefault(int(second), Counter())[int(status)] += int(count)
        for second, count in re.findall(r"^faults-retry-after (\d+) (\d+)$", stdout, re.M):
            retry_after[int(second)] += int(count)
        errors = re.search(r"^faults-errors (\d+) (\d+) (\d+) (\d+)$", stdout, re.M)
        latency = re.search(r"^faults-latency-us (\d+) (\d+) (\d+)$", stdout, re.M)
        done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", stdout)
        seconds = float(done[2]) * {"ms": 0.001, "s": 1.0, "m": 60.0}[done[3]]
        statuses: Counter = Counter()
        for counts in by_second.values():
            statuses.update(counts)
        requests = sum(statuses.values())
        socket_errors = dict(
            zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)
        )
        return {
            "requests": requests,
            "seconds": seconds,
            "rps": requests / seconds if seconds else 0.0,
            "statuses": {str(status): n for status, n in sorted(statuses.items())},
            "status_5xx": sum(n for status, n in statuses.items() if status >= 500),
            "status_500": sum(
                n for status, n in statuses.items() if status >= 500 and status != 503
            ),
            "status_503": statuses.get(503, 0),
            "status_503_retry_after": sum(retry_after.values()),
            "status_other_errors": sum(n for status, n in statuses.items() if 400 <= status < 500),
            "socket_errors": socket_errors,
            "p50_ms": int(latency[1]) / 1000,
            "p95_ms": int(latency[2]) / 1000,
            "p99_ms": int(latency[3]) / 1000,
            # Seconds relative to the start of the load: {second: {status: n}}.
            "timeline": {
                str(second - int(self.started)): {str(s): n for s, n in sorted(counts.items())}
                for second, counts in sorted(by_second.items())
            },
        }


class Prober(threading.Thread):
    """A page every ``PROBE_EVERY`` s on a new connection: (time.time(), status,
    has Retry-After), to time an outage and a recovery more finely than wrk's seconds."""

    def __init__(self, base_url: str, path: str) -> None:
        super().__init__(daemon=True)
        self.port = int(base_url.rsplit(":", 1)[1])
        self.path = path
        self.samples: list[tuple[float, int, bool]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                connection.request("GET", self.path, headers={"Connection": "close"})
                response = connection.getresponse()
                response.read()
                sample = (time.time(), response.status, bool(response.getheader("Retry-After")))
            except (OSError, http.client.HTTPException):
                sample = (time.time(), 0, False)
            finally:
                connection.close()
            self.samples.append(sample)
            self.halt.wait(PROBE_EVERY)

    def stop(self) -> list[tuple[float, int, bool]]:
        self.halt.set()
        self.join(timeout=15)
        return self.samples


class Editor:
    """``bench/fault_editor.py run`` in the background; ``result()`` waits for its summary."""

    def __init__(self, base_url: str, database_url: str, redis_url: str, seconds: float):
        self.process = subprocess.Popen(
            [
                PYTHON, "bench/fault_editor.py", "run",
                "--database-url", database_url, "--redis-url", redis_url,
                "--base-url", base_url, "--duration", str(seconds),
            ],
            cwd=ROOT,
            env=django_env(database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.seconds = seconds

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def result(self) -> dict:
        stdout, stderr = self.process.communicate(timeout=self.seconds + 60)
        lines = []
        for line in stdout.splitlines():
            with contextlib.suppress(ValueError):  # a line cut by a dying process
                lines.append(json.loads(line))
        summary = next((line["summary"] for line in lines if "summary" in line), None)
        if self.process.returncode or summary is None:
            raise RuntimeError(f"the editor failed ({self.process.returncode}): {stderr[-3000:]}")
        late = [line for line in lines if "kind" in line and (line["visible_s"] or 99) >= 1.0]
        return {**summary, "late": late[:20]}


# -- scenarios -----------------------------------------------------------------------------


def editing(server: Server, mix: list[str], options, pg, redis) -> dict:
    say(
        f"Editing: {options.connections} connections × {options.duration:.0f} s, "
        "an editor saving every 0.1-0.5 s…"
    )
    load = Wrk(server.base_url, mix, options.duration, options)
    editor = None
    try:
        time.sleep(1)
        # The editor stops early enough for its last checks to run under load too.
        editor = Editor(server.base_url, pg.url, redis.url, max(1.0, options.duration - 6))
        found = {"load": load.result(), "editor": editor.result()}
    finally:
        load.stop()
        if editor:
            editor.stop()
    found["requirements"] = {
        "no 5xx": found["load"]["status_5xx"] == 0,
        # Seen by every reader asking 1 s or more after the save (fault_editor.check).
        "every change visible within 1 s": (
            found["editor"]["changes"] > 0
            and found["editor"]["not_visible"] == 0
            and (found["editor"]["stale_sent_max_s"] or 0) < 1.0
        ),
    }
    return found


def postgres_restart(server: Server, mix: list[str], options, pg) -> dict:
    say(
        f"PostgreSQL restart: {options.connections} connections × {options.fault_duration:.0f} s, "
        f"the cluster stopped after {FAULT_AT:.0f} s for {options.down:.0f} s…"
    )
    pids = sorted(server.worker_pids())
    load = Wrk(server.base_url, mix, options.fault_duration, options)
    prober = Prober(server.base_url, "/releases/")
    prober.start()
    events = {}
    try:
        time.sleep(FAULT_AT)
        events["stop"] = time.time()
        pg.stop("fast")
        events["stopped"] = time.time()
        time.sleep(options.down)
        events["start"] = time.time()
        pg.start()
        events["started"] = time.time()  # accepting connections (pg_ctl start -w)
        found = {"load": load.result()}
    finally:
        load.stop()
        samples = prober.stop()
    found.update(outage(samples, events, load.started))
    found["worker_pids_before"] = pids
    found["worker_pids_after"] = sorted(server.worker_pids())
    statuses = found["load"]["statuses"]
    found["requirements"] = {
        "no 500 (5xx other than 503)": found["load"]["status_500"] == 0,
        "503 with Retry-After while down": (
            found["load"]["status_503"] > 0
            and found["load"]["status_503_retry_after"] == found["load"]["status_503"]
        ),
        "200 again after, same workers": (
            found["recovered_after_s"] is not None
            and int(statuses.get("200", 0)) > 0
            and found["worker_pids_after"] == pids
            and bool(pids)
        ),
    }
    return found


def redis_restart(server: Server, mix: list[str], options, pg, redis) -> dict:
    say(
        f"Redis restart: {options.connections} connections × {options.fault_duration:.0f} s, "
        f"an editor working, Redis stopped after {FAULT_AT:.0f} s for {options.down:.0f} s…"
    )
    pids = sorted(server.worker_pids())
    load = Wrk(server.base_url, mix, options.fault_duration, options)
    prober = Prober(server.base_url, "/releases/")
    prober.start()
    editor = None
    events = {}
    try:
        time.sleep(1)
        editor = Editor(server.base_url, pg.url, redis.url, max(1.0, options.fault_duration - 6))
        time.sleep(FAULT_AT - 1)
        events["stop"] = time.time()
        redis.stop()
        events["stopped"] = time.time()
        time.sleep(options.down)
        events["start"] = time.time()
        redis.start()
        events["started"] = time.time()
        found = {"load": load.result(), "editor": editor.result()}
    finally:
        load.stop()
        if editor:
            editor.stop()
        samples = prober.stop()
    found.update(outage(samples, events, load.started))
    found["worker_pids_before"] = pids
    found["worker_pids_after"] = sorted(server.worker_pids())
    found["requirements"] = {
        "no 5xx": found["load"]["status_5xx"] == 0 and not found["probe_statuses"].get("5xx"),
    }
    return found


def outage(samples: list, events: dict, load_started: float) -> dict:
    """The prober's view of a fault: statuses while down and after, and the time from
    the service accepting connections again to the first 200 (None: never)."""
    down = [s for s in samples if events["stop"] <= s[0] < events["started"]]
    after = [s for s in samples if s[0] >= events["started"]]
    first_ok = next((s[0] for s in after if s[1] == 200), None)
    last_bad = max((s[0] for s in samples if s[1] != 200), default=None)
    statuses = Counter(str(s[1]) for s in samples)
    statuses["5xx"] = sum(1 for s in samples if s[1] >= 500 and s[1] != 503)
    return {
        "events_s": {name: round(at - load_started, 2) for name, at in events.items()},
        "probe_statuses": dict(statuses),
        "probe_while_down": dict(Counter(str(s[1]) for s in down)),
        "probe_503_without_retry_after": sum(1 for s in samples if s[1] == 503 and not s[2]),
        "recovered_after_s": round(first_ok - events["started"], 3) if first_ok else None,
        "last_non_200_s": round(last_bad - load_started, 2) if last_bad else None,
    }


# -- the run -------------------------------------------------------------------------------


def machine() -> dict:
    def command(*args: str) -> str:
        try:
            return subprocess.run(
                args, capture_output=True, text=True, check=False, cwd=ROOT, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": command("git", "rev-parse", "--short", "HEAD"),
        "tree_changed": bool(command("git", "status", "--porcelain", "--untracked-files=no")),
        "cpus": os.cpu_count(),
        "cpu": cpu[1] if cpu else "",
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
        # "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
        "postgresql": (command(str(pg_bin() / "postgres"), "--version").split() + ["?"] * 3)[2],
        "redis": command("redis-server", "--version").split(" v=")[-1].split(" ")[0],
        "wrk": command("wrk", "--version").splitlines()[0].split(" [")[0],
    }


def run_json(args: list[str], database_url: str) -> dict:
    done = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=django_env(database_url), capture_output=True,
        text=True, check=False, timeout=600,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def warm(server: Server, mix: list[str]) -> dict[str, int]:
    """Each page of the mix once: its status (the load of an error page measures nothing)."""
    port = server.port
    found = {}
    for path in mix:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        connection.close()
        found[path] = response.status
    return found


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="Seconds of the editing run.")
    parser.add_argument(
        "--fault-duration", type=float, default=40, help="Seconds of each fault run (≥ 20)."
    )
    parser.add_argument("--down", type=float, default=5, help="Seconds a service stays down.")
    parser.add_argument("--count", type=int, default=5000, help="Releases seeded.")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--scenarios", default="editing,postgres,redis", help="Some of editing, postgres, redis."
    )
    parser.add_argument(
        "--doc",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Write docs/performance.md (default: after a full-length run).",
    )
    options = parser.parse_args(argv)
    options.scenarios = options.scenarios.split(",")
    if options.fault_duration < FAULT_AT + options.down + 5:
        parser.error(f"--fault-duration must be at least {FAULT_AT + options.down + 5:.0f} s")
    return options


def main(argv=None) -> int:
    options = parse(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (or: make bench-faults as root)")
    # SIGTERM and SIGHUP unwind like Ctrl-C: every server started here is stopped.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(143))
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "command": "bench/faults.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "options": {k: v for k, v in vars(options).items() if k != "doc"},
        "scenarios": {},
    }
    pg, redis, server = PostgresCluster(), RedisServer(), None
    try:
        pg.start()
        pg.create_database()
        redis.start()
        say(f"PostgreSQL of its own on :{pg.port}, Redis on :{redis.port}; seeding…")
        subprocess.run(
            [PYTHON, "bench/seed.py", "--count", str(options.count), "--database-url", pg.url],
            cwd=ROOT, env=django_env(pg.url), check=True, stdout=subprocess.DEVNULL, timeout=900,
        )  # fmt: skip
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=django_env(pg.url), check=True, timeout=600,
        )  # fmt: skip
        mix = run_json(
            [
                "bench/fault_editor.py",
                "targets",
                "--database-url",
                pg.url,
                "--redis-url",
                redis.url,
            ],
            pg.url,
        )["mix"]
        results["mix"] = mix
        server = Server(
            "faults",
            "newsroom.wsgi:application",
            django_env(pg.url, REDIS_URL=redis.url),
            "/healthz",
        )
        server.start()
        server.wait_ready()
        results["warm_up"] = warm(server, mix)
        if bad := {path: status for path, status in results["warm_up"].items() if status != 200}:
            raise RuntimeError(f"pages of the mix that do not answer 200: {bad}")
        say(f"gunicorn on :{server.port} (workers {server.worker_pids()}), {len(mix)} pages")
        if "editing" in options.scenarios:
            results["scenarios"]["editing"] = editing(server, mix, options, pg, redis)
            report_one("editing", results["scenarios"]["editing"])
        if "postgres" in options.scenarios:
            results["scenarios"]["postgres_restart"] = postgres_restart(server, mix, options, pg)
            report_one("postgres_restart", results["scenarios"]["postgres_restart"])
        if "redis" in options.scenarios:
            results["scenarios"]["redis_restart"] = redis_restart(server, mix, options, pg, redis)
            report_one("redis_restart", results["scenarios"]["redis_restart"])
    finally:
        if server:
            server.stop()
        redis.close()
        pg.close()
    results["total_seconds"] = round(time.monotonic() - began_at)
    results["machine"]["load_average_end"] = os.getloadavg()
    results["passed"] = all(
        all(scenario["requirements"].values()) for scenario in results["scenarios"].values()
    )
    results["markdown"] = markdown(results)
    (RESULTS / "faults.json").write_text(json.dumps(results, indent=2, default=str))
    print("\n" + results["markdown"], flush=True)
    full = options.duration >= 60 and set(options.scenarios) == {"editing", "postgres", "redis"}
    if options.doc or (options.doc is None and full):
        write_doc(results["markdown"])
        say(f"Written to {DOC.relative_to(ROOT)} (Load and faults).")
    say(f"Everything measured: {RESULTS / 'faults.json'}.")
    return 0 if results["passed"] else 1


def report_one(name: str, found: dict) -> None:
    load = found["load"]
    say(
        f"    {load['requests']:,} requests, {load['rps']:.0f} req/s, statuses {load['statuses']}, "
        f"socket errors {load['socket_errors']}"
    )
    if editor := found.get("editor"):
        say(
            f"    {editor['changes']} changes, visible p95 {editor['visible_p95_s'] or 0:.2f} s, "
            f"max {editor['visible_max_s'] or 0:.2f} s, not visible {editor['not_visible']}, "
            f"stale answers {editor['stale_answers']}"
            + (
                f" (sent up to {editor['stale_sent_max_s']} s, answered up to "
                f"{editor['stale_answered_max_s']} s after the save)"
                if editor["stale_answers"]
                else ""
            )
            + f", answers p50 {editor['answer_p50_s'] or 0:.2f} s"
        )
    if "recovered_after_s" in found:
        say(
            f"    events {found['events_s']}, prober while down {found['probe_while_down']}, "
            f"recovered {found['recovered_after_s']} s after the restart"
        )
    for requirement, met in found["requirements"].items():
        say(f"    {'MET ' if met else 'MISS'}  {requirement}")


# -- the document --------------------------------------------------------------------------


def _s(value) -> str:
    return "–" if value is None else f"{value:.2f} s"


def markdown(results: dict) -> str:
    m = results["machine"]
    o = results["options"]
    when = dt.datetime.fromisoformat(m["date"])
    lines = [
        f"### Run of {when:%d %B %Y, %H:%M} UTC — "
        + ("all requirements met" if results["passed"] else "**requirements missed**"),
        "",
        f"Commit `{m['commit']}`{' (with uncommitted changes)' if m['tree_changed'] else ''}; "
        f"{m['cpus']} CPUs ({m['cpu']}) shared by the load generator, the editor, both "
        f"workers, PostgreSQL and Redis (load average {m['load_average'][0]:.1f} at the start, "
        f"{m['load_average_end'][0]:.1f} at the end, the run's own processes included), so "
        f"the throughput is a floor, not the product's capacity. Python {m['python']}, "
        f"PostgreSQL {m['postgresql']} and Redis {m['redis']} of the run's own, {m['wrk']}; "
        f"{o['count']:,} releases; gunicorn with 2 sync workers; "
        f"`{results['command'].strip()}` ({results['total_seconds']} s in all).",
        "",
        "| Scenario | Requests | req/s | p95 | Statuses | Socket errors |",
        "|---|---:|---:|---:|---|---|",
    ]
    names = {
        "editing": f"{o['connections']} connections × {o['duration']:.0f} s, editor saving",
        "postgres_restart": (
            f"PostgreSQL stopped {o['down']:.0f} s during {o['fault_duration']:.0f} s"
        ),
        "redis_restart": f"Redis stopped {o['down']:.0f} s during {o['fault_duration']:.0f} s",
    }
    scenarios = results["scenarios"]
    for name, found in scenarios.items():
        load = found["load"]
        statuses = ", ".join(f"{status}: {n:,}" for status, n in load["statuses"].items())
        errors = sum(load["socket_errors"].values())
        lines.append(
            f"| {names[name]} | {load['requests']:,} | {load['rps']:.0f} | {load['p95_ms']:.0f} ms "
            f"| {statuses} | {errors or 'none'} |"
        )
    lines += ["", "| Requirement | Measured | Met |", "|---|---|---|"]

    def row(requirement: str, measured: str, met: bool) -> None:
        lines.append(f"| {requirement} | {measured} | {'yes' if met else '**no**'} |")

    if found := scenarios.get("editing"):
        load, editor, met = found["load"], found["editor"], found["requirements"]
        row("Editing under load: no 5xx", f"{load['status_5xx']} 5xx, "
            f"{load['status_other_errors']} 4xx", met["no 5xx"])  # fmt: skip
        kinds = ", ".join(f"{n} {kind}" for kind, n in editor["kinds"].items())
        row(
            "Editing under load: every change visible within 1 s",
            f"{editor['changes']} changes ({kinds}); {editor['stale_answers']} "
            f"answer{'' if editor['stale_answers'] == 1 else 's'} showed an earlier state"
            + (
                f", to requests sent at most {_s(editor['stale_sent_max_s'])} after the save "
                f"(answered up to {_s(editor['stale_answered_max_s'])} after it; page cache: "
                f"{editor['stale_by_cache']}; {editor['taken_down_shown']} of them the page "
                "of a release just unpublished or withdrawn)"
                if editor["stale_answers"]
                else ""
            )
            + f"; every answer current for requests sent from {_s(editor['visible_p50_s'])} "
            f"(p50), {_s(editor['visible_p95_s'])} (p95), {_s(editor['visible_max_s'])} (max) "
            f"after the save; {editor['not_visible']} never seen; the checker's requests were "
            f"answered in {_s(editor['answer_p50_s'])} (p50) under the load",
            met["every change visible within 1 s"],
        )
    if found := scenarios.get("postgres_restart"):
        load, met = found["load"], found["requirements"]
        row(
            "PostgreSQL restart: no 500",
            f"{load['status_500']} 5xx other than 503",
            met["no 500 (5xx other than 503)"],
        )
        row(
            "PostgreSQL restart: 503 with Retry-After while down",
            f"{load['status_503']:,} 503, {load['status_503_retry_after']:,} of them with "
            f"Retry-After; prober while down: {found['probe_while_down']}",
            met["503 with Retry-After while down"],
        )
        same = found["worker_pids_after"] == found["worker_pids_before"]
        row(
            "PostgreSQL restart: recovery without restarting workers",
            f"first 200 {_s(found['recovered_after_s'])} after PostgreSQL accepted connections "
            f"again; worker pids {'unchanged' if same else 'changed'} "
            f"({', '.join(map(str, found['worker_pids_after']))})",
            met["200 again after, same workers"],
        )
    if found := scenarios.get("redis_restart"):
        load, met = found["load"], found["requirements"]
        editor = found.get("editor") or {}
        row(
            "Redis restart: no 5xx",
            f"{load['status_5xx']} 5xx, {load['status_other_errors']} 4xx; editor meanwhile: "
            f"{editor.get('changes', 0)} changes, {editor.get('stale_answers', 0)} answers "
            "with an earlier state"
            + (
                f", to requests sent at most {_s(editor.get('stale_sent_max_s'))} after the save"
                if editor.get("stale_answers")
                else ""
            ),
            met["no 5xx"],
        )
    return "\n".join(lines)


def write_doc(text: str) -> None:
    """Put ``text`` between the faults markers of docs/performance.md."""
    document = DOC.read_text()
    start = document.index(DOC_START) + len(DOC_START)
    end = document.index(DOC_END)
    DOC.write_text(document[:start] + "\n\n" + text.strip() + "\n\n" + document[end:])


if __name__ == "__main__":
    sys.exit(main())
