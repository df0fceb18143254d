"""The one definition of the public list filters.

Used by the release list, the date archives, the tag / organization / author pages,
the feeds, the API and the export command. Query-string names are part of the URL
contract: ``tag`` (repeatable: all of them), ``organization``, ``author``, ``year``,
``month`` (with ``year``), ``from`` and ``to`` (inclusive dates), ``q``.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from taggit.models import Tag

from releases.models import Author, Organization, Release, public_tags
from releases.search import search_releases

MAX_QUERY_LENGTH = 200
MAX_TAGS = 10
# Dates outside these years mean nothing for a newsroom, and date.max + 1 day overflows.
DATE_YEARS = range(1900, 3000)


class TagSlugsField(forms.Field):
    """Several ``tag=<slug>`` values; every one must name a tag of ``queryset``."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.queryset = Tag.objects.all() if queryset is None else queryset

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
        known = set(self.queryset.filter(slug__in=value).values_list("slug", flat=True))
        unknown = [slug for slug in value if slug not in known]
        if unknown:
            raise forms.ValidationError(
                "Unknown tag: %(tags)s.", params={"tags": ", ".join(unknown)}, code="unknown"
            )


class TagSlugsFilter(django_filters.Filter):
    field_class = TagSlugsField

    def filter(self, queryset, value):
        # One join per tag: a release must carry every tag asked for.
        for slug in value or []:
            queryset = queryset.filter(tags__slug=slug)
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
