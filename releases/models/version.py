"""The data version: a log of writes to public data, read for its newest entry.

Timestamps of rows cannot show a row that is gone (a deleted release, an unlinked
organization, a removed tag) nor a change of a row without one (a renamed tag or
author). ``releases.freshness`` adds an entry from signal receivers, in the transaction
of the write, reads the newest in ``public_last_modified()`` and prunes the old ones.

A log of inserts, not one row updated in place: concurrent writers never wait for each
other's transactions (an import holding the lock of a single row for its whole file
would stall every editor's save).
"""

from django.db import models
from django.db.models import Q


class DataVersion(models.Model):
    """One write (or several, one transaction's) to public data, at ``changed_at``.

    ``tags``: the write renamed or deleted a tag or changed a release's tags; release
    cards print tag names and are cached under the newest such entry. ``release_id``: see
    below.
    """

    changed_at = models.DateTimeField()
    tags = models.BooleanField(default=False)
    # The one release a write concerned when it moved no release on or off a list (an edit
    # of its text, its files, or of a draft): only the pages that show that release are
    # stale (``releases.pagecache``). Null: any page may be.
    release_id = models.BigIntegerField(null=True, blank=True)
    # That release was a draft or in review before and after: no public page shows it.
    unlisted = models.BooleanField(default=False)
    # The write took a release out of public view (a public release back to draft, in
    # review, rescheduled, embargoed again, withdrawn or deleted): no page stored before
    # it may stand in for a page being rendered after it (``releases.pagecache``).
    takedown = models.BooleanField(default=False)
    # The release whose own row the write saved (whatever else it changed, and even when
    # its ``updated_at`` did not move: a raw save, a time set back by an importer). The
    # facets kept per block recount the blocks of these releases (``releases.facets``);
    # an entry naming no release at all (links, tags, people, deletes, bulk updates) has
    # every block recounted. Entries are kept ``KEEP_SECONDS`` at least for that.
    row_release_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "data version"
        indexes = [
            models.Index(fields=["-changed_at"], name="dataversion_changed_idx"),
            models.Index(
                fields=["-changed_at"], condition=Q(tags=True), name="dataversion_tags_idx"
            ),
            models.Index(fields=["release_id", "id"], name="dataversion_release_idx"),
            models.Index(
                fields=["-changed_at"],
                condition=Q(row_release_id__isnull=True, release_id__isnull=True),
                name="dataversion_unscoped_idx",
            ),
            models.Index(
                fields=["-changed_at", "row_release_id"],
                condition=Q(row_release_id__isnull=False),
                name="dataversion_row_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Public data changed at {self.changed_at}"
