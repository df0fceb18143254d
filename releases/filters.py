"""The one definition of the public list filters.

Used by the release list, the date archives, the tag / organization / author pages,
the feeds, the API and the export command. Query-string names are part of the URL
contract: ``tag`` (repeatable: all of them), ``organization``, ``author``, ``year``,
``month`` (with ``year``), ``from`` and ``to`` (inclusive dates), ``q``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple

import django_filters
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, ExpressionWrapper, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from releases.models import Author, Organization, Release, public_tags
from releases.search import search_releases

MAX_QUERY_LENGTH = 200
MAX_TAGS = 10
# Dates outside these years mean nothing for a newsroom, and date.max + 1 day overflows.
DATE_YEARS = range(1900, 3000)


class FoundTag(NamedTuple):
    """A tag named by a ``tag`` value: its id and name, how many releases carry it
    (``uses``, drafts included) and the span of release ids (``extent``: highest − lowest
    + 1, the archive's size give or take deleted releases, read from the primary key's
    index ends, not counted)."""

    id: int
    name: str
    uses: int
    extent: int

    @property
    def dense(self) -> bool:
        """Whether the first page of its releases is found faster by walking the whole
        archive newest first (``release_public_newest_idx``), keeping the tagged ones,
        than by reading every tagged release and sorting them: the walk reads about
        ``page size × extent / uses`` index entries for a page, the sort ``uses`` rows, so
        the walk wins when ``uses² ≥ page size × extent``. At 100,000 releases: a tag on
        more than ~1,400 of them (docs/performance.md, "The tag page")."""
        return self.uses >= math.sqrt(settings.NEWSROOM_PAGE_SIZE * max(self.extent, 1))


class TagSlugsField(forms.Field):
    """Several ``tag=<slug>`` values; every one must name a tag of ``queryset``. Once
    validated, ``found`` holds ``{slug: FoundTag}`` of the values (read by the same query
    that checked them), for the filter and the tag page's heading."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.queryset = Tag.objects.all() if queryset is None else queryset
        self.found: dict[str, FoundTag] = {}

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        slugs = list(dict.fromkeys(v.strip() for v in value if v.strip()))
        if len(slugs) > MAX_TAGS:
            raise forms.ValidationError(f"Choose at most {MAX_TAGS} tags.")
        return slugs

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        # Every item of the tag (an index-only count; releases are what this site tags).
        uses = (
            TaggedItem.objects.filter(tag_id=OuterRef("pk"))
            .order_by()
            .values("tag_id")
            .annotate(n=Count("*"))
            .values("n")
        )
        ids = Release.objects.values("pk")
        extent = Subquery(ids.order_by("-pk")[:1]) - Subquery(ids.order_by("pk")[:1]) + 1
        rows = self.queryset.filter(slug__in=value).values_list(
            "slug",
            "id",
            "name",
            Coalesce(Subquery(uses, output_field=IntegerField()), 0),
            Coalesce(ExpressionWrapper(extent, output_field=IntegerField()), 0),
        )
        self.found = {slug: FoundTag(*rest) for slug, *rest in rows}
        unknown = [slug for slug in value if slug not in self.found]
        if unknown:
            raise forms.ValidationError(
                "Unknown tag: %(tags)s.", params={"tags": ", ".join(unknown)}, code="unknown"
            )


class TagSlugsFilter(django_filters.Filter):
    field_class = TagSlugsField

    def filter(self, queryset, value):
        """A release must carry every tag asked for: one condition per tag, by its id.

        A dense tag (``FoundTag.dense``) is a semi-join (``id IN (SELECT object_id …)``),
        which PostgreSQL answers by walking the publication index; any other tag a join,
        which it answers from the tag's own rows and a sort. Named by id, not slug, so
        PostgreSQL's statistics of the tag column say how common it is."""
        found = self.parent.form.fields[self.field_name].found if self.parent else {}
        content_type = ContentType.objects.get_for_model(Release)
        for slug in value or []:
            tag = found.get(slug)
            if tag is None:  # not validated by this filterset's form
                queryset = queryset.filter(tags__slug=slug)
            elif tag.dense:
                tagged = TaggedItem.objects.filter(content_type=content_type, tag_id=tag.id)
                queryset = queryset.filter(pk__in=tagged.values("object_id"))
            else:
                queryset = queryset.filter(tags__id=tag.id)
        return queryset


class ReleaseFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("month") and not cleaned.get("year"):
            self.add_error("month", "Choose a year with the month.")
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day and day.year not in DATE_YEARS:
                self.add_error(name, f"Choose a date between {DATE_YEARS[0]} and {DATE_YEARS[-1]}.")
                cleaned.pop(name, None)
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        return cleaned


class WholeNumberFilter(django_filters.NumberFilter):
    """A number filter that refuses fractions (``year=2024.5``): NumberFilter is decimal."""

    field_class = forms.IntegerField


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ReleaseFilter(django_filters.FilterSet):
    """The list filters. ``public`` (the default, for every public surface): ``tag``,
    ``organization`` and ``author`` accept only slugs of tags, organizations and authors
    with a public release (``public_tags()``, ``Organization.objects.public()``,
    ``Author.objects.public()``). Any other slug gets the same "unknown" error as a slug
    that does not exist, so no answer tells a draft-only merger partner from a typo
    (issue 7, point 3). Staff tools (the export command) pass ``public=False``.
    """

    tag = TagSlugsFilter(label="Tags")
    organization = django_filters.ModelChoiceFilter(
        field_name="organizations",
        to_field_name="slug",
        queryset=Organization.objects.all(),
        label="Organization",
        error_messages={"invalid_choice": "Unknown organization: %(value)s."},
    )
    author = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Author.objects.all(),
        label="Author",
        error_messages={"invalid_choice": "Unknown author: %(value)s."},
    )
    year = WholeNumberFilter(
        method="filter_year", min_value=DATE_YEARS[0], max_value=DATE_YEARS[-1]
    )
    month = WholeNumberFilter(method="filter_month", min_value=1, max_value=12)
    date_from = django_filters.DateFilter(method="filter_from", label="From")
    date_to = django_filters.DateFilter(method="filter_to", label="To")
    q = django_filters.CharFilter(
        method="filter_q", label="Search", max_length=MAX_QUERY_LENGTH, strip=True
    )

    class Meta:
        model = Release
        fields = []
        form = ReleaseFilterForm

    def __init__(self, data=None, queryset=None, *, public: bool = True, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if public:
            # Built per filterset: "public" is evaluated at the time of the request.
            self.filters["tag"].extra["queryset"] = public_tags()
            self.filters["organization"].queryset = Organization.objects.public()
            self.filters["author"].queryset = Author.objects.public()

    # Date ranges, not __year/__month lookups, so the published_at index is used and the
    # boundaries follow the site's time zone.
    def filter_year(self, queryset, name, value):
        if self.form.cleaned_data.get("month"):
            return queryset  # filter_month applies the narrower range
        year = int(value)
        return queryset.filter(
            published_at__gte=_day_start(dt.date(year, 1, 1)),
            published_at__lt=_day_start(dt.date(year + 1, 1, 1)),
        )

    def filter_month(self, queryset, name, value):
        year, month = int(self.form.cleaned_data["year"]), int(value)
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return queryset.filter(
            published_at__gte=_day_start(first), published_at__lt=_day_start(following)
        )

    def filter_from(self, queryset, name, value):
        return queryset.filter(published_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(published_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_q(self, queryset, name, value):
        return search_releases(queryset, value) if value else queryset

    @property
    def is_searching(self) -> bool:
        return bool(self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("q"))


# ``from`` and ``to`` are the contract's names; ``from`` cannot be a class attribute.
ReleaseFilter.base_filters["from"] = ReleaseFilter.base_filters.pop("date_from")
ReleaseFilter.base_filters["to"] = ReleaseFilter.base_filters.pop("date_to")
# The search last: it counts its matches (up to releases.search.COUNT_CAP) to choose how
# to order them, so it must see every other filter's narrowing first.
ReleaseFilter.base_filters["q"] = ReleaseFilter.base_filters.pop("q")
