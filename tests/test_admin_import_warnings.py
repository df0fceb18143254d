"""The change form shows what an importer guessed: Release.import_warnings."""

import html
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from releases.importers.text import import_text_file
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

CASES = Path(__file__).parent / "cases" / "text"


def change_url(release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def test_imported_draft_shows_its_warnings_at_the_top_of_the_change_form(editor_client):
    release = import_text_file(CASES / "windows-1252.txt").releases[0]
    release.refresh_from_db()
    assert release.import_warnings and "Windows-1252" in release.import_warnings[0]

    page = editor_client.get(change_url(release)).content.decode()

    notice = page.index("Imported: check these guesses")
    assert notice < page.index('name="headline"')
    assert html.escape(release.import_warnings[0], quote=False) in page


def test_warnings_are_escaped(editor_client):
    release = ReleaseFactory(import_warnings=["<script>alert(1)</script> guessed"])

    page = editor_client.get(change_url(release)).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; guessed" in page
    assert "<script>alert(1)</script>" not in page


def test_a_release_without_warnings_has_no_notice(editor_client):
    release = ReleaseFactory()

    assert (
        "Imported: check these guesses"
        not in editor_client.get(change_url(release)).content.decode()
    )


def test_the_command_prints_the_warnings_it_stores(tmp_path):
    stdout = StringIO()

    call_command("import_releases", CASES / "windows-1252.txt", format="text", stdout=stdout)

    assert "  check: line 1: the file is not UTF-8; read as Windows-1252" in stdout.getvalue()


def test_reimporting_keeps_one_release_with_the_same_warnings():
    first = import_text_file(CASES / "date-as-first-line.txt").releases[0]
    again = import_text_file(CASES / "date-as-first-line.txt")

    assert again.unchanged == [first]
    first.refresh_from_db()
    assert first.import_warnings == again.warnings
