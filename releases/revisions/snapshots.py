"""A release as comparable values: from a stored revision or from the database now.

Two snapshots are equal exactly when nothing a revision records differs, which is how
``record`` skips a save without a change and how ``diff`` finds what to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from releases.models import Attachment, Correction, Release, ReleaseContact, ReleaseOrganization
from releases.revisions import BOOKKEEPING_FIELDS

# The release's own fields a revision records and a diff shows, in form order.
SNAPSHOT_FIELDS = tuple(
    field
    for field in Release._meta.concrete_fields
    if not field.primary_key and field.name not in (*BOOKKEEPING_FIELDS, "created_at", "created_by")
)


@dataclass(frozen=True)
class Snapshot:
    """``fields``: attname → stored value (a file as its name, a foreign key as its id);
    ``organizations``/``contacts``: ids in order; ``tags``: names, sorted;
    ``attachments``: (title, file name) in order; ``corrections``: (noted_at, note)."""

    fields: dict
    organizations: tuple[int, ...]
    contacts: tuple[int, ...]
    tags: tuple[str, ...]
    attachments: tuple[tuple[str, str], ...]
    corrections: tuple[tuple, ...]


def _plain(field: models.Field, value):
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    return value


def release_versions(release_or_pk) -> models.QuerySet[Version]:
    """The release's own versions, newest first (one per revision that changed it)."""
    pk = getattr(release_or_pk, "pk", release_or_pk)
    return (
        Version.objects.get_for_object_reference(Release, pk)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def latest_version(release) -> Version | None:
    return release_versions(release).first()


def live_snapshot(release_pk: int) -> Snapshot:
    """The release as stored now. Seven queries."""
    release = Release.objects.get(pk=release_pk)
    return Snapshot(
        fields={f.attname: _plain(f, getattr(release, f.attname)) for f in SNAPSHOT_FIELDS},
        organizations=tuple(
            ReleaseOrganization.objects.filter(release=release).values_list(
                "organization_id", flat=True
            )
        ),
        contacts=tuple(
            ReleaseContact.objects.filter(release=release).values_list("contact_id", flat=True)
        ),
        tags=tuple(sorted(release.tags.names())),
        attachments=tuple(
            (a.title, a.file.name) for a in Attachment.objects.filter(release=release)
        ),
        corrections=tuple(
            Correction.objects.filter(release=release).values_list("noted_at", "note")
        ),
    )


def parts_of(version: Version) -> dict[type, list]:
    """The objects a release's revision holds besides the release, by model, as the
    unsaved instances reversion stores (two queries)."""
    parts: dict[type, list] = {}
    for part in version.revision.version_set.select_related("content_type"):
        if part.pk != version.pk:
            parts.setdefault(part._model, []).append(part._object_version.object)
    return parts


def version_snapshot(version: Version) -> Snapshot:
    """The release as a revision recorded it."""
    pk = int(version.object_id)
    parts = parts_of(version)
    stored = version.field_dict

    def ordered(model, key):
        rows = [row for row in parts.get(model, []) if row.release_id == pk]
        return sorted(rows, key=lambda row: (*key(row), row.pk))

    release_type = ContentType.objects.get_for_model(Release)
    tag_names = {tag.pk: tag.name for tag in parts.get(Tag, [])}
    tag_ids = [
        item.tag_id
        for item in parts.get(TaggedItem, [])
        if item.content_type_id == release_type.pk and str(item.object_id) == str(pk)
    ]
    missing = [tag_id for tag_id in tag_ids if tag_id not in tag_names]
    tag_names.update(Tag.objects.filter(pk__in=missing).values_list("pk", "name"))
    return Snapshot(
        fields={f.attname: _plain(f, stored.get(f.attname)) for f in SNAPSHOT_FIELDS},
        organizations=tuple(
            row.organization_id for row in ordered(ReleaseOrganization, lambda row: (row.position,))
        ),
        contacts=tuple(
            row.contact_id for row in ordered(ReleaseContact, lambda row: (row.position,))
        ),
        tags=tuple(sorted(tag_names[t] for t in tag_ids if t in tag_names)),
        attachments=tuple(
            (row.title, row.file.name) for row in ordered(Attachment, lambda r: (r.position,))
        ),
        corrections=tuple(
            (row.noted_at, row.note) for row in ordered(Correction, lambda r: (r.noted_at,))
        ),
    )
