"""The editors' admin. Importing the package registers every model admin."""

from releases.admin.people import AuthorAdmin, ContactAdmin, OrganizationAdmin
from releases.admin.release import ReleaseAdmin

__all__ = ["AuthorAdmin", "ContactAdmin", "OrganizationAdmin", "ReleaseAdmin"]
