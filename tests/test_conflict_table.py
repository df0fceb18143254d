"""The edit-lock conflict table (and the revision diffs) show what people edit: fields no
one edits (image renditions, import warnings, ninjs bookkeeping) are not dumped as raw
values; renditions made again for an unchanged image are summarised in one line."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db.models import F

from releases.models import Release
from releases.revisions.diff import NEW_RENDITIONS, diff_snapshots
from releases.revisions.record import record_baseline
from releases.revisions.snapshots import live_snapshot
from tests.factories import ReleaseFactory, editor, image_bytes
from tests.test_admin import change_url
from tests.test_concurrent_editing import logged_in, open_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def conflict_rows(release, change) -> tuple[list, str]:
    """Opens the form, lets ``change(release)`` happen meanwhile, saves: the conflict's
    rows and the page."""
    record_baseline(release.pk)  # what the form is compared from
    client = logged_in(editor(username="bob"))
    data = open_form(client, release)
    change(Release.objects.get(pk=release.pk))
    data["summary"] = "Bob's lede."
    response = client.post(change_url(release), data)
    assert response.status_code == 200
    conflict = response.context["adminform"].form.edit_conflict
    assert conflict is not None
    return conflict.rows, response.content.decode()


def test_a_new_featured_image_shows_as_one_row_without_its_renditions():
    release = ReleaseFactory(draft=True)

    def add_image(other):
        other.featured_image_alt = "Quay"
        other.featured_image.save("quay.jpg", ContentFile(image_bytes((3000, 2000))))

    rows, html = conflict_rows(release, add_image)
    labels = [row.label for row in rows]
    assert "Featured image" in labels
    assert not any("rendition" in label.lower() for label in labels)
    assert "image/webp" not in html and ".1920w." not in html
    assert all(len(row.html) < 1000 for row in rows)


def test_renditions_made_again_for_the_same_image_are_summarised():
    release = ReleaseFactory(draft=True, featured_image_alt="Quay")
    release.featured_image.save("quay.jpg", ContentFile(image_bytes((1000, 800))))

    def remake(other):
        records = [
            {**record, "size": record["size"] + 1} for record in other.featured_image_renditions
        ]
        Release.objects.filter(pk=other.pk).update(
            featured_image_renditions=records, edit_version=F("edit_version") + 1
        )

    rows, html = conflict_rows(release, remake)
    assert [(row.label, str(row.html)) for row in rows] == [("Featured image", NEW_RENDITIONS)]
    assert "image/webp" not in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("import_warnings", [{"field": "dateline", "note": "guessed " * 200}]),
        ("ninjs_uri", "urn:newsml:example.org:2025:kelp"),
        ("ninjs_subjects", [{"name": "Oceans", "uri": "http://cv.iptc.org/x"}]),
    ],
)
def test_fields_no_one_edits_are_not_compared(field, value):
    release = ReleaseFactory(draft=True)
    before = live_snapshot(release.pk)
    Release.objects.filter(pk=release.pk).update(**{field: value, "headline": "New headline"})
    rows = diff_snapshots(before, live_snapshot(release.pk))
    assert [row.label for row in rows] == ["Headline"]
