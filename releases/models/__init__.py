from releases.models.people import Author, Contact, Organization
from releases.models.release import (
    Attachment,
    Correction,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    ReleaseQuerySet,
    ReleaseSlug,
    Status,
    public_tags,
    published_q,
)
from releases.models.review import ReviewNote
from releases.models.version import DataVersion

__all__ = [
    "Attachment",
    "Author",
    "Contact",
    "Correction",
    "DataVersion",
    "Organization",
    "Release",
    "ReleaseContact",
    "ReleaseOrganization",
    "ReleaseQuerySet",
    "ReleaseSlug",
    "ReviewNote",
    "Status",
    "public_tags",
    "published_q",
]
