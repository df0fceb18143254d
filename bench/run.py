"""``make bench``: Newsroom against the targets of issue 11, in one run.

    .venv/bin/python bench/run.py [--duration 10] [--sizes 10000,100000]
                                  [--modes default,redis] [--pages list,detail]
                                  [--changes 20] [--readers 16] [--exports csv,ndjson]
                                  [--skip-seed] [--doc | --no-doc] [--report]

1. Seeds (if needed) the benchmark databases: 100,000 releases in ``newsroom_bench`` and
   10,000 in ``newsroom_bench10k`` (``bench/seed.py``).
2. For each size, in one Django process (``bench/inprocess.py``, page cache off): SQL
   queries and render latency of every page, full-text search, the admin changelist.
3. For each size and mode (the product's default settings; then with ``REDIS_URL`` set,
   its Redis database flushed first), one gunicorn server with 2 sync workers on a free
   loopback port, next to the bare hello view's: every page under ``wrk -t2 -c16`` after
   a warm-up, between two runs of hello; then, after changes to the data
   (``bench/change.py``), the first request to every page and a stampede of concurrent
   first readers (``bench/cold.py``); then the resident memory of each worker.
4. Exports every release (100,000): time and peak memory.

Prints progress, then the verdicts and the Markdown of the results; writes everything to
``bench/results/latest.json`` and, after a complete run (or with ``--doc``), puts the
results at the top of ``docs/performance.md`` with the earlier ones moved below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cold, exports, load
from bench.common import BENCH_REDIS_URL, DATABASES, RESULTS, ROOT, django_env
from bench.servers import WORKERS, Server, running

PYTHON = str(ROOT / ".venv" / "bin" / "python")
DOC = ROOT / "docs" / "performance.md"
LATEST_START, LATEST_END = "<!-- bench:latest -->", "<!-- bench:latest:end -->"
PREVIOUS = "<!-- bench:previous -->"
NO_RESULTS = "<!-- bench:none -->"

PAGES = {
    "home": "Home `/`",
    "list": "List `/releases/`",
    "filtered": "Filtered list `?tag=…&organization=…`",
    "tag": "Tag page",
    "organization": "Organization page",
    "archive_year": "Archive, a year",
    "archive_month": "Archive, a month",
    "detail": "Release page",
    "atom": "Atom feed",
    "rss": "RSS feed",
    "api_list": "API list `/api/releases/`",
    "api_detail": "API detail",
    "sitemap": "Sitemap index",
    "sitemap_section": "Sitemap section (releases)",
    "search_common": "Search, common word",
    "search_rare": "Search, rare word",
    "page_2000": "List page 2,000",
}
MODES = {"default": "default settings", "redis": "REDIS_URL set"}
STAMPEDE_PAGES = ("list", "detail")
MEASURE = ["bench/inprocess.py", "measure", "--search", "--admin"]
WARM_UP_SECONDS = 2

# The targets of issue 11 (at 100,000 releases).
HELLO_SHARE = 0.25
REDIS_TOLERANCE = 0.9  # "no slower": within the run's noise (±10 % between runs)
COLD_P95_MS = 100
SEARCH_P95_MS, SEARCH_PAGE_P95_MS = 50, 150
DEEP_RATIO = 1.5
RSS_MB = 300
DETAIL_QUERIES = 6
EXPORT_SECONDS, EXPORT_MB = 30, 200

began_at = time.monotonic()


def say(message: str) -> None:
    elapsed = int(time.monotonic() - began_at)
    print(f"[{elapsed // 60:3d}:{elapsed % 60:02d}] {message}", flush=True)


def size_label(size: int) -> str:
    return f"{size // 1000:,}k"


def run_json(args: list[str], database_url: str) -> dict:
    output = subprocess.run(
        [PYTHON, *args, "--database-url", database_url],
        cwd=ROOT,
        env=django_env(database_url),
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if output.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def seed(database_url: str, count: int) -> float:
    began = time.monotonic()
    subprocess.run(
        [PYTHON, "bench/seed.py", "--count", str(count), "--database-url", database_url],
        cwd=ROOT,
        check=True,
    )
    return time.monotonic() - began


def redis_client():
    """A client of ``BENCH_REDIS_URL``, or None when Redis does not answer."""
    try:
        import redis

        client = redis.Redis.from_url(BENCH_REDIS_URL, socket_timeout=5)
        client.ping()
        return client
    except Exception:
        return None


# -- load --------------------------------------------------------------------------------


def page_error(url: str) -> str | None:
    """Why ``url`` does not answer 200, or None: an error page would be benchmarked."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - loopback only
            return None if response.status == 200 else f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except OSError as error:
        return str(error)


def loaded(url: str, duration: float, *, label: str = "") -> dict:
    """One measured load of ``url``, after an unrecorded warm-up (caches, pools).

    A page that does not answer 200 is reported (``error``, 0 req/s), not measured.
    """
    if error := page_error(url):
        say(f"    {label:16} {error}  {url} (not measured; see bench/results/gunicorn-*.log)")
        return {"url": url, "rps": 0.0, "p50_ms": None, "p95_ms": None, "error": error}
    load.measure(url, duration=min(WARM_UP_SECONDS, duration))
    result = load.measure(url, duration=duration).as_dict()
    say(
        f"    {label:16} {result['rps']:8.1f} req/s  p50 {result['p50_ms'] or 0:6.1f} ms  "
        f"p95 {result['p95_ms'] or 0:6.1f} ms"
        + (f"  {result['errors']} failed responses" if result["errors"] else "")
    )
    return result


class HelloPairs:
    """Each page measured between two runs of the hello view, compared with their mean:
    other work on the machine moves every number, pairing keeps the drift out of ratios."""

    def __init__(self, hello: Server, duration: float):
        self.url = hello.base_url + "/"
        self.duration = max(2.0, duration / 2)
        self.runs: list[dict] = []

    def measure(self, url: str, duration: float, label: str) -> dict:
        if not self.runs:
            self.runs.append(loaded(self.url, self.duration, label="hello"))
        before = self.runs[-1]
        result = loaded(url, duration, label=label)
        after = loaded(self.url, self.duration, label="hello")
        self.runs.append(after)
        result["hello_rps"] = (before["rps"] + after["rps"]) / 2
        result["ratio"] = result["rps"] / result["hello_rps"] if result["hello_rps"] else 0.0
        return result


def measure_server(
    server: Server, urls: dict, pairs: HelloPairs, options, database_url: str
) -> dict:
    """Everything measured against one product server: load, cold, stampede, memory."""
    found: dict = {"pages": {}, "stampede": {}}
    for name, path in urls.items():
        found["pages"][name] = pairs.measure(server.base_url + path, options.duration, name)
    if options.changes or options.readers:
        with cold.Changer(database_url) as changer:
            if options.changes:
                say(f"    first request to each page after a change (× {options.changes})…")
                found["cold"] = cold.first_requests(server.base_url, urls, changer, options.changes)
                for name, page in found["cold"]["pages"].items():
                    say(
                        f"    {name:16} first p95 {page['p95_ms']:7.1f} ms  "
                        f"({', '.join(page['answers'])})"
                    )
            if options.readers:
                for name in STAMPEDE_PAGES:
                    if name not in urls:
                        continue
                    result = cold.stampede(server.base_url + urls[name], changer, options.readers)
                    found["stampede"][name] = result
                    say(
                        f"    stampede {name}: {result['readers']} readers, "
                        f"{result['renders']} rendered, p95 {result['p95_ms']:.0f} ms "
                        f"{result['answers']}"
                    )
    found["worker_rss_mb"] = list(server.worker_rss_mb().values())
    say(f"    worker RSS: {', '.join(f'{mb:.0f} MB' for mb in found['worker_rss_mb'])}")
    return found


# -- the machine ---------------------------------------------------------------------------


def machine(database_url: str) -> dict:
    def command(*args: str) -> str:
        try:
            return subprocess.run(
                args, capture_output=True, text=True, check=False, cwd=ROOT, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": command("git", "rev-parse", "--short", "HEAD"),
        "tree_changed": bool(command("git", "status", "--porcelain", "--untracked-files=no")),
        "cpus": os.cpu_count(),
        "cpu": cpu[1] if cpu else platform.processor(),
        "memory_gb": round(int(memory[1]) / 1024 / 1024) if memory else None,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "postgresql": command("psql", database_url, "-Atc", "SHOW server_version"),
        "shared_buffers": command("psql", database_url, "-Atc", "SHOW shared_buffers"),
        "redis": command("redis-server", "--version").split(" v=")[-1].split(" ")[0] or None,
        "wrk": command("wrk", "--version").splitlines()[0].split(" [")[0]
        if load.tool() == "wrk"
        else None,
        "load_tool": load.tool(),
        "threads": load.THREADS,
        "connections": load.CONNECTIONS,
    }


# -- verdicts and tables -----------------------------------------------------------------


def verdicts(results: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met?) for every target of issue 11, at the largest size run;
    met is None where it was not measured."""
    found: list[tuple[str, str, bool | None]] = []
    size = str(max(int(key) for key in results["sizes"]))
    at = results["sizes"][size]
    where = f" ({size_label(int(size))})"
    modes = at["modes"]
    default, redis_mode = modes.get("default"), modes.get("redis")

    def missing(target: str, why: str) -> None:
        found.append((target, why, None))

    target = f"every page ≥ {HELLO_SHARE:.0%} of hello, default settings{where}"
    if default:
        ratios = {n: p["ratio"] for n, p in default["pages"].items() if "ratio" in p}
        low = {n: r for n, r in ratios.items() if r < HELLO_SHARE}
        worst = min(ratios, key=ratios.get)
        found.append(
            (
                target,
                f"lowest {worst} {ratios[worst]:.0%}"
                + (f"; below: {', '.join(f'{n} {r:.0%}' for n, r in low.items())}" if low else "")
                + ("; errors: " + ", ".join(e) if (e := _errors(default)) else ""),
                not low and not _errors(default),
            )
        )
    else:
        missing(target, "not measured")
    target = f"with REDIS_URL no slower than without (≥ {REDIS_TOLERANCE:.0%} of its req/s){where}"
    if default and redis_mode:
        shares = {
            n: redis_mode["pages"][n]["rps"] / page["rps"]
            for n, page in default["pages"].items()
            if page.get("rps") and n in redis_mode["pages"]
        }
        worst = min(shares, key=shares.get)
        found.append(
            (
                target,
                f"slowest {worst} at {shares[worst]:.0%} of its default req/s; "
                f"median {statistics.median(shares.values()):.0%}"
                + ("; errors: " + ", ".join(e) if (e := _errors(redis_mode)) else ""),
                shares[worst] >= REDIS_TOLERANCE and not _errors(redis_mode),
            )
        )
    else:
        missing(target, "not measured")
    for mode, label in MODES.items():
        target = f"first request after a change p95 < {COLD_P95_MS} ms, {label}{where}"
        if mode in modes and "cold" in modes[mode]:
            pages = modes[mode]["cold"]["pages"]
            slow = {n: p["p95_ms"] for n, p in pages.items() if p["p95_ms"] >= COLD_P95_MS}
            worst = max(pages, key=lambda n: pages[n]["p95_ms"])
            found.append(
                (
                    target,
                    f"slowest {worst} {pages[worst]['p95_ms']:.0f} ms; "
                    f"{len(slow)} of {len(pages)} pages over"
                    + (f" ({', '.join(sorted(slow))})" if slow else ""),
                    not slow,
                )
            )
        else:
            missing(target, "not measured")
    for mode, label in MODES.items():
        allowed = 1 if mode == "redis" else WORKERS
        target = (
            f"no stampede, {label}: one render "
            + ("in all" if mode == "redis" else "per worker at most")
            + where
        )
        if mode in modes and modes[mode]["stampede"]:
            runs = modes[mode]["stampede"]
            found.append(
                (
                    target,
                    "; ".join(
                        f"{n}: {r['readers']} readers, {r['renders']} rendered, "
                        f"p95 {r['p95_ms']:.0f} ms"
                        for n, r in runs.items()
                    ),
                    all(1 <= r["renders"] <= allowed and not r["errors"] for r in runs.values()),
                )
            )
        else:
            missing(target, "not measured")
    inprocess = at["inprocess"]
    search = inprocess.get("search")
    target = f"search_releases p95 < {SEARCH_P95_MS} ms in-process{where}"
    if search:
        found.append(
            (
                target,
                f"p95 {search['p95_ms']:.1f} ms (p50 {search['p50_ms']:.1f}, "
                f"max {search['max_ms']:.0f})",
                search["p95_ms"] < SEARCH_P95_MS,
            )
        )
    else:
        missing(target, "not measured")
    for mode, label in MODES.items():
        target = f"search page p95 < {SEARCH_PAGE_P95_MS} ms under load, {label}{where}"
        pages = modes.get(mode, {}).get("pages", {})
        measured = {n: pages[n] for n in ("search_common", "search_rare") if n in pages}
        if measured and all(p.get("p95_ms") is not None for p in measured.values()):
            found.append(
                (
                    target,
                    ", ".join(f"{n} {p['p95_ms']:.1f} ms" for n, p in measured.items()),
                    all(p["p95_ms"] < SEARCH_PAGE_P95_MS for p in measured.values()),
                )
            )
        else:
            missing(target, "not measured")
    rendered = inprocess["pages"]
    target = f"page 2,000 within {DEEP_RATIO}× of page 1{where}"
    if "page_2000" in rendered and "list" in rendered:
        render_ratio = rendered["page_2000"]["p50_ms_warm"] / rendered["list"]["p50_ms_warm"]
        served = [
            modes[m]["pages"]["list"]["rps"] / modes[m]["pages"]["page_2000"]["rps"]
            for m in modes
            if modes[m]["pages"].get("page_2000", {}).get("rps")
        ]
        found.append(
            (
                target,
                f"rendered {render_ratio:.2f}× (p50 {rendered['page_2000']['p50_ms_warm']:.1f} "
                f"vs {rendered['list']['p50_ms_warm']:.1f} ms)"
                + (f"; served under load {max(served):.2f}× (req/s)" if served else ""),
                render_ratio <= DEEP_RATIO and all(ratio <= DEEP_RATIO for ratio in served),
            )
        )
    else:
        missing(target, "not measured (no page 2,000 at this size)")
    target = f"release page ≤ {DETAIL_QUERIES} SQL queries{where}"
    if "detail" in rendered:
        page = rendered["detail"]
        found.append(
            (
                target,
                f"{page['queries_cold']} with empty caches, {page['queries_warm']} warm",
                max(page["queries_cold"], page["queries_warm"]) <= DETAIL_QUERIES,
            )
        )
    else:
        missing(target, "not measured")
    rss = {
        f"{size_label(int(s))} {m}": max(r["worker_rss_mb"])
        for s, sized in results["sizes"].items()
        for m, r in sized["modes"].items()
        if r.get("worker_rss_mb")
    }
    target = f"each worker's RSS < {RSS_MB} MB after the run"
    if rss:
        worst = max(rss, key=rss.get)
        found.append((target, f"largest {rss[worst]:.0f} MB ({worst})", rss[worst] < RSS_MB))
    else:
        missing(target, "not measured")
    for item in results.get("exports", []):
        if item["format"] in ("csv", "ndjson"):
            found.append(
                (
                    f"export {item['format'].upper()} < {EXPORT_SECONDS} s, < {EXPORT_MB} MB"
                    " (PRODUCT.md)",
                    f"{item['seconds']:.1f} s, {item['peak_rss_mb']:.0f} MB"
                    + (" (failed)" if item["exit_code"] else ""),
                    not item["exit_code"]
                    and item["seconds"] < EXPORT_SECONDS
                    and item["peak_rss_mb"] < EXPORT_MB,
                )
            )
    return found


def _errors(mode: dict) -> list[str]:
    return [
        f"{n} {p.get('error') or str(p['errors']) + ' failed'}"
        for n, p in mode["pages"].items()
        if p.get("error") or p.get("errors")
    ]


def _ms(value) -> str:
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def size_tables(size: int, sized: dict) -> list[str]:
    modes, rendered = sized["modes"], sized["inprocess"]["pages"]
    cold_of = {m: r.get("cold", {}).get("pages", {}) for m, r in modes.items()}
    lines = [
        f"### {size:,} releases",
        "",
        "| page | default req/s | % of hello | p50 / p95 ms | Redis req/s | % of hello "
        "| p50 / p95 ms | first after a change p95 ms (default / Redis) "
        "| SQL empty caches / warm | render p50 ms warm / empty caches |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, label in PAGES.items():
        if name not in rendered and not any(name in r["pages"] for r in modes.values()):
            continue
        cells = [label]
        for mode in MODES:
            page = modes.get(mode, {}).get("pages", {}).get(name)
            if page is None:
                cells += ["", "", ""]
            elif page.get("error"):
                cells += [page["error"], "", ""]
            else:
                cells += [
                    f"{page['rps']:,.0f}",
                    f"{page['ratio']:.0%}",
                    f"{_ms(page['p50_ms'])} / {_ms(page['p95_ms'])}",
                ]
        cells.append(
            " / ".join(
                _ms(cold_of[m][name]["p95_ms"]) if name in cold_of.get(m, {}) else "–"
                for m in MODES
            )
        )
        page = rendered.get(name)
        if page:
            cells += [
                f"{page['queries_cold']} / {page['queries_warm']}",
                f"{_ms(page['p50_ms_warm'])} / {_ms(page['p50_ms_cold'])}",
            ]
        else:
            cells += ["", ""]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for mode, label in MODES.items():
        if mode not in modes:
            continue
        run = modes[mode]
        parts = [
            f"{name} {r['renders']} rendered of {r['readers']} readers ({_answers(r)}), "
            f"p95 {_ms(r['p95_ms'])} ms"
            for name, r in run["stampede"].items()
        ]
        if parts:
            lines.append(f"- Stampede, {label}: " + "; ".join(parts) + ".")
        if run.get("cold"):
            retired = [
                n for n, page in run["cold"]["pages"].items() if page["after_edit"] == "miss"
            ]
            kept = [n for n, page in run["cold"]["pages"].items() if page["after_edit"] != "miss"]
            lines.append(
                f"- An edit of the newest release's text, {label}, retired "
                + (", ".join(retired) or "no page")
                + "; "
                + (", ".join(kept) or "no page")
                + " still answered from the cache."
            )
        if run.get("worker_rss_mb"):
            lines.append(
                f"- Worker RSS after the run, {label}: "
                + ", ".join(f"{mb:.0f} MB" for mb in run["worker_rss_mb"])
                + "."
            )
    targets, hit = sized["targets"], sized["inprocess"].get("hit")
    lines.append(
        f"- Subjects: filtered list `?tag={targets['filter_tag']}&organization="
        f"{targets['filter_organization']}` ({targets['filtered_releases']:,} releases), tag "
        f"`{targets['tag_page_tag']}`, organization `{targets['filter_organization']}`, archive "
        f"{targets['archive_year']} and {targets['archive_year']}-{targets['archive_month']:02d}, "
        f"search `{targets['common_word']}` ({targets['common_word_matches']:,} matches) and "
        f"`{targets['rare_word']}` ({targets['rare_word_matches']:,})."
    )
    if hit:
        lines.append(
            f"- A page cache hit in-process (list): {hit['queries']} SQL query, "
            f"p50 {hit['p50_ms']:.2f} ms."
        )
    search = sized["inprocess"].get("search")
    if search:
        lines.append(
            f"- `search_releases`, {search['queries']} queries × 2 (20 rows + count): p50 "
            f"{search['p50_ms']:.1f} ms, p95 {search['p95_ms']:.1f} ms, max "
            f"{search['max_ms']:.0f} ms (slowest: "
            + ", ".join(f"`{q['q']}` {q['ms']:.0f} ms" for q in search["slowest"][:3])
            + f"); as a page with empty caches and no page cache p50 "
            f"{search['page_p50_ms_cold']:.0f} ms, p95 {search['page_p95_ms_cold']:.0f} ms."
        )
    admin = sized["inprocess"].get("admin")
    if admin:
        lines.append(
            f"- Admin changelist (100 rows): p50 {admin['p50_ms']:.0f} ms, "
            f"{admin['queries_100_rows']} queries ({admin['queries_few_rows']} with "
            f"{admin['few_rows']} rows); search `?q=vaccine` p50 {admin['search_p50_ms']:.0f} ms."
        )
    return lines


def _answers(run: dict) -> str:
    return ", ".join(f"{count} {answer}" for answer, count in sorted(run["answers"].items()))


def markdown(results: dict) -> str:
    info = results["machine"]
    when = dt.datetime.fromisoformat(info["date"])
    hello = [run["rps"] for run in results["hello"]]
    lines = [
        f"## Results — {when:%-d %B %Y}",
        "",
        f"Measured with `make bench` ({results['command']}) at {when:%H:%M} UTC on commit "
        f"{info['commit']}"
        + (" (with other people's uncommitted changes in the tree)" if info["tree_changed"] else "")
        + f", in {results['total_seconds'] / 60:.0f} minutes. Machine: {info['cpus']} cores "
        f"({info['cpu']}), {info['memory_gb']} GB, PostgreSQL {info['postgresql']} "
        f"(`shared_buffers` {info['shared_buffers']}), Redis {info['redis'] or '–'}, Python "
        f"{info['python']}, {info['wrk'] or 'the Python load client (no wrk)'}. Load average "
        f"{info['load_average'][0]:.1f} at the start, {info['load_average_end'][0]:.1f} at the "
        "end (the benchmark's own servers and load generator count in it). Two cores: ratios "
        "to hello move by about ±10 % between runs, single latencies more.",
        "",
        f"Load: gunicorn, {WORKERS} sync workers; `wrk -t{info['threads']} "
        f"-c{info['connections']} -d{results['duration_s']:g}s` after a {WARM_UP_SECONDS} s "
        f"warm-up. Hello: median {statistics.median(hello):,.0f} req/s over {len(hello)} runs "
        f"({min(hello):,.0f}–{max(hello):,.0f}); each page is compared with the mean of the "
        "hello runs just before and after it. First request after a change: p95 of "
        f"{results['changes']} changes. Stampede: {results['readers']} concurrent first "
        "readers.",
        "",
    ]
    for size in sorted(results["sizes"], key=int, reverse=True):
        lines += size_tables(int(size), results["sizes"][size])
        lines.append("")
    if results.get("exports"):
        lines += ["### Exports of every release (100,000)", "", "| format | time | peak RSS |"]
        lines.append("|---|--:|--:|")
        for item in results["exports"]:
            failed = " **failed**" if item["exit_code"] else ""
            lines.append(
                f"| {item['format']} | {item['seconds']:.1f} s{failed} "
                f"| {item['peak_rss_mb']:.0f} MB |"
            )
        lines.append("")
    lines += ["### Verdicts", "", "| target | measured | met |", "|---|---|---|"]
    for target, measured, met in results["verdicts"]:
        verdict = "not measured" if met is None else "yes" if met else "**no**"
        lines.append(f"| {target} | {measured} | {verdict} |")
    return "\n".join(lines)


def write_doc(text: str) -> None:
    """Put ``text`` between the latest-results markers of docs/performance.md, and move
    what was there to the top of "Previous runs", its headings one level down."""
    document = DOC.read_text()
    start = document.index(LATEST_START) + len(LATEST_START)
    end = document.index(LATEST_END)
    old = document[start:end].strip()
    document = document[:start] + "\n\n" + text.strip() + "\n\n" + document[end:]
    if old and NO_RESULTS not in old:
        demoted = re.sub(r"^(#+) ", r"#\1 ", old, flags=re.MULTILINE)
        place = document.index(PREVIOUS) + len(PREVIOUS)
        document = document[:place] + "\n\n" + demoted + "\n" + document[place:]
    DOC.write_text(document)


# -- the run -------------------------------------------------------------------------------


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=load.DURATION, help="Seconds a run.")
    parser.add_argument("--sizes", default="10000,100000", help="Releases, among 10000 and 100000.")
    parser.add_argument("--modes", default="default,redis", help="default, redis or both.")
    parser.add_argument("--pages", default="", help=f"A subset of: {', '.join(PAGES)}.")
    parser.add_argument("--changes", type=int, default=20, help="Changes for the cold p95.")
    parser.add_argument("--readers", type=int, default=16, help="Stampede readers (0: none).")
    parser.add_argument(
        "--exports", default="csv,ndjson", help=f"none, all, or some of {exports.FORMATS}."
    )
    parser.add_argument("--skip-exports", action="store_true", help="Same as --exports none.")
    parser.add_argument("--skip-seed", action="store_true", help="Use the databases as they are.")
    parser.add_argument(
        "--doc",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Write docs/performance.md (default: after a complete run).",
    )
    parser.add_argument("--report", action="store_true", help="Print the last run again.")
    options = parser.parse_args(argv)
    options.sizes = sorted({int(size) for size in options.sizes.split(",")})
    options.modes = [mode for mode in MODES if mode in options.modes.split(",")]
    options.pages = [page for page in options.pages.split(",") if page]
    if unknown := [size for size in options.sizes if size not in DATABASES]:
        parser.error(f"unknown sizes {unknown}: {sorted(DATABASES)}")
    if unknown := [page for page in options.pages if page not in PAGES]:
        parser.error(f"unknown pages {unknown}")
    if options.skip_exports or options.exports == "none":
        options.exports = []
    elif options.exports == "all":
        options.exports = list(exports.FORMATS)
    else:
        options.exports = [name for name in options.exports.split(",") if name]
    if unknown := [name for name in options.exports if name not in exports.FORMATS]:
        parser.error(f"unknown export formats {unknown}")
    return options


def main(argv=None) -> int:
    options = parse(argv)
    if options.report:
        results = json.loads((RESULTS / "latest.json").read_text())
        report(results)
        if options.doc:
            write_doc(results["markdown"])
        return 0
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so every server is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS.mkdir(parents=True, exist_ok=True)
    first = DATABASES[options.sizes[0]]
    results: dict = {
        "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(first),
        "duration_s": options.duration,
        "changes": options.changes,
        "readers": options.readers,
        "sizes": {},
    }
    results["command"] = results["command"].strip()
    redis = None
    if "redis" in options.modes and (redis := redis_client()) is None:
        say(f"Redis does not answer at {BENCH_REDIS_URL}: the REDIS_URL runs are skipped.")
        options.modes.remove("redis")
    if not options.skip_seed:
        say("Seeding (skipped when the counts are already there)…")
        results["seed_seconds"] = {str(size): seed(DATABASES[size], size) for size in options.sizes}
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=django_env(first),
        check=True,
        timeout=600,
    )
    hello = Server("hello", "bench.hello_wsgi:application", django_env(first))
    with running(hello):
        pairs = HelloPairs(hello, options.duration)
        say(f"hello on :{hello.port}; load with {load.tool()}")
        for size in options.sizes:
            database_url = DATABASES[size]
            targets = run_json(["bench/inprocess.py", "targets"], database_url)
            urls = {
                name: path
                for name, path in targets["urls"].items()
                if not options.pages or name in options.pages
            }
            targets["urls"] = urls
            say(f"{size:,} releases, in-process: queries, render latency, search, admin…")
            sized = results["sizes"][str(size)] = {
                "targets": targets,
                "inprocess": run_json(
                    [*MEASURE, "--targets", json.dumps(targets)],
                    database_url,
                ),
                "modes": {},
            }
            for name, page in sized["inprocess"]["pages"].items():
                say(
                    f"    {name:16} {page['queries_cold']:2d} / {page['queries_warm']:2d} "
                    f"queries  render p50 {page['p50_ms_warm']:7.1f} ms warm, "
                    f"{page['p50_ms_cold']:7.1f} ms empty caches"
                )
            for mode in options.modes:
                extra = {}
                if mode == "redis":
                    redis.flushdb()
                    extra["REDIS_URL"] = BENCH_REDIS_URL
                server = Server(
                    f"product-{size_label(size)}-{mode}",
                    "newsroom.wsgi:application",
                    django_env(database_url, **extra),
                    "/healthz",
                )
                say(f"{size:,} releases, {MODES[mode]}: load, cold, stampede, memory…")
                with running(server):
                    sized["modes"][mode] = measure_server(
                        server, urls, pairs, options, database_url
                    )
    results["hello"] = pairs.runs
    if options.exports and 100_000 in options.sizes:
        say("Exports of every release (100,000)…")
        results["exports"] = []
        for name in options.exports:
            [item] = exports.measure_exports(DATABASES[100_000], [name])
            say(
                f"    {name:7} {item['seconds']:6.1f} s  {item['peak_rss_mb']:6.0f} MB"
                + (f"  exit {item['exit_code']}" if item["exit_code"] else "")
            )
            results["exports"].append(item)
    results["machine"]["load_average_end"] = os.getloadavg()
    results["total_seconds"] = time.monotonic() - began_at
    results["verdicts"] = verdicts(results)
    results["markdown"] = markdown(results)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    report(results)
    complete = (
        options.sizes == sorted(DATABASES) and options.modes == list(MODES) and not options.pages
    )
    if options.doc or (options.doc is None and complete):
        write_doc(results["markdown"])
        say(f"Results written at the top of {DOC.relative_to(ROOT)}.")
    else:
        say(f"{DOC.relative_to(ROOT)} left as it was (a partial run; --doc writes it).")
    say(f"Everything measured: {RESULTS / 'latest.json'}.")
    return 0


def report(results: dict) -> None:
    print("", flush=True)
    width = max(len(target) for target, *_ in results["verdicts"])
    for target, measured, met in results["verdicts"]:
        verdict = "----" if met is None else "MET " if met else "MISS"
        print(f"  {verdict}  {target:<{width}}  {measured}", flush=True)
    print("\n" + results["markdown"] + "\n", flush=True)


if __name__ == "__main__":
    sys.exit(main())
