"""Changes to the public data, on demand: the "cold" measurements of ``make bench``.

    .venv/bin/python bench/change.py [--database-url URL]

Reads one command a line on stdin, each a change to the newest public release (chosen at
start) through the ORM (``Release.save()``: the body sanitized again, the search vector
refreshed, a data version entry written), then prints one line of JSON with the time the
save took:

- ``edit``: saved as it is, as an editor's edit of its text. It moves no release on or
  off a list, so the page cache retires only the pages that showed it (and searches).
- ``unpublish`` / ``publish``: back to draft, then published again at its own time. Each
  moves it off or onto every list: every cached page is retired, the worst case (as a
  release going out, or a scheduled one going live).

At the end of its input it publishes the release again if it was left a draft, so the
bench database stays as seeded. One process for a series of changes: Django starts once.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DATABASE_URL, setup_django


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=BENCH_DATABASE_URL)
    options = parser.parse_args(argv)
    setup_django(options.database_url)
    from releases.models import Release, Status

    release = Release.objects.published().order_by("-published_at", "-id").first()
    print(json.dumps({"ready": True, "slug": release.slug}), flush=True)
    try:
        for line in sys.stdin:
            kind = line.strip()
            began = time.perf_counter()
            if kind == "unpublish":
                release.status = Status.DRAFT
            elif kind == "publish":
                release.status = Status.PUBLISHED
            elif kind != "edit":
                raise SystemExit(f"unknown change {kind!r}")
            release.save()
            elapsed = (time.perf_counter() - began) * 1000
            print(json.dumps({"kind": kind, "save_ms": elapsed}), flush=True)
    finally:
        if release.status != Status.PUBLISHED:
            release.status = Status.PUBLISHED
            release.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
