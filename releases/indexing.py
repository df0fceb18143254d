"""The full-text index of releases: one weighted ``tsvector`` per release, on PostgreSQL.

What a release's ``search_vector`` holds (config ``newsroom_english``, see
``SEARCH_CONFIG``: PostgreSQL's ``english`` with accents removed before stemming, so
"Zurich" and "Zürich", "Sao Paulo" and "São Paulo" are the same words; migration 0008):

- A: the headline and the tag names. Tags are the few words an editor chose to say what
  the release is about, so they weigh like the headline.
- B: the subheadline, the summary, and the names and short names of the organizations.
  Organizations are B, not A: every release an organization issues carries its name, so
  a release *about* the organization (its name in the headline) should outrank the
  routine ones.
- C: the text of the body (tags stripped, entities decoded).

The vector is rebuilt in SQL by ONE ``UPDATE`` per call, from the row's own columns and
two correlated subqueries (tag names, organization names): nothing travels through
Python, so reindexing 100,000 releases is a few dozen statements.

When it is refreshed (all in the transaction of the change):

- ``Release.save()``, unless ``update_fields`` leaves the indexed text alone;
- tags added, removed, set or cleared (``m2m_changed`` of ``Release.tags.through``),
  a tag renamed or deleted;
- organizations linked with ``release.organizations.add()`` (``m2m_changed``
  ``post_add``; ``add()`` bulk-creates the link rows, so no ``post_save``), link rows
  saved or deleted one by one (``post_save`` / ``post_delete`` of
  ``ReleaseOrganization``: the admin inline, ``objects.create()``, and ``remove()``,
  ``set()`` and ``clear()``, whose deletes send ``post_delete`` per row);
- an organization renamed (name or short name).

Not covered, by design of the ORM: ``QuerySet.update()``, ``bulk_create()`` and
``bulk_update()`` of releases or of their link rows, and ``loaddata`` (raw saves). Such
callers call ``update_search_vectors(ids)`` themselves (as ``release_duplicate`` does)
or run ``manage.py reindex_search``.

Why signals here, when the style guide keeps domain work out of them: the vector is
derived data, like a cache, and must follow every path that changes its sources,
including the admin's m2m widgets and taggit's manager, which only speak signals.

On any other database every function here is a no-op and the column stays NULL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connections, router
from django.db.models import F, Func, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Concat, Replace
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from releases.models import Organization, Release, ReleaseOrganization

# Created by migration 0008_search_unaccent (english + the unaccent dictionary).
SEARCH_CONFIG = "newsroom_english"

# The fields of Release that feed the vector; a save that touches none of them (a status
# change, say) does not rebuild it.
INDEXED_FIELDS = frozenset({"headline", "subheadline", "summary", "body"})

# The body is sanitized by nh3 on save: every "<" of the text is written "&lt;", so any
# "<" starts a tag. A tag cut off at the end (see ``plain_text(length=…)``) is removed too.
_TAG_PATTERN = r"<[^>]*(>|$)"
# What nh3 writes in text nodes; "&amp;" last, so "&amp;lt;" stays "&lt;".
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\u00a0"), ("&quot;", '"'), ("&amp;", "&"))


def is_supported(using: str | None = None) -> bool:
    using = using or router.db_for_write(Release)
    return connections[using].vendor == "postgresql"


def plain_text(expression, *, length: int | None = None) -> Func:
    """SQL (PostgreSQL) for the text of sanitized HTML: tags become spaces, entities are
    decoded. Tags become spaces, not nothing, so "</p><p>" does not glue two words.

    ``length`` cuts the HTML first, to bound the cost when only the start is needed.
    """
    if length is not None:
        expression = Func(expression, Value(length), function="LEFT", output_field=TextField())
    text = Func(
        expression,
        Value(_TAG_PATTERN),
        Value(" "),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )
    for entity, character in _ENTITIES:
        text = Replace(text, Value(entity), Value(character), output_field=TextField())
    return text


def _tag_names() -> Subquery:
    through = Release.tags.through
    return Subquery(
        through.objects.filter(
            content_type__app_label=Release._meta.app_label,
            content_type__model=Release._meta.model_name,
            object_id=OuterRef("pk"),
        )
        .values("object_id")
        .annotate(names=StringAgg("tag__name", " "))
        .values("names")
    )


def _organization_names() -> Subquery:
    return Subquery(
        ReleaseOrganization.objects.filter(release=OuterRef("pk"))
        .values("release")
        .annotate(
            names=StringAgg(
                Concat(
                    "organization__name",
                    Value(" "),
                    "organization__short_name",
                    output_field=TextField(),
                ),
                " ",
            )
        )
        .values("names")
    )


def search_document() -> SearchVector:
    """The weighted vector of a release, as an expression over its row (see module doc)."""
    config = SEARCH_CONFIG
    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector(_tag_names(), weight="A", config=config)
        + SearchVector("subheadline", "summary", weight="B", config=config)
        + SearchVector(_organization_names(), weight="B", config=config)
        + SearchVector(plain_text(F("body")), weight="C", config=config)
    )


def update_search_vectors(release_ids: Iterable[int] | QuerySet, *, using=None) -> int:
    """Rebuild the vectors of these releases in one UPDATE; return how many rows changed.

    ``release_ids`` may be a list or a ``values("pk")``-style queryset (then it stays a
    subquery). Does not touch ``updated_at``. No query at all on other databases.
    """
    using = using or router.db_for_write(Release)
    if not is_supported(using):
        return 0
    if not isinstance(release_ids, QuerySet):
        release_ids = [pk for pk in release_ids if pk is not None]
        if not release_ids:
            return 0
    return (
        Release.objects.using(using)
        .filter(pk__in=release_ids)
        .update(search_vector=search_document())
    )


def update_search_vectors_after_save(release: Release, update_fields=None) -> None:
    """Called by ``Release.save()``, inside its transaction."""
    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return
    update_search_vectors([release.pk], using=release._state.db)


# -- keeping the index current when tags and organizations change ----------------------


def _tags_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # taggit sends post_add even when nothing was added (``set()`` always calls add()).
    if action != "post_clear" and not pk_set:
        return
    if isinstance(instance, Release):
        update_search_vectors([instance.pk], using=using)
    elif reverse and model is Release:
        update_search_vectors(pk_set, using=using)


def _tagged_release_ids(tag):
    return Release.tags.through.objects.filter(
        tag=tag,
        content_type__app_label=Release._meta.app_label,
        content_type__model=Release._meta.model_name,
    ).values("object_id")


def _names_before_save(sender, instance, raw, using, update_fields, **kwargs):
    """Remember a tag's or organization's names, to tell a rename from another edit."""
    instance._names_before_save = None
    if raw or instance.pk is None or not is_supported(using):
        return
    fields = ["name", "short_name"] if sender is Organization else ["name"]
    if update_fields is not None and not set(fields).intersection(update_fields):
        return
    instance._names_before_save = (
        sender._default_manager.using(using).filter(pk=instance.pk).values_list(*fields).first()
    )


def _organization_saved(sender, instance, created, raw, using, **kwargs):
    before = getattr(instance, "_names_before_save", None)
    if created or raw or before is None or before == (instance.name, instance.short_name):
        return
    update_search_vectors(
        ReleaseOrganization.objects.using(using).filter(organization=instance).values("release_id"),
        using=using,
    )


def _tag_saved(sender, instance, created, raw, using, **kwargs):
    before = getattr(instance, "_names_before_save", None)
    if created or raw or before is None or before == (instance.name,):
        return
    update_search_vectors(_tagged_release_ids(instance).using(using), using=using)


def _tag_deleting(sender, instance, using, **kwargs):
    # The tagged items are gone by post_delete: collect the releases now.
    instance._releases_to_reindex = (
        list(_tagged_release_ids(instance).using(using).values_list("object_id", flat=True))
        if is_supported(using)
        else []
    )


def _tag_deleted(sender, instance, using, **kwargs):
    update_search_vectors(getattr(instance, "_releases_to_reindex", []), using=using)


def _organizations_added(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    # Only post_add: remove(), set() and clear() delete the link rows one by one, which
    # ``_organization_link_changed`` sees through post_delete.
    if action != "post_add" or not pk_set:
        return
    update_search_vectors(pk_set if reverse else [instance.pk], using=using)


def _organization_link_changed(sender, instance, using, raw=False, origin=None, **kwargs):
    if raw:
        return
    # A release being deleted takes its links with it: nothing left to index.
    if isinstance(origin, Release) or (isinstance(origin, QuerySet) and origin.model is Release):
        return
    update_search_vectors([instance.release_id], using=using)


def connect_signals() -> None:
    """Connected once from ``ReleasesConfig.ready()``."""
    tag_model = Release.tags.through.tag_model()
    m2m_changed.connect(
        _tags_changed, sender=Release.tags.through, dispatch_uid="search_tags_changed"
    )
    m2m_changed.connect(
        _organizations_added,
        sender=Release.organizations.through,
        dispatch_uid="search_organizations_added",
    )
    post_save.connect(
        _organization_link_changed,
        sender=ReleaseOrganization,
        dispatch_uid="search_organization_link_saved",
    )
    post_delete.connect(
        _organization_link_changed,
        sender=ReleaseOrganization,
        dispatch_uid="search_organization_link_deleted",
    )
    for model, saved, uid in (
        (Organization, _organization_saved, "organization"),
        (tag_model, _tag_saved, "tag"),
    ):
        pre_save.connect(_names_before_save, sender=model, dispatch_uid=f"search_{uid}_names")
        post_save.connect(saved, sender=model, dispatch_uid=f"search_{uid}_renamed")
    pre_delete.connect(_tag_deleting, sender=tag_model, dispatch_uid="search_tag_deleting")
    post_delete.connect(_tag_deleted, sender=tag_model, dispatch_uid="search_tag_deleted")
