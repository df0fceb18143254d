"""The release form's optimistic check: a save is refused when someone saved since it opened.

Why ``Release.edit_version`` and not the latest revision's id: every save moves it (form,
service, import, shell) even where no revision is recorded, and it is read from the row
the save locks, so two saves cannot both pass the check. The form also carries the id of
the latest revision it was opened at (``opened_revision``), only to show what the other
person changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from releases.models import Release
from releases.revisions.diff import DiffRow, diff_snapshots
from releases.revisions.snapshots import (
    latest_version,
    live_snapshot,
    release_versions,
    version_snapshot,
)
from releases.times import local_time


@dataclass(frozen=True)
class EditConflict:
    """What the other person did: who saved (names, newest first), when, and the rows
    that changed since the form was opened (empty when no revision shows it)."""

    editors: list[str]
    saved_at: str
    rows: list[DiffRow]
    current_version: int
    latest_revision: int | None

    @property
    def message(self) -> str:
        who = ", ".join(self.editors) or "Someone"
        return (
            f"{who} saved this release ({self.saved_at}) after you opened it, so your "
            "save was refused. Your input is kept below; their changes are listed at the "
            "top. Merge what you need and save again to keep your version."
        )


def find_edit_conflict(release_pk: int, opened_version: int, opened_revision: int | None):
    """``EditConflict`` when the stored version is not ``opened_version``, else ``None``.

    Locks the release's row (``SELECT … FOR UPDATE`` on PostgreSQL) until the save's
    transaction ends, so a concurrent save waits and then sees the moved version."""
    current = (
        Release.objects.select_for_update()
        .filter(pk=release_pk)
        .values_list("edit_version", flat=True)
        .first()
    )
    if current is None or current == opened_version:
        return None
    versions = release_versions(release_pk)
    base = versions.filter(pk=opened_revision).first() if opened_revision else versions.last()
    newer = list(versions.filter(pk__gt=base.pk)) if base else list(versions)
    latest = latest_version(release_pk)
    release = Release.objects.select_related("updated_by").get(pk=release_pk)
    editors = []
    for version in newer:
        name = version.revision.user.get_username() if version.revision.user else "Someone"
        if name not in editors:
            editors.append(name)
    if not editors and release.updated_by is not None:
        editors.append(release.updated_by.get_username())
    return EditConflict(
        editors=editors,
        saved_at=local_time(release.updated_at),
        rows=diff_snapshots(version_snapshot(base), live_snapshot(release_pk)) if base else [],
        current_version=current,
        latest_revision=latest.pk if latest else None,
    )


class EditVersionFormMixin(forms.Form):
    """Adds the two hidden fields and the check to a ``Release`` model form.

    A form posted without ``opened_version`` (a script, not the admin's page) is not
    checked. On a conflict the form is invalid with ``edit_conflict`` set, and its hidden
    fields now carry the current values, so saving again deliberately goes through."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    opened_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    edit_conflict: EditConflict | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.instance.edit_version
            latest = latest_version(self.instance.pk)
            self.fields["opened_revision"].initial = latest.pk if latest else None

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk is None or opened is None:
            return cleaned
        conflict = find_edit_conflict(self.instance.pk, opened, cleaned.get("opened_revision"))
        if conflict is None:
            return cleaned
        self.edit_conflict = conflict
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = str(conflict.current_version)
        self.data[self.add_prefix("opened_revision")] = str(conflict.latest_revision or "")
        raise forms.ValidationError(conflict.message, code="edit_conflict")
