"""Revisions of releases, kept by django-reversion, and the optimistic check of the form.

A revision holds the release's own fields (not its bookkeeping: ``edit_version``,
``updated_at``/``updated_by``, ``search_vector``) and, followed, its organization and
contact links with their positions, its attachments, its corrections, and its taggings
with their tags. ``record.record_revision`` adds one only when something changed since the
latest (reversion's ``ignore_duplicates`` compares the release's own fields only, so a
change of tags or order alone would be lost).

- ``snapshots``: a revision or the stored release as comparable values;
- ``diff``: two snapshots as readable, escaped rows;
- ``record``: recording (the admin's saves, the services' actions through ``release_action``);
- ``restore``: a revision brought back as a new one;
- ``concurrency``: the release form's version check.
"""

from __future__ import annotations

import reversion
from taggit.models import Tag, TaggedItem

from releases.models import Attachment, Correction, Release, ReleaseContact, ReleaseOrganization

# Saved on every write or derived: in a revision they would make every save look changed.
BOOKKEEPING_FIELDS = ("edit_version", "updated_at", "updated_by", "search_vector")
FOLLOWED = ("releaseorganization_set", "releasecontact_set", "attachments", "corrections")


def register_models() -> None:
    """Register the release and its parts with reversion; called from ``AppConfig.ready``."""
    if reversion.is_registered(Release):
        return
    reversion.register(
        Release,
        exclude=BOOKKEEPING_FIELDS,
        # ``tagged_items`` (a property): taggit's TaggableManager yields Tags, not the
        # taggings, so following ``tags`` would not say which tags the release had.
        follow=(*FOLLOWED, "tagged_items"),
    )
    for model in (ReleaseOrganization, ReleaseContact, Attachment, Correction, Tag):
        reversion.register(model)
    # The tag is followed for its name: a tag deleted since can be made again on restore.
    reversion.register(TaggedItem, follow=("tag",))
