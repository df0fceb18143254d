"""The data version: one row that every write to public data moves.

Timestamps of rows cannot show a row that is gone (a deleted release, an unlinked
organization, a removed tag) nor a change of a row without one (a renamed tag or
author). ``releases.freshness`` moves this row from signal receivers, in the
transaction of the write, and reads it in ``public_last_modified()``.
"""

from django.db import models


class DataVersion(models.Model):
    """The only row has pk ``ROW``; ``releases.freshness`` creates it when missing.

    ``changed_at``: the last write to a release, its links, tags, attachments,
    corrections, slugs, or to an organization, author or contact (saved or deleted).
    ``tags_changed_at``: the last time a tag was renamed or deleted or a release's tags
    changed: release cards print tag names and are cached under it.
    """

    ROW = 1

    changed_at = models.DateTimeField(null=True, blank=True)
    tags_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"Public data changed at {self.changed_at}"
