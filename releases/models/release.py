"""The press release, its lifecycle and the one definition of “public”."""

from __future__ import annotations

import datetime as dt
import functools
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from releases import shown
from releases.file_facts import read_facts, uploaded_facts
from releases.images import AttachmentFileField, ImageSet, RenditionImageField
from releases.models.people import Author, Contact, Organization
from releases.sanitize import sanitize_html
from releases.slugs import ascii_slug
from releases.times import local_time
from releases.uploads import attachment_path, release_image_path

# Languages written right to left: Django's LANGUAGES_BIDI (ar, ckb, fa, he, ug, ur…)
# plus those Django has no translation for. A script subtag wins over the language
# ("pa-Arab" is right to left, "ku-Latn" left to right): BCP 47 / Unicode CLDR.
RTL_LANGUAGES = frozenset(settings.LANGUAGES_BIDI) | {"dv", "ps", "sd", "syr", "yi"}
RTL_SCRIPTS = frozenset({"adlm", "arab", "hebr", "nkoo", "rohg", "syrc", "thaa"})


def text_direction(language: str) -> str:
    """``"rtl"`` or ``"ltr"`` for a BCP 47 tag (``"ar"``, ``"fa-IR"``, ``"pa-Arab"``);
    ``"ltr"`` for an empty or unknown one."""
    subtags = (language or "").strip().lower().replace("_", "-").split("-")
    scripts = [subtag for subtag in subtags[1:] if len(subtag) == 4 and subtag.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in RTL_SCRIPTS else "ltr"
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


def published_q(now=None) -> Q:
    """The predicate of a public release, for ``filter()``, ``exclude()`` and joins.

    Public means: status *published*, publication time reached, embargo (if any)
    lifted. Both times are compared in the query, so a scheduled release goes live
    by itself at its time, with no job to run.
    """
    now = now or timezone.now()
    return Q(status=Status.PUBLISHED, published_at__lte=now) & (
        Q(embargoed_until__isnull=True) | Q(embargoed_until__lte=now)
    )


def public_tags(now=None) -> models.QuerySet[Tag]:
    """Tags carried by at least one public release (taggit's ``Tag`` queryset).

    A tag only drafts or embargoed releases carry may name something not yet announced,
    so it has no page, no facet, no feed and no sitemap entry. Costs one subquery; the
    content type comes from Django's per-process cache after the first call.
    """
    public_tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Release),
        object_id__in=Release.objects.published(now).values("pk"),
    )
    return Tag.objects.filter(pk__in=public_tagged.values("tag_id"))


# A many-to-many manager orders by the *related* model's Meta.ordering (names), not by
# the through model's; these orderings reuse the through join of the relation itself.
ORGANIZATION_ORDER = ("releaseorganization__position", "releaseorganization__id")
CONTACT_ORDER = ("releasecontact__position", "releasecontact__id")


class ReleaseQuerySet(models.QuerySet):
    def published(self, now=None) -> ReleaseQuerySet:
        """Releases anyone may read. Every public surface starts here."""
        return self.filter(published_q(now))

    def with_organizations(self) -> ReleaseQuerySet:
        """Prefetch organizations in editorial order (first = issuer): one query.

        A plain ``prefetch_related("organizations")`` would order them by name.
        """
        return self.prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by(*ORGANIZATION_ORDER))
        )

    def with_parts(self) -> ReleaseQuerySet:
        """Everything a release page prints, in 4 queries whatever the counts.

        Author joined; organizations, contacts (with their organization) and tags
        prefetched, organizations and contacts in their editorial order.
        """
        contacts = Contact.objects.select_related("organization").order_by(*CONTACT_ORDER)
        return (
            self.select_related("author")
            .with_organizations()
            .prefetch_related(Prefetch("contacts", queryset=contacts), "tags")
        )

    def scheduled(self, now=None) -> ReleaseQuerySet:
        now = now or timezone.now()
        return self.filter(status=Status.PUBLISHED).exclude(published_q(now))

    def withdrawn(self) -> ReleaseQuerySet:
        return self.filter(status=Status.WITHDRAWN)

    def newest_first(self) -> ReleaseQuerySet:
        return self.order_by("-published_at", "-id")


_SLUG_PLACEHOLDER = "slug-placeholder-0"


@functools.lru_cache(maxsize=16)
def _detail_url_pattern(urlconf: str, script_prefix: str) -> str:
    return reverse("releases:detail", kwargs={"slug": _SLUG_PLACEHOLDER}, urlconf=urlconf)


class Release(models.Model):
    # 1. release line: derived from embargoed_until (see ``release_line``).
    # 2-3. headline and dek
    headline = models.CharField(max_length=255)
    subheadline = models.CharField(max_length=300, blank=True, help_text="The dek.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="Part of the URL. Generated from the headline; old URLs keep working.",
    )
    # 4. dateline: the place; the date comes from the publication time.
    dateline = models.CharField(
        max_length=120, blank=True, help_text="City (and country), e.g. “LONDON” or “Geneva”."
    )
    # 5-6. lede and body
    summary = models.TextField(
        blank=True, help_text="The lede: used in lists, feeds, search results and social cards."
    )
    body = models.TextField(blank=True, help_text="Rich text; cleaned of unsafe HTML on save.")
    # 7 (boilerplate) comes from the organizations; 8 (###) is printed; 9 are the contacts.
    organizations = models.ManyToManyField(
        Organization,
        through="ReleaseOrganization",
        related_name="releases",
        blank=True,
        help_text="Issuing organizations; the first is the issuer.",
    )
    contacts = models.ManyToManyField(
        Contact, through="ReleaseContact", related_name="releases", blank=True
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="releases"
    )
    tags = TaggableManager(blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="In the future = scheduled: it goes live by itself at that time.",
    )
    embargoed_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Not public until then, whatever the publication time; staff can preview it.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=300, blank=True)

    featured_image = RenditionImageField(
        upload_to=release_image_path,
        max_length=255,
        blank=True,
        renditions_field="featured_image_renditions",
    )
    featured_image_alt = models.CharField(
        "alt text", max_length=300, blank=True, help_text="Required with an image."
    )
    featured_image_caption = models.CharField("caption", max_length=300, blank=True)
    featured_image_credit = models.CharField("credit", max_length=200, blank=True)
    # Made when the image is saved (releases.images); after the image, so one save
    # writes both.
    featured_image_renditions = models.JSONField(default=list, blank=True, editable=False)

    language = models.CharField(max_length=10, default="en", help_text="BCP 47, e.g. en, fr.")
    source_url = models.URLField(
        "source URL", max_length=500, blank=True, help_text="Where an imported release came from."
    )
    # Where a text import read the release (the file's ``file://`` URI on the server):
    # the importer matches a file sent again on it. Private: never exported, never in
    # the API or on a page (a server's local path is nobody's business); ``source_url``
    # holds only a public http(s) address.
    import_source = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    # Every guess an importer made that an editor should check ("the headline was taken
    # from line 3", "the phone number has no country code"), shown on the change form.
    import_warnings = models.JSONField(default=list, blank=True, editable=False)
    # SHA-256 of an imported text file's text (line ends normalised): the same text sent
    # again under another name is this release (releases.importers.text.writing).
    import_checksum = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # A ninjs item's identity (its ``uri``; ``guid`` in some 1.x feeds): importing an
    # item with the same uri again updates this release (releases.importers.ninjs).
    ninjs_uri = models.CharField(
        "ninjs URI",
        max_length=500,
        blank=True,
        editable=False,
        help_text="The imported item's uri.",
    )
    # The imported item's ``subjects`` as written (codes, schemes, URIs), so the ninjs
    # export gives them back; tags keep only the names.
    ninjs_subjects = models.JSONField(default=list, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic concurrency: one more on every save. The release form carries the value
    # it was opened at and is refused when the stored one has moved (releases.revisions).
    edit_version = models.PositiveIntegerField(default=0, editable=False)
    # Derived from the text, tags and organization names by releases.indexing; stays
    # NULL on SQLite, where search falls back to LIKE (see releases.search).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [("publish_release", "Can publish, schedule and withdraw releases")]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="release_newest_idx"),
            # The public list's order with every column of its visibility filter, over
            # published rows only: a page's ids past an OFFSET and the public count are
            # read from this index alone on PostgreSQL (no heap row per skipped release).
            # Plain key columns, not INCLUDE, so SQLite builds the same partial index.
            models.Index(
                fields=["-published_at", "-id", "embargoed_until"],
                condition=Q(status=Status.PUBLISHED),
                name="release_public_newest_idx",
            ),
            models.Index(fields=["status", "-published_at"], name="release_status_date_idx"),
            # public_last_modified() reads the latest write and the latest lifted embargo.
            models.Index(fields=["-updated_at"], name="release_updated_idx"),
            models.Index(fields=["-embargoed_until"], name="release_embargo_idx"),
            # GIN on PostgreSQL; SQLite has no USING clause and makes it a plain index.
            GinIndex(fields=["search_vector"], name="release_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[Status.PUBLISHED, Status.WITHDRAWN])
                | Q(published_at__isnull=False),
                name="release_published_has_time",
                violation_error_message="A published or withdrawn release needs a publication time.",  # noqa: E501
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.WITHDRAWN) | Q(withdrawn_at__isnull=False),
                name="release_withdrawn_has_time",
                violation_error_message="A withdrawn release needs the time it was withdrawn.",
            ),
            models.CheckConstraint(
                condition=Q(featured_image="") | ~Q(featured_image_alt=""),
                name="release_image_has_alt",
                violation_error_message="A featured image needs alt text.",
            ),
            models.UniqueConstraint(
                fields=["ninjs_uri"], condition=~Q(ninjs_uri=""), name="release_unique_ninjs_uri"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        # Cleaning on save (not on display) means no path — admin, import, shell —
        # can store markup that the templates would later trust.
        self.body = sanitize_html(self.body)
        if not self.slug:
            self.slug = self._unique_slug()
        # Every save moves the version, whatever the path (form, service, import, shell),
        # so an open form notices any change made since it was loaded.
        self.edit_version = (self.edit_version or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "edit_version"}
        with transaction.atomic():
            if self.pk:
                self._remember_old_slug()
            super().save(*args, **kwargs)
            # Imported here: releases.indexing needs the models this module defines.
            from releases.indexing import update_search_vectors_after_save

            update_search_vectors_after_save(self, kwargs.get("update_fields"))

    def get_absolute_url(self) -> str:
        # reverse() once per URL configuration, then fill the slug in: exports call this
        # for every one of 100,000 rows, where reverse() alone was a fifth of the time.
        # Slugs are [-a-zA-Z0-9_], so they need no quoting.
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        return _detail_url_pattern(urlconf, get_script_prefix()).replace(
            _SLUG_PLACEHOLDER, self.slug
        )

    # The fields that decide where a release is listed, or whether it is public at all:
    # a save that changes none of them (a typo in the body, a new image, a draft's work)
    # touches only the pages that show this release (``releases.freshness``).
    PLACEMENT_FIELDS = (
        "status", "published_at", "embargoed_until", "withdrawn_at", "slug", "author_id",
        "language",
    )  # fmt: skip

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        shown.note([instance.pk])
        instance._loaded_placement = instance.placement()
        return instance

    def placement(self) -> tuple | None:
        """The values of ``PLACEMENT_FIELDS`` as loaded (None when one is deferred)."""
        loaded = self.__dict__
        if any(name not in loaded for name in self.PLACEMENT_FIELDS):
            return None
        return tuple(loaded[name] for name in self.PLACEMENT_FIELDS)

    @property
    def tagged_items(self) -> models.QuerySet[TaggedItem]:
        """The release's taggings (taggit's ``TaggedItem`` rows): what the revisions
        follow to keep the tags (``releases.revisions``). One query when iterated."""
        return TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Release), object_id=self.pk
        )

    # -- lifecycle, read from data -------------------------------------------------

    @property
    def goes_public_at(self) -> datetime | None:
        """When the release is (or was) public from: the later of publication time and embargo.

        ``None`` unless the status is *published*: a draft, a release in review and a
        withdrawn one have no such time. The same rule as ``published_q``, for one
        release; every message and banner about “when it goes live” reads it here.
        """
        return _goes_public_at(self.status, self.published_at, self.embargoed_until)

    @property
    def is_published(self) -> bool:
        """True when the release is public now (same rule as ``published_q``)."""
        goes_public_at = self.goes_public_at
        return goes_public_at is not None and goes_public_at <= timezone.now()

    def was_public_as_loaded(self) -> bool | None:
        """Whether the release was public now with the values it was loaded with (the
        rule of ``is_published``, read from ``placement()`` as ``from_db`` kept it): what
        a save or a delete takes out of public view. None when those values are not
        known (a new release, or one loaded with a placement field deferred)."""
        loaded = getattr(self, "_loaded_placement", None)
        if loaded is None:
            return None
        values = dict(zip(self.PLACEMENT_FIELDS, loaded, strict=True))
        at = _goes_public_at(values["status"], values["published_at"], values["embargoed_until"])
        return at is not None and at <= timezone.now()

    @property
    def held_by_embargo(self) -> bool:
        """True when the embargo, not the publication time, keeps a published release back.

        A release published at 09:00 and embargoed until 10:00 is embargoed from 09:00
        on; one scheduled for 10:00 with an embargo lifting at 09:00 is merely scheduled.
        """
        return (
            self.embargoed_until is not None
            and not self.is_published
            and self.goes_public_at == self.embargoed_until
        )

    @property
    def was_public(self) -> bool:
        """True for a withdrawn release that was public before it was withdrawn.

        Only those answer 410 to everyone: one withdrawn while still scheduled or
        embargoed never existed for the public, and must not reveal its headline.
        """
        withdrawn_at = self.withdrawn_at
        return (
            self.status == Status.WITHDRAWN
            and withdrawn_at is not None
            and self.published_at is not None
            and self.published_at <= withdrawn_at
            and (self.embargoed_until is None or self.embargoed_until <= withdrawn_at)
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == Status.PUBLISHED and not self.is_published

    @property
    def is_embargoed(self) -> bool:
        return self.embargoed_until is not None and self.embargoed_until > timezone.now()

    @property
    def state_label(self) -> str:
        """What an editor calls the release now: Draft, In review, Scheduled, Embargoed…"""
        if self.status == Status.PUBLISHED and not self.is_published:
            return "Embargoed" if self.held_by_embargo else "Scheduled"
        return self.get_status_display()

    @property
    def release_line(self) -> str:
        if self.embargoed_until:
            return f"EMBARGOED UNTIL {local_time(self.embargoed_until)}"
        return "FOR IMMEDIATE RELEASE"

    @property
    def direction(self) -> str:
        """``"rtl"`` or ``"ltr"``: the writing direction of ``language`` (see
        ``text_direction``), for the ``dir`` attribute of the page and the PDF."""
        return text_direction(self.language)

    @property
    def dateline_date(self) -> str:
        """``1 September 2014``: the date of the dateline, the publication date (before
        publication, the creation date). Templates print it apart from the place, as a
        left-to-right run isolated from the release's own direction."""
        when = self.published_at or self.created_at or timezone.now()
        return date_format(timezone.localtime(when), "j F Y")

    @property
    def formatted_dateline(self) -> str:
        """``LONDON, 1 September 2014 —`` (the date is ``dateline_date``)."""
        date = self.dateline_date
        return f"{self.dateline.upper()}, {date} —" if self.dateline else f"{date} —"

    @property
    def featured_image_set(self) -> ImageSet:
        """The featured image's renditions (``releases.images.ImageSet``), from the row."""
        return ImageSet(self.featured_image, self.featured_image_renditions)

    @property
    def issuer(self) -> Organization | None:
        """The first organization. Free after ``with_organizations()``, one query otherwise."""
        if "organizations" in getattr(self, "_prefetched_objects_cache", {}):
            organizations = list(self.organizations.all())
            return organizations[0] if organizations else None
        return self.organizations.order_by(*ORGANIZATION_ORDER).first()

    # -- integrity -----------------------------------------------------------------

    def clean(self):
        errors = {}
        if self.status in (Status.PUBLISHED, Status.WITHDRAWN) and not self.published_at:
            errors["published_at"] = "A published release needs a publication time."
        if self.status == Status.WITHDRAWN and not self.withdrawn_at:
            # Said here so the form marks the field; the check constraint alone would
            # only give a message for the whole form.
            errors["withdrawn_at"] = "A withdrawn release needs the time it was withdrawn."
        if self.featured_image and not self.featured_image_alt.strip():
            errors["featured_image_alt"] = "Describe the image for people who cannot see it."
        if self.embargoed_until and self.published_at and self.embargoed_until < self.published_at:
            errors["embargoed_until"] = "The embargo must lift at or after the publication time."
        if self.slug and not _has_letter(self.slug):
            errors["slug"] = "A slug needs a letter, so its URL never reads as a date."
        elif (
            self.slug
            and ReleaseSlug.objects.filter(slug=self.slug).exclude(release_id=self.pk).exists()
        ):
            # Taking it would silently break the other release's old links.
            errors["slug"] = "Another release had this slug; its old links still lead there."
        if errors:
            raise ValidationError(errors)

    def _unique_slug(self) -> str:
        # Any script, spelled in Latin letters (releases.slugs): "Москва-мост" → moskva-most.
        base = ascii_slug(self.headline, 190).strip("-") or "release"
        if not _has_letter(base):
            base = f"release-{base}"
        slug, n = base, 2
        while (
            Release.objects.exclude(pk=self.pk).filter(slug=slug).exists()
            or ReleaseSlug.objects.exclude(release_id=self.pk).filter(slug=slug).exists()
        ):
            slug = f"{base}-{n}"
            n += 1
        return slug

    def _remember_old_slug(self):
        """Keep the previous slug so its URL answers with a 301 to the new one."""
        old = Release.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        if old and old != self.slug:
            ReleaseSlug.objects.update_or_create(slug=old, defaults={"release": self})
            ReleaseSlug.objects.filter(slug=self.slug, release=self).delete()


def _has_letter(slug: str) -> bool:
    # Slugs always contain a letter so /releases/2024/ or /releases/2024-12/ never
    # reads as a date archive.
    return any(character.isalpha() for character in slug)


class ReleaseOrganization(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "issuing organization"
        constraints = [
            models.UniqueConstraint(
                fields=["release", "organization"], name="release_organization_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)


class ReleaseContact(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "media contact"
        constraints = [
            models.UniqueConstraint(fields=["release", "contact"], name="release_contact_unique")
        ]

    def __str__(self) -> str:
        return str(self.contact)


class ReleaseSlug(models.Model):
    """A slug a release used to have; its URL redirects (301) to the current one."""

    slug = models.SlugField(max_length=200, unique=True)
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class Attachment(models.Model):
    """A file of the media kit: a PDF, a high-resolution image, a fact sheet."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="attachments")
    file = AttachmentFileField(
        upload_to=attachment_path, max_length=255, renditions_field="renditions"
    )
    renditions = models.JSONField(default=list, blank=True, editable=False)  # releases.images
    title = models.CharField(max_length=200)
    description = models.TextField(
        blank=True, help_text="What the file holds, for journalists; shown under its title."
    )
    # Read from the file when it is saved (releases.file_facts), so pages never open it.
    content_type = models.CharField(
        "type", max_length=100, blank=True, editable=False, help_text="Judged from the content."
    )
    size = models.PositiveBigIntegerField("size in bytes", null=True, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    # The stored name the facts were read from: a new or replaced file is read again.
    _facts_of: str | None = None

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Derived from the file alone, like the sanitized body: done on every save path
        # (admin, importers, factories), once per file.
        if self.file and (not self.file._committed or self.file.name != self._facts_of):
            self.record_facts()
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "file" in field_names:
            instance._facts_of = instance.file.name
        return instance

    def record_facts(self) -> None:
        """Set ``content_type`` and ``size`` from the file (see ``releases.file_facts``):
        from the upload's bytes before it is stored, else from storage (one read)."""
        if self.file._committed:
            facts = read_facts(self.file.storage, self.file.name)
        else:
            facts = uploaded_facts(self.file.file, self.file.name)
        self.content_type, self.size = facts.content_type, facts.size
        self._facts_of = self.file.name

    @property
    def is_image(self) -> bool:
        """A raster or vector image, by its recorded type."""
        return self.content_type.startswith("image/")


CORRECTION_CLOCK_SLACK = dt.timedelta(minutes=1)


class Correction(models.Model):
    """A public note of what changed after publication: “Updated <date>: <note>”."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="corrections")
    noted_at = models.DateTimeField(default=timezone.now)
    note = models.TextField()

    class Meta:
        ordering = ["noted_at", "id"]

    def __str__(self) -> str:
        return f"Updated {date_format(timezone.localtime(self.noted_at), 'j F Y')}: {self.note}"

    def clean(self):
        # A correction records something already corrected: noted in the future it would
        # top the public log and move the feeds' "updated" ahead of time. A minute of
        # slack for clocks that differ.
        if self.noted_at and self.noted_at > timezone.now() + CORRECTION_CLOCK_SLACK:
            raise ValidationError({"noted_at": "A correction cannot be noted in the future."})


def _goes_public_at(status: str, published_at, embargoed_until):
    """``Release.goes_public_at`` of these values (the rule of ``published_q``)."""
    if status != Status.PUBLISHED or published_at is None:
        return None
    if embargoed_until is not None and embargoed_until > published_at:
        return embargoed_until
    return published_at
