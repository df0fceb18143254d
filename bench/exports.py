"""``manage.py export_releases`` of every release, timed, with its peak memory.

Each export runs as a child process; ``os.wait4`` gives that child's own resource usage,
so the peak resident set (``ru_maxrss``) is the export's alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, django_env

PYTHON = ROOT / ".venv" / "bin" / "python"
# Targets for CSV and NDJSON (PRODUCT.md); the others are measured for information.
FORMATS = ("csv", "ndjson", "json", "ninjs", "xlsx")
TIMEOUT = int(os.environ.get("BENCH_EXPORT_TIMEOUT", "600"))


def export(database_url: str, export_format: str, folder: Path) -> dict:
    output = folder / f"releases.{export_format}"
    command = [
        str(PYTHON),
        "manage.py",
        "export_releases",
        "--format",
        export_format,
        "--status",
        "all",
        "--output",
        str(output),
    ]
    errors = folder / f"{export_format}.stderr"
    began = time.monotonic()
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=django_env(database_url),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    deadline, timed_out = began + TIMEOUT, False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            timed_out = True
            os.killpg(process.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.monotonic() - began
    # Reaped here, not by Popen: tell it, so it does not wait for the pid again.
    process.returncode = os.waitstatus_to_exitcode(status)
    error = errors.read_text(errors="replace").strip()
    result = {
        "format": export_format,
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "bytes": output.stat().st_size if output.exists() else None,
        "exit_code": process.returncode,
        "timed_out": timed_out,
    }
    if process.returncode:
        result["error"] = error[-500:]
    output.unlink(missing_ok=True)
    return result


def measure_exports(database_url: str, formats=FORMATS) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as folder:
        return [export(database_url, name, Path(folder)) for name in formats]
