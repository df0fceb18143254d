"""The editors' admin. Importing the package registers every model admin."""

from releases.admin.people import AuthorAdmin, ContactAdmin, OrganizationAdmin
from releases.admin.release import ReleaseAdmin
from releases.admin.tags import TagAdmin

__all__ = ["AuthorAdmin", "ContactAdmin", "OrganizationAdmin", "ReleaseAdmin", "TagAdmin"]
