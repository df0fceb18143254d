"""The editor and the checker of ``bench/faults.py``: changes saved through the product's
own services, each then watched on the public surface until it shows.

    .venv/bin/python bench/fault_editor.py targets --database-url URL
    .venv/bin/python bench/fault_editor.py run --database-url URL --base-url URL
                                               [--duration 60] [--gap 0.1,0.5] [--timeout 5]

``targets`` prints (JSON) ``{"mix": [path, …]}``: the public pages the load requests,
home, list, a filtered list, a tag page, five release pages from the middle of the
archive, the Atom feed, the API list and detail, the sitemap (``bench.inprocess`` chooses
the subjects). None of them is a release the editor changes.

``run`` saves a change every ``--gap`` seconds (uniform between the two bounds), as an
editor in the admin does, through ``releases.services`` (the admin's own functions) and
``Release.save()`` for a text edit, each on one of the newest public releases (so it is
on the first page of the list). Each release goes through: edit (a new marker at the
start of its headline), unpublish (back to draft), publish, edit, withdraw; then the
next newest public release takes its place. A release is not changed again while its
last change is being checked.

After each save returns (its transaction committed), a thread requests, anonymously
and afresh (new connections, no validators), the release page, its API detail and the
first page of the list, every 0.2 s, until each answers what the change implies:

- edit, publish: release page 200 with the marker, API detail 200 with the marker,
  list with the marker;
- unpublish: release page and API detail 404, list without the marker;
- withdraw: release page and API detail 410 (Gone), list without the marker.

Under 64 connections a request waits seconds in the server's queue, whatever the page,
so what is measured is the *sending* time of each request after the commit
(``check``): ``stale_sent_max_s``, the latest a request was sent that still got the
earlier state (a reader asking later than that saw the change, as far as the requests
sampled show: at most two in flight a page), with when it was answered and the page
cache's ``X-Newsroom-Cache``; ``visible_s``, the sending time of the first request from
which on every answer showed it (an upper bound). A change not shown to a request sent
within ``--timeout`` seconds is a failure.
Prints one JSON line a change, then a summary line ``{"summary": {…}}``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, django_env, percentile

MIX_RELEASES = 5
# Releases cycling at once; more than the checks pending at any moment.
ACTIVE = 8
POLL_SECONDS = 0.2
OUTSTANDING = 2
CYCLE = ["edit", "unpublish", "publish", "edit", "withdraw"]


def setup(database_url: str, redis_url: str) -> None:
    """Django with the site's settings: its database and, like the site, its Redis."""
    extra = {"REDIS_URL": redis_url} if redis_url else {}
    os.environ.update(django_env(database_url, **extra))
    if not redis_url:
        os.environ.pop("REDIS_URL", None)
    os.chdir(ROOT)
    import django

    django.setup()


def targets() -> dict:
    from bench.inprocess import targets as bench_targets
    from releases.models import Release

    urls = bench_targets()["urls"]
    public = Release.objects.published().order_by("-published_at", "-id")
    count = public.count()
    # From the middle of the archive: never among the newest, which the editor changes.
    middle = [release.get_absolute_url() for release in public[count // 2 : count // 2 + 4]]
    names = ["home", "list", "filtered", "tag", "detail", "atom", "api_list", "api_detail"]
    mix = [urls[name] for name in names] + middle[: MIX_RELEASES - 1] + [urls["sitemap"]]
    return {"mix": mix}


def get(base_url: str, path: str) -> tuple[int, str, str]:
    """One anonymous GET on a new connection: (status, body, its ``X-Newsroom-Cache``
    header); (0, error, "") when it failed."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, body, response.getheader("X-Newsroom-Cache", "")
    except (OSError, http.client.HTTPException) as error:
        return 0, str(error), ""
    finally:
        connection.close()


def expectations(kind: str, marker: str, detail: str, api: str, listing: str) -> dict:
    """``{path: predicate(status, body)}`` a change of ``kind`` must make true."""
    shown = lambda status, body: status == 200 and marker in body  # noqa: E731
    if kind in ("edit", "publish"):
        return {detail: shown, api: shown, listing: shown}
    gone = 404 if kind == "unpublish" else 410
    return {
        detail: lambda status, body: status == gone,
        api: lambda status, body: status == gone,
        listing: lambda status, body: status == 200 and marker not in body,
    }


def check(base_url: str, committed: float, expected: dict, timeout: float) -> dict:
    """Request each path of ``expected`` every ``POLL_SECONDS`` (at most ``OUTSTANDING``
    requests a path in flight) from ``committed`` (``time.monotonic``) until one answer
    shows the change and no request sent later is in flight or answered otherwise.

    A reader's request is sent, waits in the server's queue, then is answered: under
    load the wait is seconds, and says nothing of whether the page is current. So a
    path's delay is the *send* time (seconds after the commit) of the first request
    from which on every answer showed the change: a reader asking that long after the
    save saw it. ``stale`` lists the answers that did not (sent, answered, the page
    cache's ``X-Newsroom-Cache``), so the time the server itself still served the old
    page is bounded too (by ``answered``)."""
    polls: dict[str, list] = {path: [] for path in expected}
    lock = threading.Lock()
    threads: list[threading.Thread] = []

    def poll(path: str) -> None:
        sent = time.monotonic() - committed
        status, body, cache = get(base_url, path)
        answered = time.monotonic() - committed
        with lock:
            polls[path].append((sent, answered, status, cache, expected[path](status, body)))

    def in_flight(path: str) -> int:
        return sum(thread.is_alive() and thread.name == path for thread in threads)

    def latest_current(path: str) -> bool:
        """Whether the answer to the request sent last, of those answered, showed it."""
        with lock:
            return bool(polls[path]) and max(polls[path])[4]

    # Until, for every path, the last request sent was answered with the change and none
    # is in flight: an answer arriving late from an earlier request counts too.
    while time.monotonic() - committed < timeout:
        waiting = [p for p in expected if not (latest_current(p) and not in_flight(p))]
        if not waiting:
            break
        for path in waiting:
            if in_flight(path) < OUTSTANDING and not latest_current(path):
                thread = threading.Thread(target=poll, args=(path,), name=path, daemon=True)
                thread.start()
                threads.append(thread)
        time.sleep(POLL_SECONDS)
    for thread in threads:
        thread.join(timeout=35)
    per_page: dict[str, float | None] = {}
    stale: list = []
    statuses: dict[str, int] = {}
    for path, answers in polls.items():
        answers.sort()
        late = [i for i, answer in enumerate(answers) if not answer[4]]
        after = answers[late[-1] + 1 :] if late else answers
        per_page[path] = after[0][0] if after else None
        stale += [
            {"path": path, "sent_s": round(a[0], 3), "answered_s": round(a[1], 3),
             "status": a[2], "cache": a[3]}
            for a in answers if not a[4]
        ]  # fmt: skip
        for answer in answers:
            statuses[str(answer[2])] = statuses.get(str(answer[2]), 0) + 1
    delays = list(per_page.values())
    return {
        "visible_s": None if None in delays else max(delays),
        "stale_sent_max_s": max((a["sent_s"] for a in stale), default=None),
        "stale_answered_max_s": max((a["answered_s"] for a in stale), default=None),
        "answer_p50_s": percentile([a[1] - a[0] for answers in polls.values() for a in answers], 50)
        if any(polls.values())
        else None,
        "per_page_s": per_page,
        "stale": stale,
        "statuses": statuses,
    }


def run(options) -> dict:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from releases import services
    from releases.models import Release

    editor, _ = get_user_model().objects.get_or_create(
        username="fault-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    mix = set(targets()["mix"])
    listing = reverse("releases:list")
    used: set[int] = set()
    results: list[dict] = []
    lock = threading.Lock()
    threads: list[threading.Thread] = []
    serial = 0

    def fresh() -> dict:
        release = (
            Release.objects.published()
            .exclude(pk__in=used)
            .order_by("-published_at", "-id")
            .first()
        )
        used.add(release.pk)
        if release.get_absolute_url() in mix:  # never one the load requests
            return fresh()
        return {"release": release, "step": 0, "busy": False, "base": release.headline[:200]}

    active = [fresh() for _ in range(ACTIVE)]
    low, high = options.gap
    end = time.monotonic() + options.duration
    turn = 0
    while time.monotonic() < end:
        with lock:
            idle = [subject for subject in active if not subject["busy"]]
        if not idle:
            time.sleep(0.02)
            continue
        subject = idle[turn % len(idle)]
        turn += 1
        release = Release.objects.get(pk=subject["release"].pk)
        kind = CYCLE[subject["step"]]
        serial += 1
        began = time.monotonic()
        if kind == "edit":
            marker = f"fx{serial:05d}q"
            release.headline = f"{marker} {subject['base']}"
            release.save()
            subject["marker"] = marker
        elif kind == "unpublish":
            services.release_return_to_draft(release=release, user=editor)
        elif kind == "publish":
            services.release_publish(release=release, user=editor)
        else:
            services.release_withdraw(release=release, user=editor, reason="fault bench")
        committed = time.monotonic()
        expected = expectations(
            kind,
            subject["marker"],
            release.get_absolute_url(),
            reverse("api:release-detail", kwargs={"slug": release.slug}),
            listing,
        )
        subject["busy"] = True
        change = {
            "n": serial,
            "kind": kind,
            "save_ms": (committed - began) * 1000,
            "listing": listing,
        }

        def watch(subject=subject, change=change, committed=committed, expected=expected):
            change.update(check(options.base_url, committed, expected, options.timeout))
            with lock:  # one whole line at a time from the threads
                print(json.dumps(change), flush=True)
                results.append(change)
                subject["busy"] = False

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
        threads.append(thread)
        subject["step"] += 1
        if subject["step"] == len(CYCLE):
            active[active.index(subject)] = fresh()
        time.sleep(random.uniform(low, high))
    for thread in threads:
        thread.join(timeout=options.timeout + 15)
    return summarize(results)


def summarize(results: list[dict]) -> dict:
    delays = [change["visible_s"] for change in results if change["visible_s"] is not None]
    kinds: dict[str, int] = {}
    for change in results:
        kinds[change["kind"]] = kinds.get(change["kind"], 0) + 1
    saves = [change["save_ms"] for change in results]
    answers = [change["answer_p50_s"] for change in results if change["answer_p50_s"]]
    return {
        "changes": len(results),
        "kinds": kinds,
        "not_visible": sum(change["visible_s"] is None for change in results),
        "visible_max_s": max(delays) if delays else None,
        "visible_p95_s": percentile(delays, 95) if delays else None,
        "visible_p50_s": percentile(delays, 50) if delays else None,
        "over_1s": sum(delay >= 1.0 for delay in delays),
        "stale_answers": sum(len(change["stale"]) for change in results),
        "stale_by_cache": dict(
            Counter(answer["cache"] or "none" for c in results for answer in c["stale"])
        ),
        # The page of a release back to draft or withdrawn, answered 200 after the save.
        "taken_down_shown": sum(
            answer["status"] == 200 and answer["path"] != c["listing"]
            for c in results
            if c["kind"] in ("unpublish", "withdraw")
            for answer in c["stale"]
        ),
        "stale_sent_max_s": max(
            (c["stale_sent_max_s"] for c in results if c["stale_sent_max_s"]), default=None
        ),
        "stale_answered_max_s": max(
            (c["stale_answered_max_s"] for c in results if c["stale_answered_max_s"]), default=None
        ),
        "answer_p50_s": percentile(answers, 50) if answers else None,
        "save_p50_ms": percentile(saves, 50) if saves else None,
        "save_max_ms": max(saves) if saves else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["targets", "run"])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="", help="The site's REDIS_URL, if it has one.")
    parser.add_argument("--base-url", default="")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--gap", default="0.1,0.5", help="Seconds between saves: low,high.")
    parser.add_argument(
        "--timeout", type=float, default=15.0, help="Seconds to keep requesting a page."
    )
    options = parser.parse_args(argv)
    options.gap = tuple(float(value) for value in options.gap.split(","))
    setup(options.database_url, options.redis_url)
    if options.command == "targets":
        print(json.dumps(targets()), flush=True)
        return 0
    # SIGTERM (bench/faults.py giving up) ends the run with what was measured.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(json.dumps({"summary": run(options)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
