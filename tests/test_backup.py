"""Backups and restore (newsroom/operations, docs/operations.md), on the database the
suite runs on: the demo newsroom backed up from the test database and restored, by the
commands an operator runs, into a scratch database of the same engine (a temporary
SQLite file, or a PostgreSQL database of this test's own, dropped after) and a fresh
media folder, comes back identical: the same JSON export byte for byte, the same rows
(``dumpdata`` of every table), the same files. A damaged archive, a newer schema, another
engine and a database holding content are refused before anything changes."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from newsroom.operations.archive import MANIFEST, ArchiveWriter
from newsroom.operations.databases import BackupError, find_client
from releases.models import Release
from tests.factories import ReleaseFactory

ROOT = Path(__file__).resolve().parent.parent
# Backups read committed data through another connection (pg_dump, SQLite's backup API).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

# Runs management commands one after the other in one process (one start-up): argv[1] is
# a JSON list of argument lists.
RUN_COMMANDS = """
import json, sys, django
django.setup()
from django.core.management import call_command
for arguments in json.loads(sys.argv[1]):
    call_command(*arguments)
"""


def checksums(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def postgres_url(name: str) -> str:
    params = connection.settings_dict
    password = f":{quote(params['PASSWORD'], safe='')}" if params.get("PASSWORD") else ""
    return (
        f"postgres://{quote(params['USER'], safe='')}{password}@{params['HOST'] or '127.0.0.1'}"
        f":{params['PORT'] or 5432}/{name}"
    )


def maintenance():
    params = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params.get("PASSWORD") or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture
def scratch_database_url(tmp_path):
    """``DATABASE_URL`` of a new, empty database of the suite's engine, gone after."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"[:63]
    with maintenance() as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield postgres_url(name)
    finally:
        with maintenance() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def manage(database_url: str, media: Path, *commands: list[str]) -> subprocess.CompletedProcess:
    """Run ``commands`` as an operator would: production settings on ``database_url``
    with its files in ``media``."""
    environment = {
        **{key: value for key, value in os.environ.items() if key != "NEWSROOM_MEDIA_STORAGE"},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": "tests-only-not-a-secret",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(  # noqa: S603 (this interpreter, our own script)
        [sys.executable, "-c", RUN_COMMANDS, json.dumps(commands)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def backup(directory: Path) -> Path:
    out = io.StringIO()
    call_command("backup_newsroom", "--output-dir", str(directory), stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


def rewritten(archive: Path, change) -> Path:
    """A copy of ``archive`` whose manifest ``change(manifest)`` edited."""
    copy = archive.with_name("edited-" + archive.name)
    with tarfile.open(archive) as source, tarfile.open(copy, "w") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return copy


def test_the_demo_newsroom_comes_back_identical(tmp_path, media_root, scratch_database_url):
    call_command("load_demo", stdout=io.StringIO())
    before = tmp_path / "before.json"
    call_command("export_releases", "--format", "json", "--status", "all", "--output", before)
    rows_before = tmp_path / "rows-before.json"
    call_command("dumpdata", "--output", rows_before, verbosity=0)
    files_before = checksums(media_root)

    archive = backup(tmp_path / "backups")

    assert archive.name.startswith("newsroom-") and archive.suffix == ".tar"
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["rows"]["releases.release"]["rows"] == Release.objects.count() >= 40
    assert manifest["migrations"]["releases"]
    assert manifest["media"]["files"] == len(files_before) > 0
    assert {
        name[len("media/") :] for name in manifest["files"] if name.startswith("media/")
    } == set(files_before)

    restored_media = tmp_path / "restored-media"
    after, rows_after = tmp_path / "after.json", tmp_path / "rows-after.json"
    export = ["export_releases", "--format", "json", "--status", "all", "--output"]
    done = manage(
        scratch_database_url,
        restored_media,
        ["restore_newsroom", str(archive)],
        [*export, str(after)],
        ["dumpdata", "--output", str(rows_after), "--verbosity", "0"],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "row counts match the manifest" in done.stdout

    assert after.read_bytes() == before.read_bytes()
    assert json.loads(rows_after.read_bytes()) == json.loads(rows_before.read_bytes())
    assert checksums(restored_media) == files_before

    # Into a database that now holds content: refused without --force, replaced with it.
    again = tmp_path / "again.json"
    refused = manage(scratch_database_url, restored_media, ["restore_newsroom", str(archive)])
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    forced = manage(
        scratch_database_url,
        restored_media,
        ["restore_newsroom", str(archive), "--force"],
        [*export, str(again)],
    )
    assert forced.returncode == 0, forced.stderr[-3000:]
    assert again.read_bytes() == before.read_bytes()
    assert checksums(restored_media) == files_before


@pytest.fixture
def small_backup(tmp_path, media_root):
    """A backup of the test database holding one release and one file."""
    ReleaseFactory(headline="Kept as it was")
    (media_root / "attachments").mkdir()
    (media_root / "attachments" / "facts.pdf").write_bytes(b"%PDF-1.4 facts")
    return backup(tmp_path / "backups")


def restore_in_place(archive: Path, *options: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore_newsroom", str(archive), *options, stdout=io.StringIO())
    assert Release.objects.filter(headline="Kept as it was").count() == 1
    return str(refused.value)


def test_a_damaged_archive_changes_nothing_even_with_force(small_backup, media_root):
    with tarfile.open(small_backup) as tar:
        offset = tar.getmember("media/attachments/facts.pdf").offset_data
    with small_backup.open("r+b") as archive:
        archive.seek(offset)
        archive.write(b"X")
    (media_root / "attachments" / "facts.pdf").write_bytes(b"changed since")

    message = restore_in_place(small_backup, "--force")

    assert "is damaged: media/attachments/facts.pdf does not match its checksum" in message
    assert "nothing was changed" in message
    assert (media_root / "attachments" / "facts.pdf").read_bytes() == b"changed since"


def test_a_database_holding_content_is_refused_without_force(small_backup):
    message = restore_in_place(small_backup)

    assert "is not empty (1 releases.release" in message
    assert "--force" in message and "FORCE=1" in message


def test_a_backup_from_a_newer_schema_is_refused(small_backup):
    newer = rewritten(
        small_backup, lambda manifest: manifest["migrations"]["releases"].append("9999_future")
    )

    message = restore_in_place(newer, "--force")

    assert "made by a newer Newsroom" in message and "releases.9999_future" in message


def test_a_backup_of_another_database_engine_is_refused(small_backup):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def other_engine(manifest):
        manifest["database"]["vendor"] = other

    message = restore_in_place(rewritten(small_backup, other_engine), "--force")

    assert "restoring across engines is not supported" in message


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, small_backup):
    not_a_backup = tmp_path / "notes.tar"
    not_a_backup.write_bytes(b"just some text")

    assert "cannot be read" in restore_in_place(not_a_backup, "--force")


def test_keep_deletes_all_but_the_newest_archives(tmp_path, small_backup):
    older = small_backup.with_name("newsroom-20000101-000000.tar")
    small_backup.rename(older)
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "backup_newsroom", "--output-dir", str(older.parent), "--keep", "1", stdout=out, stderr=err
    )

    newest = Path(out.getvalue().strip().splitlines()[-1])
    assert sorted(older.parent.glob("newsroom-*.tar")) == [newest]
    assert f"Deleted the old backup {older}" in err.getvalue()
    assert oct(newest.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("keep", [1, 2])
def test_keep_never_deletes_the_archive_just_made_whatever_the_names_say(
    tmp_path, small_backup, keep
):
    """Found by a tester: with a later-named archive in the folder (a clock set wrong, a
    copied file), --keep 1 deleted the new archive and still printed its path. Age is
    the time an archive was written, not its name."""
    folder = small_backup.parent
    recent = small_backup.rename(folder / "newsroom-20000101-000000.tar")
    named_later = folder / "newsroom-20991231-235959.tar"
    named_later.write_bytes(recent.read_bytes())
    os.utime(named_later, (1, 1))  # written long ago, whatever its name says
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "backup_newsroom", "--output-dir", str(folder), "--keep", str(keep), stdout=out, stderr=err
    )

    made = Path(out.getvalue().strip().splitlines()[-1])
    kept = {1: [made], 2: [made, recent]}[keep]
    assert sorted(folder.glob("newsroom-*.tar")) == sorted(kept)
    assert f"Deleted the old backup {named_later}" in err.getvalue()


def test_a_name_taken_meanwhile_is_never_overwritten(tmp_path):
    target = tmp_path / "newsroom-20261201-010101.tar"
    writer = ArchiveWriter(target)
    target.write_bytes(b"another backup, finished first")

    with pytest.raises(BackupError, match="written by another backup meanwhile"):
        writer.finish({"format": 1})

    assert target.read_bytes() == b"another backup, finished first"
    assert [p.name for p in tmp_path.glob("*.tar*")] == [target.name]  # no part left behind


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")

    with pytest.raises(CommandError, match="cannot write the backup there"):
        call_command("backup_newsroom", "--output-dir", str(blocked / "backups"))


def test_a_missing_postgresql_client_is_named_with_what_to_install():
    with pytest.raises(BackupError) as missing:
        find_client("pg_dump_of_no_such_version", at_least=15)

    assert "pg_dump_of_no_such_version was not found" in str(missing.value)
    assert "postgresql-client-15" in str(missing.value)
