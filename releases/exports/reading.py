"""Reading releases for an export: chunks, and their parts from per-export caches.

``read_for_export(queryset, chunk_size=…)`` yields the releases of ``queryset`` in its
order, each with its author, organizations, contacts, tags, corrections and attachments
attached (the lists ``serialize`` reads), so no serializer runs a query.

Why not ``prefetch_related``: it builds a fresh model instance of every organization,
contact and tag for every release that links it, and a contact's phone number is
parsed again each time. Exports link a few hundred organizations and contacts
thousands of times; here each is loaded once per export and shared (read-only) by the
releases that link it. At 100,000 releases this is most of the export's time.

Queries: the releases (one server-side cursor on PostgreSQL), then per chunk one for
each kind of link (organizations, contacts, tags, corrections, attachments) and, only when a chunk
links some not seen before, one for those authors, organizations, contacts or tags.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from taggit.models import Tag

from releases.exports.serialize import ATTACHMENTS, CONTACTS, CORRECTIONS, ORGANIZATIONS, TAGS
from releases.models import (
    Attachment,
    Author,
    Contact,
    Correction,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
)

DEFAULT_CHUNK_SIZE = 500


class _Known:
    """Rows loaded once per export, by primary key."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset
        self.rows: dict[int, object] = {}

    def get(self, pks) -> dict[int, object]:
        missing = {pk for pk in pks if pk not in self.rows}
        if missing:
            self.rows.update(self.queryset.in_bulk(missing))
        return self.rows


def read_for_export(
    queryset: QuerySet[Release], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Iterator[Release]:
    # The caller's joins and prefetches (the admin's, say) would only be read again.
    rows = (
        _without_annotations(queryset)
        .select_related(None)
        .prefetch_related(None)
        .defer("search_vector")
        .iterator(chunk_size=chunk_size)
    )
    authors = _Known(Author.objects.all())
    organizations = _Known(Organization.objects.all())
    contacts = _Known(Contact.objects.select_related("organization"))
    tags = _Known(Tag.objects.all())
    release_type = ContentType.objects.get_for_model(Release)
    tagged = Release.tags.through.objects.filter(content_type=release_type)

    while chunk := list(islice(rows, chunk_size)):
        ids = _id_list([release.pk for release in chunk], queryset.db)
        known_authors = authors.get({r.author_id for r in chunk if r.author_id is not None})
        organization_links = _grouped(
            ReleaseOrganization.objects.filter(release_id__in=ids)
            .order_by("release_id", "position", "id")
            .values_list("release_id", "organization_id")
        )
        contact_links = _grouped(
            ReleaseContact.objects.filter(release_id__in=ids)
            .order_by("release_id", "position", "id")
            .values_list("release_id", "contact_id")
        )
        tag_links = _grouped(tagged.filter(object_id__in=ids).values_list("object_id", "tag_id"))
        corrections = defaultdict(list)
        for correction in Correction.objects.filter(release_id__in=ids).order_by("noted_at", "id"):
            corrections[correction.release_id].append(correction)
        attachments = defaultdict(list)
        for attachment in Attachment.objects.filter(release_id__in=ids).order_by(
            "release_id", "position", "id"
        ):
            attachments[attachment.release_id].append(attachment)
        known_organizations = organizations.get(_all(organization_links))
        known_contacts = contacts.get(_all(contact_links))
        known_tags = tags.get(_all(tag_links))

        for release in chunk:
            if release.author_id is not None:
                release.author = known_authors[release.author_id]
            pk = release.pk
            setattr(
                release, ORGANIZATIONS, [known_organizations[i] for i in organization_links[pk]]
            )
            setattr(release, CONTACTS, [known_contacts[i] for i in contact_links[pk]])
            setattr(release, TAGS, [known_tags[i] for i in tag_links[pk]])
            setattr(release, CORRECTIONS, corrections[pk])
            setattr(release, ATTACHMENTS, attachments[pk])
        yield from chunk


def _without_annotations(queryset: QuerySet[Release]) -> QuerySet[Release]:
    """The same releases in the same order, without computed columns: a search's
    snippet (``ts_headline`` over each body) and rank cost more than exporting the row.
    Kept as they are when the order needs them."""
    annotations = queryset.query.annotations
    order = queryset.query.order_by
    if not annotations or any(_refers_to(key, annotations) for key in order):
        return queryset
    return queryset.model._default_manager.filter(pk__in=queryset.values("pk")).order_by(*order)


def _refers_to(key, names) -> bool:
    if isinstance(key, str):
        return key.lstrip("-") in names
    nodes = key.flatten() if hasattr(key, "flatten") else [key]
    return any(getattr(node, "name", None) in names for node in nodes)


def _id_list(ids: list[int], alias: str):
    """``ids`` for an ``__in`` filter. On PostgreSQL one array parameter rather than
    one placeholder per id: psycopg parses a query of 500 placeholders anew each time
    (it caches only short ones), and that parsing was a fifth of an export's time."""
    if connections[alias].vendor != "postgresql":
        return ids
    return RawSQL("SELECT unnest(%s::bigint[])", (ids,))


def _grouped(pairs) -> defaultdict[int, list[int]]:
    grouped: defaultdict[int, list[int]] = defaultdict(list)
    for release_id, target_id in pairs:
        grouped[int(release_id)].append(target_id)
    return grouped


def _all(grouped: dict[int, list[int]]) -> set[int]:
    return {pk for pks in grouped.values() for pk in pks}
