"""Back up and restore a whole newsroom: its database and its uploaded files, in one
dated archive (``newsroom.operations.archive``). The commands ``backup_newsroom`` and
``restore_newsroom`` (``make backup``, ``make restore``) call these; docs/operations.md
says how to run them."""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from newsroom.operations import databases
from newsroom.operations.archive import FORMAT, MEDIA, ArchiveWriter, verified
from newsroom.operations.databases import BackupError

ARCHIVE_PATTERN = "newsroom-*.tar"


# Backup -------------------------------------------------------------------------------


def product() -> dict:
    """Name, version (pyproject.toml) and git commit of the running code, when known."""
    base = Path(settings.BASE_DIR)
    try:
        project = tomllib.loads((base / "pyproject.toml").read_text())["project"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        project = {}
    commit = None
    if (base / ".git").exists() and shutil.which("git"):
        done = subprocess.run(  # noqa: S603
            ["git", "-C", str(base), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        commit = done.stdout.strip() or None
    return {
        "name": project.get("name", "newsroom"),
        "version": project.get("version"),
        "commit": commit,
    }


def media_names(storage, folder: str = "") -> list[str]:
    """Every file of ``storage``, sorted (a missing MEDIA_ROOT holds none)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [posixpath.join(folder, name) for name in files]
    for sub in folders:
        names += media_names(storage, posixpath.join(folder, sub))
    return sorted(names)


def create_backup(directory: Path, *, now: dt.datetime | None = None) -> Path:
    """Write ``directory/newsroom-YYYYMMDD-HHMMSS.tar`` (UTC) and return its path.

    Reads the whole database (one consistent snapshot) and every stored file; the site
    keeps running. A file uploaded while the backup runs may or may not be in it; a file
    the dumped database names is, unless it was deleted meanwhile.
    """
    now = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"newsroom-{now:%Y%m%d-%H%M%S}.tar"
    if path.exists():
        raise BackupError(f"{path} exists already; wait a second and back up again.")
    member = databases.MEMBERS.get(connection.vendor, "database")
    writer = ArchiveWriter(path)
    try:
        with tempfile.TemporaryDirectory(dir=directory, prefix=".dump-") as work:
            dump_path = Path(work) / member
            snapshot = databases.dump(connection, dump_path)
            with dump_path.open("rb") as stream:
                writer.add(member, stream, dump_path.stat().st_size)
        names = media_names(default_storage)
        storage_name = f"{type(default_storage).__module__}.{type(default_storage).__qualname__}"
        media_bytes = 0
        for name in names:
            size = default_storage.size(name)
            with default_storage.open(name, "rb") as stream:
                writer.add(MEDIA + name, stream, size)
            media_bytes += size
        return writer.finish(
            {
                "format": FORMAT,
                "created_at": now.isoformat(timespec="seconds"),
                "product": product(),
                "django": django.get_version(),
                "python": sys.version.split()[0],
                "database": {
                    "vendor": connection.vendor,
                    "server_version": snapshot.server_version,
                    "dump_tool": snapshot.dump_tool,
                    "member": member,
                },
                "migrations": snapshot.migrations,
                "rows": snapshot.rows,
                "media": {
                    "storage": storage_name,
                    "files": len(names),
                    "bytes": media_bytes,
                },
            }
        )
    except BaseException:
        writer.abandon()
        raise


def prune(directory: Path, keep: int, made: Path) -> list[Path]:
    """Delete all but the ``keep`` newest archives of ``directory``, newest by the time
    each was written (not by its name: a copied file or a clock set wrong would make a
    name look newer), never ``made``, the archive just written, which counts as one of
    them. Returns the deleted paths. ``keep`` ≥ 1."""
    others = sorted(
        (path for path in directory.glob(ARCHIVE_PATTERN) if path != made),
        key=lambda path: (path.stat().st_mtime, path.name),
    )
    old = others[: max(len(others) - (keep - 1), 0)]
    for path in old:
        path.unlink()
    return old


# Restore ------------------------------------------------------------------------------


def migration_plan(manifest: dict) -> list[str]:
    """The migrations the code has and the backup lacks (run after the restore).
    BackupError when the backup has migrations this code does not know: it comes from a
    newer version, whose tables this code cannot read."""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(in_backup - on_disk)
    if unknown:
        shown = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        made_by = manifest["product"].get("commit") or manifest["product"].get("version")
        raise BackupError(
            f"The backup was made by a newer Newsroom (its schema has {shown}"
            f"{' …' if len(unknown) > 5 else ''}, which this code does not know). Upgrade the "
            f"code to the version that made it ({made_by}) first, then restore: nothing was "
            "changed."
        )
    return sorted(f"{app}.{name}" for app, name in on_disk - in_backup)


def check_compatible(manifest: dict) -> None:
    database = manifest["database"]
    if database["vendor"] != connection.vendor:
        raise BackupError(
            f"The backup holds a {database['vendor']} database and DATABASE_URL points at "
            f"{connection.vendor}: restoring across engines is not supported. Restore it into "
            f"a {database['vendor']} database (DATABASE_URL=…), then move the releases with "
            "export_releases --bundle / import_releases. Nothing was changed."
        )
    if connection.vendor == "postgresql":
        made_on = int(database["server_version"].split(".")[0])
        here = connection.pg_version // 10000
        if made_on > here:
            raise BackupError(
                f"The backup comes from PostgreSQL {made_on}; this server is PostgreSQL {here}. "
                f"Restore it into PostgreSQL {made_on} or newer: nothing was changed."
            )


def restore_media(names: list[str], tar: tarfile.TarFile) -> None:
    for name in names:
        member = tar.getmember(MEDIA + name)
        if default_storage.exists(name):
            default_storage.delete(name)
        content = File(tar.extractfile(member), name=posixpath.basename(name))
        content.size = member.size
        saved = default_storage.save(name, content)
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; the restore is incomplete.")


def restore_backup(path: Path, *, force: bool = False, report=print) -> dict:
    """Restore the archive at ``path`` into the database of ``DATABASE_URL`` and the
    default storage; its manifest once done.

    Nothing changes unless the archive matches its manifest, its database engine is this
    one, its schema is not newer than the code, and (without ``force``) the database holds
    no content. Then: the database (all or nothing), its row counts checked against the
    manifest, the files (one by one: an existing file of the same name is replaced, other
    files are left), the migrations the backup lacks, and the cache emptied.
    """
    manifest = verified(path)
    check_compatible(manifest)
    pending = migration_plan(manifest)
    if not force:
        content = databases.content_rows(connection)
        if content:
            # Releases first: what an operator recognises.
            ordered = sorted(
                content.items(), key=lambda item: (item[0] != "releases.release", -item[1])
            )
            shown = ", ".join(f"{rows} {label}" for label, rows in ordered[:4])
            raise BackupError(
                f"The database of DATABASE_URL ({connection.vendor} "
                f"{connection.settings_dict['NAME']}) is not empty ({shown}…). Restoring replaces "
                "everything in it: run again with --force (make restore … FORCE=1) if that is "
                "what you want. Nothing was changed."
            )
    report(f"Archive {path} checked: {len(manifest['files'])} members match the manifest.")
    member = manifest["database"]["member"]
    with tarfile.open(path, "r:") as tar, tempfile.TemporaryDirectory() as work:
        dump_path = Path(work) / member
        with dump_path.open("wb") as target:
            shutil.copyfileobj(tar.extractfile(member), target)
        databases.restore(
            connection, dump_path, dump_tool=manifest["database"]["dump_tool"], clear=force
        )
        check_rows(manifest)
        report(f"Database restored ({connection.vendor}); row counts match the manifest.")
        names = [name[len(MEDIA) :] for name in manifest["files"] if name.startswith(MEDIA)]
        restore_media(names, tar)
        report(f"{len(names)} files restored to the media storage.")
    if pending:
        report(f"The backup predates {len(pending)} migrations: migrating.")
        call_command("migrate", interactive=False, verbosity=0)
    # Cached pages describe the database that was replaced (REDIS_URL: its database is
    # emptied; each server process keeps its own copy until restarted, docs/operations.md).
    if caches["default"].clear() is False:  # newsroom.cache: Redis did not answer
        report(
            "The cache could not be cleared (Redis did not answer): it may still hold pages "
            "of the database that was replaced. Clear it once Redis is back "
            "(redis-cli -u $REDIS_URL flushdb) and restart the application servers."
        )
    return manifest


def check_rows(manifest: dict) -> None:
    tables = {label: count["table"] for label, count in manifest["rows"].items()}
    with connection.cursor() as cursor:
        restored = databases.count_rows(connection, cursor, tables)
    wrong = [
        f"{label}: {restored.get(label, {}).get('rows', 'no table')} for {count['rows']}"
        for label, count in manifest["rows"].items()
        if restored.get(label, {}).get("rows") != count["rows"]
    ]
    if wrong:
        raise BackupError(
            "The restored database does not hold the rows the manifest lists ("
            + "; ".join(wrong[:5])
            + "). Restore again with --force, or from another archive."
        )
