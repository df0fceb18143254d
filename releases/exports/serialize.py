"""The canonical release dict: what the JSON and NDJSON exports write and import reads.

``release_to_dict(release)`` returns every part of a release with its people, keys
always in the same order, times in ISO 8601 UTC (``2024-05-01T09:30:00Z``, with
microseconds when the time has them), so the same data serializes to the same bytes.

Costs: free for releases from ``reading.read_for_export`` (which attaches the parts
as lists) or ``Release.objects.with_parts().prefetch_related("corrections",
"attachments")``. Called on a bare release it runs one query per relation (5, plus one
for the author). Each stored file (featured image, attachments) is read once for its
checksum (``releases.exports.files``).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin

from taggit.models import Tag

from releases.exports.files import LinkedFiles
from releases.models import Attachment, Contact, Correction, Organization, Release
from releases.models.release import CONTACT_ORDER, ORGANIZATION_ORDER

# Names of the lists ``reading.read_for_export`` attaches to each release. Plain lists,
# not the related managers: at 100,000 releases building a queryset per relation per
# row (taggit's especially) would cost more than the export itself.
ORGANIZATIONS = "export_organizations"
CONTACTS = "export_contacts"
TAGS = "export_tags"
CORRECTIONS = "export_corrections"
ATTACHMENTS = "export_attachments"


# -- the parts, prefetched or not ------------------------------------------------------


def _prefetched(release: Release, attr: str, manager: str) -> list | None:
    if (cached := getattr(release, attr, None)) is not None:
        return cached
    if manager in getattr(release, "_prefetched_objects_cache", {}):
        return list(getattr(release, manager).all())
    return None


def organizations_of(release: Release) -> list[Organization]:
    """The issuing organizations in order (first = issuer)."""
    found = _prefetched(release, ORGANIZATIONS, "organizations")
    if found is None:
        found = list(release.organizations.order_by(*ORGANIZATION_ORDER))
    return found


def contacts_of(release: Release) -> list[Contact]:
    """The media contacts in order, each with its organization."""
    found = _prefetched(release, CONTACTS, "contacts")
    if found is None:
        found = list(release.contacts.select_related("organization").order_by(*CONTACT_ORDER))
    return found


def tags_of(release: Release) -> list[Tag]:
    """Tags sorted by name, case-insensitively: tags have no order of their own."""
    found = _prefetched(release, TAGS, "tags")
    if found is None:
        found = list(release.tags.all())
    return sorted(found, key=lambda tag: (tag.name.casefold(), tag.name))


def corrections_of(release: Release) -> list[Correction]:
    found = _prefetched(release, CORRECTIONS, "corrections")
    if found is None:
        found = list(release.corrections.order_by("noted_at", "id"))
    return found


def attachments_of(release: Release) -> list[Attachment]:
    """The media kit in its order (position, then id)."""
    found = _prefetched(release, ATTACHMENTS, "attachments")
    if found is None:
        found = list(release.attachments.order_by("position", "id"))
    return found


# -- values ----------------------------------------------------------------------------


def iso(value: dt.datetime | None) -> str | None:
    """``2024-05-01T09:30:00Z``: UTC, ``Z``, microseconds only when there are some."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def absolute_url(base_url: str, path: str) -> str:
    """``path`` on ``base_url``'s site. Root-relative paths (what ``reverse`` and local
    media give) are joined by hand: ``urljoin`` costs more than the rest of a CSV row."""
    if path.startswith("/") and not path.startswith("//"):
        return base_url.rstrip("/") + path
    return urljoin(base_url.rstrip("/") + "/", path)


def phone_e164(contact: Contact) -> str:
    """``+442079460000``, ``+442079460000;ext=204`` with an extension (RFC 3966's
    parameter, which the importers read back), or "" without a number: see
    ``Contact.phone_text``.

    Never ``bool(contact.phone)``: that validates the number against the metadata of
    its country, dozens of microseconds each time.
    """
    return contact.phone_text


# -- the dict --------------------------------------------------------------------------

# The keys of ``release_to_dict``, in order (documented in docs/export-formats.md).
RELEASE_KEYS = (
    "id",
    "slug",
    "headline",
    "subheadline",
    "dateline",
    "summary",
    "body",
    "status",
    "published_at",
    "embargoed_until",
    "withdrawn_at",
    "withdrawal_reason",
    "language",
    "source_url",
    "featured_image",
    "featured_image_alt",
    "featured_image_caption",
    "featured_image_credit",
    "created_at",
    "updated_at",
    "author",
    "organizations",
    "contacts",
    "tags",
    "corrections",
    "attachments",
)


def organization_to_dict(organization: Organization) -> dict:
    return {
        "name": organization.name,
        "short_name": organization.short_name,
        "slug": organization.slug,
        "boilerplate": organization.boilerplate,
        "website": organization.website,
        "location": organization.location,
    }


def contact_to_dict(contact: Contact) -> dict:
    # ``notes`` are private to the newsroom and never leave it.
    return {
        "name": contact.name,
        "role": contact.role,
        "organization": contact.organization.name if contact.organization else None,
        "email": contact.email,
        "phone": phone_e164(contact),
    }


def attachment_to_dict(attachment: Attachment, files: LinkedFiles) -> dict:
    return {
        "title": attachment.title,
        "description": attachment.description,
        "position": attachment.position,
        "file": files.entry(attachment.file),
    }


def release_to_dict(release: Release, files: LinkedFiles | None = None) -> dict:
    """The release and its people as plain JSON-ready data (see the module docstring).

    ``files`` describes the featured image and the attachments' files
    (``releases.exports.files``); by default with root-relative URLs. Each distinct
    file is read once (its checksum)."""
    files = files or LinkedFiles()
    author = release.author
    return {
        "id": release.pk,
        "slug": release.slug,
        "headline": release.headline,
        "subheadline": release.subheadline,
        "dateline": release.dateline,
        "summary": release.summary,
        "body": release.body,
        "status": release.status,
        "published_at": iso(release.published_at),
        "embargoed_until": iso(release.embargoed_until),
        "withdrawn_at": iso(release.withdrawn_at),
        "withdrawal_reason": release.withdrawal_reason,
        "language": release.language,
        "source_url": release.source_url,
        "featured_image": files.entry(release.featured_image),
        "featured_image_alt": release.featured_image_alt,
        "featured_image_caption": release.featured_image_caption,
        "featured_image_credit": release.featured_image_credit,
        "created_at": iso(release.created_at),
        "updated_at": iso(release.updated_at),
        "author": (
            {"name": author.name, "slug": author.slug, "bio": author.bio} if author else None
        ),
        "organizations": [organization_to_dict(o) for o in organizations_of(release)],
        "contacts": [contact_to_dict(c) for c in contacts_of(release)],
        "tags": [tag.name for tag in tags_of(release)],
        "corrections": [
            {"noted_at": iso(c.noted_at), "note": c.note} for c in corrections_of(release)
        ],
        "attachments": [attachment_to_dict(a, files) for a in attachments_of(release)],
    }
