"""The database half of a backup, one way per engine.

PostgreSQL: ``pg_dump --format=custom`` inside an exported snapshot, so the row counts
and migrations written to the manifest describe exactly what was dumped; restored by
``pg_restore`` piped into ``psql --single-transaction``, so a failed restore leaves the
database as it was (with ``clear``, the old schema is dropped in that same transaction).

SQLite: the online backup API (``sqlite3.Connection.backup``), which copies a consistent
database while the site keeps writing; restored the same way onto ``DATABASES``'s file.

Connection parameters come from Django's own settings dictionary (``DATABASE_URL``);
the PostgreSQL password reaches the client programs through ``PGPASSWORD``, never their
command line.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import transaction


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# Rows that `migrate` writes into an empty database by itself: a database holding only
# these is empty for a restore.
FILLED_BY_MIGRATIONS = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "auth.group",
        "auth.group_permissions",
        "releases.dataversion",
    }
)


@dataclass
class Snapshot:
    """What a dump holds: the facts the manifest records about the database."""

    server_version: str
    dump_tool: str
    migrations: dict[str, list[str]]
    rows: dict[str, dict]


def model_tables() -> dict[str, str]:
    """``app_label.model`` → table of every model with a table (many-to-many tables too)."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        tables[meta.label_lower] = meta.db_table
    return dict(sorted(tables.items()))


def count_rows(connection, cursor, tables: dict[str, str]) -> dict[str, dict]:
    """``label → {"table", "rows"}`` for each table that exists (one COUNT per table)."""
    existing = set(connection.introspection.table_names(cursor))
    counts = {}
    for label, table in tables.items():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[label] = {"table": table, "rows": cursor.fetchone()[0]}
    return counts


def applied_migrations(connection, cursor) -> dict[str, list[str]]:
    if "django_migrations" not in connection.introspection.table_names(cursor):
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def content_rows(connection) -> dict[str, int]:
    """The tables of the database that hold rows ``migrate`` did not write: empty for a
    new database or one that was only migrated."""
    with connection.cursor() as cursor:
        counts = count_rows(connection, cursor, model_tables())
    return {
        label: count["rows"]
        for label, count in counts.items()
        if count["rows"] and label not in FILLED_BY_MIGRATIONS
    }


# PostgreSQL ----------------------------------------------------------------------------

# libpq reads these from the environment; Django's OPTIONS may carry them.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
CLIENT_VERSION = re.compile(r"\(PostgreSQL\) (\d+)(?:\.(\d+))?")


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    """The environment that points the PostgreSQL client programs at ``settings_dict``'s
    database, and at nothing a stray ``PG*`` variable of the shell would name."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    wanted = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    for option, variable in LIBPQ_OPTIONS.items():
        wanted[variable] = (settings_dict.get("OPTIONS") or {}).get(option)
    environment.update({key: str(value) for key, value in wanted.items() if value})
    return environment


def client_major(program: str) -> tuple[int, str]:
    """The major version of a PostgreSQL client program, and its ``--version`` line."""
    line = subprocess.run(  # noqa: S603 (a path we found, no shell)
        [program, "--version"], capture_output=True, text=True, check=False, timeout=30
    ).stdout.strip()
    found = CLIENT_VERSION.search(line)
    return (int(found.group(1)) if found else 0), line


def find_client(name: str, *, at_least: int) -> tuple[str, str]:
    """The path and version line of PostgreSQL's ``name`` (pg_dump, pg_restore, psql) of
    major version ``at_least`` or newer: the one on PATH, else Debian's
    /usr/lib/postgresql/<major>/bin, the oldest that fits. BackupError when none does."""
    candidates = [shutil.which(name), *sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))]
    found = []
    for path in dict.fromkeys(c for c in candidates if c):
        major, line = client_major(path)
        found.append((major, path, line))
        if major >= at_least:
            return path, line
    if not found:
        raise BackupError(
            f"{name} was not found (on PATH or in /usr/lib/postgresql/*/bin): install "
            f"PostgreSQL {at_least}'s client programs (Debian: apt-get install "
            f"postgresql-client-{at_least})."
        )
    seen = "; ".join(f"{path}: {line or 'no version'}" for _, path, line in found)
    raise BackupError(
        f"{name} {at_least} or newer is needed for a PostgreSQL {at_least} database, found "
        f"only {seen}. Install postgresql-client-{at_least} (Debian) or put a newer {name} "
        "on PATH."
    )


def dump_postgresql(connection, path: Path) -> Snapshot:
    """``pg_dump --format=custom`` of ``connection``'s database into ``path``."""
    server_major = connection.pg_version // 10000
    pg_dump, dump_tool = find_client("pg_dump", at_least=server_major)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # pg_dump reads the snapshot this transaction exported: the counts below are
        # those of the dump, whatever the site writes meanwhile.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        done = subprocess.run(  # noqa: S603
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", "-f", path],
            env=libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
        migrations = applied_migrations(connection, cursor)
        rows = count_rows(connection, cursor, model_tables())
    return Snapshot(server_version, dump_tool, migrations, rows)


def restore_postgresql(connection, path: Path, *, dump_tool: str, clear: bool) -> None:
    """Load a custom-format dump into ``connection``'s database in one transaction;
    ``clear`` first drops its ``public`` schema (every table in it), in that transaction.

    pg_restore writes the SQL script and psql runs it between a BEGIN and a COMMIT that
    is sent only once pg_restore has finished well: a dump that cannot be read to its end
    (``psql --single-transaction`` would commit whatever came before) or a statement that
    fails (``ON_ERROR_STOP``) leaves the database as it was.
    """
    dump_major = int(m.group(1)) if (m := CLIENT_VERSION.search(dump_tool)) else 0
    pg_restore, _ = find_client("pg_restore", at_least=dump_major)
    psql, _ = find_client("psql", at_least=0)
    environment = libpq_environment(connection.settings_dict)
    # Our own session would hold locks on the tables the restore drops.
    connection.close()
    begin = b"SET client_min_messages = warning;\nBEGIN;\n" + (
        b"DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;\n" if clear else b""
    )
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as load_errors:
        loader = subprocess.Popen(  # noqa: S603
            [psql, "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1", "-f", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=load_errors,
            env=environment,
        )
        # Ownership and grants are the target's: the restoring role owns what it creates.
        script = subprocess.Popen(  # noqa: S603
            [pg_restore, "--no-owner", "--no-acl", "-f", "-", path],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
            env=environment,
        )
        try:
            loader.stdin.write(begin)
            shutil.copyfileobj(script.stdout, loader.stdin, 1024 * 1024)
            script.wait()
            loader.stdin.write(b"\nCOMMIT;\n" if script.returncode == 0 else b"\nROLLBACK;\n")
            loader.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error; its transaction went with it
        finally:
            script.stdout.close()
            script.wait()
            loader.wait()
        restore_errors.seek(0)
        load_errors.seek(0)
        problems = (restore_errors.read() + load_errors.read()).decode(errors="replace").strip()
    if script.returncode or loader.returncode:
        raise BackupError(f"The database restore failed and was rolled back: {problems}")


# SQLite --------------------------------------------------------------------------------


def sqlite_facts(path: Path) -> tuple[dict, dict]:
    """Applied migrations and row counts of the SQLite file at ``path``."""
    from django.db import connections

    copy = connections["default"].__class__(
        {**connections["default"].settings_dict, "NAME": str(path)}, alias="backup-copy"
    )
    try:
        with copy.cursor() as cursor:
            return applied_migrations(copy, cursor), count_rows(copy, cursor, model_tables())
    finally:
        copy.close()


def dump_sqlite(connection, path: Path) -> Snapshot:
    """A consistent copy of ``connection``'s database, taken with SQLite's online backup
    API through the site's own connection (so it works for any SQLite the site uses)."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    migrations, rows = sqlite_facts(path)
    return Snapshot(sqlite3.sqlite_version, "sqlite3 online backup API", migrations, rows)


def restore_sqlite(connection, path: Path, *, clear: bool) -> None:
    """Replace ``connection``'s database file by the copy at ``path`` (the backup API
    writes it in one transaction: readers see the old or the new database)."""
    del clear  # the backup API replaces the whole file
    connection.close()
    source = sqlite3.connect(path)
    target = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"The database restore failed: {error}") from None
    finally:
        target.close()
        source.close()


def server_version(connection) -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


DUMPERS = {"postgresql": dump_postgresql, "sqlite": dump_sqlite}
MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


def dump(connection, path: Path) -> Snapshot:
    if connection.vendor not in DUMPERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return DUMPERS[connection.vendor](connection, path)


def restore(connection, path: Path, *, dump_tool: str, clear: bool) -> None:
    if connection.vendor == "postgresql":
        restore_postgresql(connection, path, dump_tool=dump_tool, clear=clear)
    else:
        restore_sqlite(connection, path, clear=clear)
