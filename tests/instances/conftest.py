"""The tests of several instances start gunicorn servers on a PostgreSQL database and
Redis of their own (``test_two_instances.py``). They run in the suite's PostgreSQL pass
(``DATABASE_URL=postgres://…``, as ``.ci/run``'s second pass and ``make test`` with it):
the server holding the suite's database holds theirs. In a run on SQLite they are
deselected, said in the summary, never skipped: ``DATABASE_URL=postgres://… make test``
or ``… pytest tests/instances`` runs them."""

from __future__ import annotations

import os

import pytest

MARKER = "instances"
REASON = (
    "tests/instances (two gunicorn instances on PostgreSQL and Redis) deselected: the suite "
    "runs on SQLite; they run with DATABASE_URL=postgres://… (CI's PostgreSQL pass)"
)


_DESELECTED = pytest.StashKey[int]()


def suite_on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{MARKER}: starts gunicorn instances on PostgreSQL and Redis; runs when the suite "
        "runs on PostgreSQL (tests/instances/conftest.py)",
    )


def pytest_collection_modifyitems(config, items):
    if suite_on_postgresql():
        return
    deselected = [item for item in items if item.get_closest_marker(MARKER)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(MARKER)]
        config.stash[_DESELECTED] = len(deselected)


def pytest_terminal_summary(terminalreporter, config):
    if count := config.stash.get(_DESELECTED, 0):
        terminalreporter.write_line(f"{count} {REASON}")
