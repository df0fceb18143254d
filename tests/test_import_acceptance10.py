"""Faults an acceptance test of issue 10 found in the importers, each tested on the
input it was found with (tests/cases/accept10/) and on others of its kind."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from releases.importers import ReleaseImportError
from releases.importers.structured import import_json_file
from releases.importers.text import import_text_file, parse_text_release
from releases.importers.text.writing import same_file_name
from releases.models import Contact, Release, Status
from tests.factories import ContactFactory

CASES = Path(__file__).parent / "cases"
ACCEPT = CASES / "accept10"

LIBRARY = (
    "City opens new library\n\nSPRINGFIELD, Ill. (March 3, 2025) - The city opened its new "
    "library today.\n\nIt has 40,000 books.\n\n###\n"
)


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target


# A. Where a text import came from is private; source_url holds only http(s).


@pytest.mark.django_db
def test_a_text_import_keeps_its_file_private_and_source_url_empty(tmp_path, client):
    path = copy(CASES / "text" / "wire-dateline.txt", tmp_path)
    release = import_text_file(path).created[0]

    assert release.import_source == path.resolve().as_uri()
    assert release.source_url == ""
    Release.objects.filter(pk=release.pk).update(
        status=Status.PUBLISHED, published_at="2025-03-03T00:00Z"
    )
    body = client.get(reverse("api:release-detail", kwargs={"slug": release.slug})).content
    assert b"file:" not in body and str(tmp_path).encode() not in body
    assert b"import_source" not in body


@pytest.mark.django_db
def test_a_source_given_must_be_an_http_address(tmp_path):
    path = copy(CASES / "text" / "wire-dateline.txt", tmp_path)

    with pytest.raises(ReleaseImportError, match="not an http"):
        import_text_file(path, source="file:///srv/press/wire.txt")
    release = import_text_file(path, source="https://example.org/press/wire").created[0]
    assert release.source_url == "https://example.org/press/wire"
    # Sent again without a source: the address given before stays.
    assert import_text_file(path).unchanged == [release]
    assert Release.objects.get().source_url == "https://example.org/press/wire"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "ninjs"])
def test_text_imports_exported_with_every_status_import_into_an_empty_database(tmp_path, fmt):
    for case in sorted((CASES / "text").glob("*.txt")):
        import_text_file(copy(case, tmp_path))
    bundle = tmp_path / f"export-{fmt}.zip"
    call_command("export_releases", format=fmt, status="all", bundle=str(bundle))
    texts = Release.objects.count()
    Release.objects.all().delete()

    result = (import_json_file if fmt == "json" else _import_ninjs)(bundle)

    assert len(result.created) == texts
    assert not Release.objects.exclude(source_url="").exists()


def _import_ninjs(path):
    from releases.importers.ninjs import import_ninjs_file

    return import_ninjs_file(path)


# B. "Press Officer, Dover Ferries Ltd": a role and an organization.


def test_title_comma_organization_line_is_a_role_and_an_organization():
    parsed = parse_text_release((ACCEPT / "dover-ferries-contact.txt").read_text("utf-8"))

    (contact,) = parsed.contacts
    assert (contact.name, contact.role, contact.organization) == (
        "Sam Hill",
        "Press Officer",
        "Dover Ferries Ltd",
    )
    assert [o.name for o in parsed.organizations] == ["Dover Ferries Ltd"]


@pytest.mark.parametrize(
    ("line", "role", "organization"),
    [
        ("Head of Communications, Harbour Trust", "Head of Communications", "Harbour Trust"),
        ("Media Relations Manager, the Kestrel Foundation", "Media Relations Manager",
         "Kestrel Foundation"),
        ("Brightwater Analytics, Inc.", "", "Brightwater Analytics, Inc."),
    ],
)  # fmt: skip
def test_title_comma_organization_lines_of_other_kinds(line, role, organization):
    text = f"{LIBRARY}\nMedia contact:\nJane Roe\n{line}\njane@example.org\n"
    (contact,) = parse_text_release(text).contacts
    assert (contact.role, contact.organization) == (role, organization)


# C. A known contact's new number is kept in the notes; unreadable numbers too.


@pytest.mark.django_db
@pytest.mark.parametrize("by_email", [True, False])
def test_a_known_contacts_new_number_goes_to_the_notes_with_a_warning(tmp_path, by_email):
    email = "jane@example.org" if by_email else ""
    ContactFactory(name="Jane Roe", email=email, phone="+442079460321", notes="")
    details = (
        "jane@example.org, +44 20 7946 0999 ext. 12" if by_email else "+44 20 7946 0999 ext. 12"
    )
    path = tmp_path / "library.txt"
    path.write_text(f"{LIBRARY}\nContact: Jane Roe, {details}\n", encoding="utf-8")

    result = import_text_file(path)

    contact = Contact.objects.get(name="Jane Roe", phone="+442079460321")
    assert "Phone: +44 20 7946 0999 x12" in contact.notes
    assert (
        "Jane Roe: kept the known phone +44 20 7946 0321; the file's number "
        "+44 20 7946 0999 x12 is added to the contact's private notes"
    ) in result.warnings
    # Imported again: the number is there already, not added twice.
    path.write_text(path.read_text("utf-8") + "\nEntry is free.\n", encoding="utf-8")
    again = import_text_file(path)
    contact.refresh_from_db()
    assert contact.notes.count("7946 0999") == 1
    assert any("is already in the contact's private notes" in w for w in again.warnings)


def test_a_second_number_without_a_region_goes_to_the_notes(settings):
    settings.PHONENUMBER_DEFAULT_REGION = None
    parsed = parse_text_release((ACCEPT / "lakeside-two-numbers.txt").read_text("utf-8"))

    megan = next(c for c in parsed.contacts if c.name == "Megan O'Neill")
    assert megan.phone == ""
    assert "269-555-0107 x231" in megan.notes
    assert "Cell: 269-555-0190" in megan.notes
    assert any("another number (Cell), “269-555-0190”" in w for w in parsed.warnings)


def test_with_a_region_the_second_number_goes_to_the_notes_as_before():
    text = f"{LIBRARY}\nContact: Jane Roe, Office: 0191 496 0321, Mobile: 07700 900 456\n"
    (contact,) = parse_text_release(text, region="GB").contacts
    assert contact.phone == "+441914960321"
    assert "Mobile: 07700 900 456" in contact.notes


# D. A size limit, checked before the file is read.


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_naming_the_file_and_the_limit(tmp_path, settings):
    settings.NEWSROOM_MAX_TEXT_IMPORT_BYTES = 1000
    path = tmp_path / "huge.txt"
    path.write_text(LIBRARY + "More text.\n\n" * 200, encoding="utf-8")

    with pytest.raises(ReleaseImportError) as caught:
        import_text_file(path)

    assert str(path) in str(caught.value)
    assert "1,000-byte limit" in str(caught.value)
    assert "NEWSROOM_MAX_TEXT_IMPORT_BYTES" in str(caught.value)
    assert not Release.objects.exists()
    small = tmp_path / "small.txt"
    small.write_text(LIBRARY, encoding="utf-8")
    assert import_text_file(small).created


def test_the_default_limit_is_two_megabytes():
    from django.conf import settings

    assert settings.NEWSROOM_MAX_TEXT_IMPORT_BYTES == 2 * 1024 * 1024


# E. The wrong format is refused, with the right one named.


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (json.dumps([{"headline": "A", "slug": "a"}], indent=2), "looks like JSON"),
        ('{"uri": "urn:x:1", "headline": "A"}\n{"uri": "urn:x:2"}\n', "looks like JSON"),
        ('{\n  "headline": "A",\n', "looks like JSON"),
        ("<!DOCTYPE html>\n<html><body><h1>A</h1><p>B</p></body></html>\n", "HTML document"),
        ("<html>\n<body><p>Hello</p></body>\n</html>\n", "HTML document"),
        ('<?xml version="1.0"?>\n<nitf><body>A</body></nitf>\n', "XML document"),
        ("<newsItem guid='x'>\n<title>A</title>\n</newsItem>\n", "XML document"),
    ],
)
def test_json_xml_and_html_documents_are_not_text_releases(text, says):
    with pytest.raises(ReleaseImportError, match=says):
        parse_text_release(text, source="release.txt")


def test_a_release_starting_with_a_bracket_is_still_text():
    parsed = parse_text_release("[EMBARGOED]\n\n" + LIBRARY)
    assert "40,000 books" in " ".join(parsed.paragraphs)


@pytest.mark.django_db
def test_json_given_as_text_names_the_json_formats(tmp_path):
    path = tmp_path / "some.json"
    path.write_text(json.dumps([{"headline": "x"}]), encoding="utf-8")
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command("import_releases", str(path), format="text", stderr=stderr)
    assert f"{path}, line 1: looks like JSON" in stderr.getvalue()
    assert "use --format json or --format ninjs" in stderr.getvalue()
    assert not Release.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "item",
    [
        {"uri": "urn:x:1", "type": "text", "headline": "Same headline", "body_html": "<p>1</p>"},
        {"uri": "urn:x:3", "title": "Only a title", "versionCreated": "2025-02-01T10:00:00Z"},
        {"guid": "x", "headlines": [{"value": "A"}], "bodies": [{"value": "<p>b</p>"}]},
    ],
)
def test_the_json_importer_refuses_ninjs_items(tmp_path, item):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    with pytest.raises(ReleaseImportError, match=r"this looks like ninjs.*use --format ninjs"):
        import_json_file(path)
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_a_ninjs_item_imported_as_json_then_ninjs_is_never_two_releases(tmp_path):
    path = copy(ACCEPT / "two-items.ninjs.json", tmp_path)
    with pytest.raises(ReleaseImportError):
        import_json_file(path)
    first = _import_ninjs(path)
    again = _import_ninjs(path)
    assert Release.objects.count() == len(first.created) == len(again.releases)


# F. "Sent again" only for the same file name, re-send marks aside.


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("kite.txt", "kite-final.txt", True),
        ("Kite_Final (1).txt", "kite v2.txt", True),
        ("kite.txt", "kite-rev2-corrected.TXT", True),
        ("kite - Copy.txt", "kite_updated.txt", True),
        ("date-as-first-line.txt", "single-newline-paragraphs.txt", False),
        ("kite.txt", "kite2.txt", False),
        ("final.txt", "draft.txt", False),
    ],
)
def test_same_file_name_but_for_resend_marks(first, second, same):
    assert same_file_name(first, second) is same
    assert same_file_name(f"file:///srv/in/{first}", second) is same


@pytest.mark.django_db
def test_unrelated_files_with_one_headline_and_date_are_separate_drafts(tmp_path):
    names = ["date-as-first-line.txt", "inline-for-more-information.txt",
             "single-newline-paragraphs.txt"]  # fmt: skip
    results = [import_text_file(copy(CASES / "text" / name, tmp_path)) for name in names]

    assert [len(r.created) for r in results] == [1, 1, 1]
    assert Release.objects.filter(headline__iexact="City opens new library").count() == 3
    assert not any("updates the draft" in w for r in results for w in r.warnings)
