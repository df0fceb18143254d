"""The public release lists: /releases/, the date archives, tag, organization and author pages.

They are one list. The URL may fix some filters (the tag of a tag page, the year of an
archive); the query string adds more; ``ReleaseFilter`` reads them all, over
``Release.objects.published()``. Queries per page, whatever the data: the freshness
stamp, one lookup per slug in the filters, the page of releases and their organizations;
on a cold cache also the facets and the cards' tags (one each). A search adds its capped
count (``releases.search``); one matching more than ``COUNT_CAP`` releases shows their
newest ``COUNT_CAP``, without facets, as "more than 1,000".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import EmptyPage
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.views import View
from taggit.models import Tag

from releases import search
from releases.facets import FacetItem, Facets, cached_facets
from releases.feeds import describe
from releases.filters import ReleaseFilter
from releases.freshness import public_version
from releases.models import Release
from releases.pagecache import STALE_HEADER
from releases.paging import DeferredJoinPaginator
from releases.seo import feed_links
from releases.views.cards import for_cards, release_cards
from releases.views.conditional import Validators
from releases.views.querystrings import (
    Pairs,
    adding,
    filter_pairs,
    normalize,
    to_query_dict,
    url_with,
    without,
)

# How many tags the facet list and the form offer; the tag index has them all.
TAG_CHOICES = 30


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


@dataclass(frozen=True)
class Option:
    """A choice of the filter form or a facet: a value, its label, count and link."""

    value: str
    label: str
    count: int | None = None
    url: str = ""
    selected: bool = False


# The form's fields as a reader knows them (django-filter would derive "[invalid name]"
# for the filters that have no model field).
FIELD_LABELS = {
    "tag": "Tags",
    "organization": "Organization",
    "author": "Author",
    "year": "Year",
    "month": "Month",
    "from": "From",
    "to": "To",
    "q": "Search",
}


def month_label(year, month) -> str:
    """``March 2024``; ``March`` without a usable year; the value itself if no month."""
    try:
        return date_format(dt.date(int(year), int(month), 1), "F Y")
    except (TypeError, ValueError, OverflowError):
        try:
            return str(MONTHS[int(month)])
        except (KeyError, TypeError, ValueError):
            return str(month)


def error_list(form) -> list[tuple[str, str, str]]:
    """(field name or "", its label, message) of every error, non-field errors first."""
    return [
        ("" if name == NON_FIELD_ERRORS else name, FIELD_LABELS.get(name, ""), message)
        for name, messages in sorted(
            form.errors.items(), key=lambda item: item[0] != NON_FIELD_ERRORS
        )
        for message in messages
    ]


# The years ``ReleaseFilter`` accepts for ``year``. Dates far outside it overflow
# Python's datetime when the filter widens ``to`` by a day or converts to UTC.
def page_number(form, value: str) -> int:
    """The page asked for (1 when none); a form error when it is not a whole number."""
    try:
        return int(value.strip() or "1")
    except ValueError:
        form.add_error(None, "The page number must be a whole number.")
        return 1


class ReleaseListView(View):
    """``/releases/``: every public release, newest first, filtered by the query string.

    Subclasses fix filters from the URL (``fixed_pairs``) and describe their subject
    (``subject``). Invalid filters answer 400 with the form's errors, a page past the
    end or below 1 a 404, an unchanged page a 304.
    """

    template_name = "releases/list.html"
    # Keys the URL decides: the query string's values for them are ignored, and an
    # invalid URL value is a 404 (there is no such page), not a 400.
    fixed_keys: tuple[str, ...] = ()
    # Archives and tag pages with nothing in them do not exist (as Django's date views).
    empty_is_404 = False
    # The list itself links years and months to their archive URLs.
    dates_link_to_archives = True
    heading = "Releases"

    def fixed_pairs(self) -> Pairs:
        return []

    def subject(self, form) -> dict:
        """Context describing the URL's subject. May raise Http404."""
        return {}

    def fixed_filters(self, pairs: Pairs) -> list[ActiveFilter]:
        """Filters set by the URL that a reader may lift (leads to a wider page)."""
        return []

    def get(self, request, **kwargs):
        current = public_version()
        version = current.last_modified
        pairs, had_nul = filter_pairs(request.GET, drop=self.fixed_keys)
        applied = normalize(self.fixed_pairs() + pairs)
        filterset = ReleaseFilter(
            to_query_dict(applied), queryset=Release.objects.published().newest_first()
        )
        form = filterset.form
        form.is_valid()
        if any(key in form.errors for key in self.fixed_keys):
            raise Http404("No such page.")
        context = {
            "heading": self.heading,
            **self.subject(form),
            "form": form,
            "filter_values": dict(pairs),
            "fixed_keys": self.fixed_keys,
            "clear_url": url_with(request.path, []) if pairs else "",
        }
        if had_nul:
            form.add_error(None, "The address contains a character that is not allowed.")
        number = page_number(form, request.GET.get("page", ""))
        capped = False
        if not form.errors:
            selected_tags = form.cleaned_data.get("tag") or ()
            capped = search.is_capped(filterset.qs)
            if capped:
                # A search matching more than COUNT_CAP releases: its newest COUNT_CAP,
                # with no facets (they would read every match) and no exact count.
                facets = Facets(total=search.COUNT_CAP, tag_names=tag_names(selected_tags))
            else:
                facets = cached_facets(
                    filterset.qs, version=version, filters=applied, selected_tags=selected_tags
                )
            # Deep pages skip along an index, not the table (releases.paging).
            paginator = DeferredJoinPaginator(for_cards(filterset.qs), settings.NEWSROOM_PAGE_SIZE)
            if not facets.stale:
                # The count came with the facets (and their cache): no COUNT query.
                paginator.count = facets.total
            # Stale facets count the previous version's releases: paging by that count
            # would cut the list short (a release published since pushes the oldest off
            # the page), run past its end, or answer 404 for a list that just got its
            # first release; the paginator counts this version's (one COUNT, right after
            # a change only).
            if self.empty_is_404 and not pairs and not paginator.count:
                raise Http404("No releases here.")
            try:
                page = paginator.page(number)
            except EmptyPage as exc:  # below 1 or past the end
                raise Http404("No such page of releases.") from exc
        if form.errors:
            return self.invalid(request, context, pairs, version)

        validators = Validators.of(
            version.isoformat(), request.path, applied, page.number, last_modified=version
        )
        if response := validators.not_modified(request):
            return response
        context.update(
            facets=facets,
            total=page.paginator.count,
            more_than=search.COUNT_CAP if capped else None,
            page_obj=page,
            cards=release_cards(page.object_list, tags_changed=current.tags_changed),
            pagination=self.pagination(request.path, pairs, page),
            active_filters=self.active_filters(request.path, pairs, form, facets),
            # The feeds of exactly this list (the URL's filters and the query string's),
            # titled as the feed titles itself; the facets already hold the tag names.
            feed_links=feed_links(applied, describe(filterset, facets.tag_names)),
            **self.choices(request.path, pairs, form, facets),
        )
        response = validators.apply(render(request, self.template_name, context))
        if facets.stale:
            # Counts of the previous version: not this version's page. No validators
            # (a client must not keep it as current) and not kept by the page cache.
            response.headers.pop("ETag", None)
            response.headers.pop("Last-Modified", None)
            response.headers[STALE_HEADER] = "facets"
        return response

    def invalid(self, request, context, pairs, version):
        """The page with the form's errors and no results: a 400, never cached."""
        facets = cached_facets(Release.objects.published(), version=version)
        context.update(
            invalid=True,
            error_page=True,  # no canonical URL for a 400
            # These filters have no feed (it would answer 400): the site-wide one only.
            feed_links=feed_links(),
            errors=error_list(context["form"]),
            total=0,
            facets=None,
            active_filters=self.active_filters(request.path, pairs, context["form"], None),
            **self.choices(request.path, pairs, context["form"], facets, links=False),
        )
        return render(request, self.template_name, context, status=400)

    # -- links -------------------------------------------------------------------

    def pagination(self, path: str, pairs: Pairs, page) -> dict:
        """Links to the neighbouring pages and to a few pages around this one."""
        if page.paginator.num_pages < 2:
            return {}

        def url(number):
            return url_with(path, [*pairs, ("page", str(number))] if number > 1 else pairs)

        return {
            "previous_url": url(page.previous_page_number()) if page.has_previous() else "",
            "next_url": url(page.next_page_number()) if page.has_next() else "",
            "pages": [
                Option(str(n), str(n), url=url(n), selected=n == page.number)
                if isinstance(n, int)
                else Option("", str(n))
                for n in page.paginator.get_elided_page_range(page.number, on_each_side=2)
            ],
        }

    def year_url(self, path: str, pairs: Pairs, year: int) -> str:
        if self.dates_link_to_archives:
            return url_with(
                reverse("releases:archive_year", kwargs={"year": year}), without(pairs, "year")
            )
        return url_with(path, adding(pairs, "year", str(year)))

    def month_url(self, path: str, pairs: Pairs, year: int, month: int) -> str:
        if self.dates_link_to_archives:
            return url_with(
                reverse("releases:archive_month", kwargs={"year": year, "month": month}),
                without(pairs, "year"),
            )
        return url_with(path, adding(pairs, "month", str(month)))

    def active_filters(self, path, pairs, form, facets: Facets | None) -> list[ActiveFilter]:
        cleaned = getattr(form, "cleaned_data", {})
        values = dict(pairs)
        tag_names = facets.tag_names if facets else {}

        def label(key, value):
            if key == "tag":
                return f"Tag: {tag_names.get(value, value)}"
            if key in ("organization", "author") and cleaned.get(key):
                return f"{key.capitalize()}: {cleaned[key].name}"
            if key == "month":
                year = cleaned.get("year") or values.get("year") or getattr(self, "year", "")
                return f"Month: {month_label(year, value)}"
            if key == "q":
                return f"Search: “{value}”"
            names = {"from": "From", "to": "Until", "year": "Year"}
            return f"{names.get(key, key.capitalize())}: {value}"

        removable = [
            ActiveFilter(label(key, value), url_with(path, without(pairs, (key, value))))
            for key, value in pairs
        ]
        return self.fixed_filters(pairs) + removable

    def choices(self, path, pairs, form, facets: Facets, *, links=True) -> dict:
        """The facets (links that add a filter) and the options of the filter form.

        Without ``links`` (the 400 page) only the form's options, from ``facets`` of the
        whole public list.
        """
        values = dict(pairs)
        cleaned = getattr(form, "cleaned_data", {})
        chosen_tags = [value for key, value in pairs if key == "tag"]
        applied_tags = set(chosen_tags) | {v for k, v in self.fixed_pairs() if k == "tag"}
        names = {item.key: item.label for item in facets.tags} | facets.tag_names
        other_tags = [item for item in facets.tags if item.key not in applied_tags][:TAG_CHOICES]

        def facet_links(items, key):
            return [
                Option(
                    item.key, item.label, item.count, url_with(path, adding(pairs, key, item.key))
                )
                for item in items
            ]

        def single(items, key):
            current = values.get(key)
            found = [
                Option(item.key, item.label, item.count, selected=item.key == current)
                for item in items
            ]
            if current and current not in {item.key for item in items}:
                found.insert(0, Option(current, current, selected=True))
            return found

        year = cleaned.get("year") if links else None
        years = [
            Option(str(y), str(y), count, url=self.year_url(path, pairs, y) if links else "")
            for y, count in facets.years
        ]
        return {
            "tag_options": [
                Option(slug, names.get(slug, slug), selected=True) for slug in chosen_tags
            ]
            + [Option(item.key, item.label, item.count) for item in other_tags],
            "organization_options": single(facets.organizations, "organization"),
            "author_options": single(facets.authors, "author"),
            "year_options": single([FacetItem(o.value, o.label, o.count) for o in years], "year"),
            "month_options": [
                Option(str(number), str(name), selected=str(number) == values.get("month"))
                for number, name in MONTHS.items()
            ],
            "tag_facets": facet_links(other_tags, "tag") if links else [],
            "organization_facets": facet_links(
                [item for item in facets.organizations if item.key != values.get("organization")],
                "organization",
            )
            if links and "organization" not in self.fixed_keys
            else [],
            "year_facets": years if links and not year else [],
            "month_facets": [
                Option(
                    str(m), month_label(year, m), count, self.month_url(path, pairs, int(year), m)
                )
                for m, count in facets.months_of(int(year))
            ]
            if year and not cleaned.get("month")
            else [],
        }


class YearArchiveView(ReleaseListView):
    """``/releases/<yyyy>/``: the list with ``year`` set by the URL."""

    fixed_keys = ("year",)
    empty_is_404 = True

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.year = kwargs["year"]

    def fixed_pairs(self) -> Pairs:
        return [("year", str(self.year))]

    def subject(self, form) -> dict:
        return {"heading": f"Releases from {self.year}", "archive_year": self.year}

    def fixed_filters(self, pairs: Pairs) -> list[ActiveFilter]:
        return [
            ActiveFilter(
                f"Year: {self.year}", url_with(reverse("releases:list"), without(pairs, "year"))
            )
        ]


class MonthArchiveView(YearArchiveView):
    """``/releases/<yyyy>/<mm>/``: the list with ``year`` and ``month`` set by the URL."""

    fixed_keys = ("year", "month")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.month = kwargs["month"]

    def fixed_pairs(self) -> Pairs:
        return [("year", str(self.year)), ("month", str(self.month))]

    def subject(self, form) -> dict:
        return {
            "heading": f"Releases from {month_label(self.year, self.month)}",
            "archive_year": self.year,
            "archive_month": self.month,
        }

    def fixed_filters(self, pairs: Pairs) -> list[ActiveFilter]:
        year_url = reverse("releases:archive_year", kwargs={"year": self.year})
        return [
            ActiveFilter(f"Year: {self.year}", url_with(reverse("releases:list"), pairs)),
            ActiveFilter(f"Month: {month_label(self.year, self.month)}", url_with(year_url, pairs)),
        ]


def tag_names(slugs) -> dict[str, str]:
    """{slug: name} of the tags ``slugs``: one query, none when there are none."""
    if not slugs:
        return {}
    return dict(Tag.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))


class TagView(ReleaseListView):
    """``/tags/<slug>/``: the list with ``tag=<slug>``; more ``tag`` values narrow it."""

    template_name = "releases/tag.html"
    dates_link_to_archives = False

    def fixed_pairs(self) -> Pairs:
        return [("tag", self.kwargs["slug"])]

    def subject(self, form) -> dict:
        # The filter's validation read the tag, among the tags of public releases only:
        # a tag only drafts carry may name something not yet announced, so it has no page.
        slug = self.kwargs["slug"]
        found = form.fields["tag"].found.get(slug)
        if found is None:
            raise Http404("No such tag.")
        tag = Tag(id=found.id, name=found.name, slug=slug)
        self.tag = tag
        return {"heading": f"Releases tagged “{tag.name}”", "tag": tag}

    def fixed_filters(self, pairs: Pairs) -> list[ActiveFilter]:
        return [ActiveFilter(f"Tag: {self.tag.name}", url_with(reverse("releases:list"), pairs))]


class OrganizationView(ReleaseListView):
    """``/organizations/<slug>/``: the organization's newsroom and its releases."""

    template_name = "releases/organization.html"
    fixed_keys = ("organization",)
    dates_link_to_archives = False

    def fixed_pairs(self) -> Pairs:
        return [("organization", self.kwargs["slug"])]

    def subject(self, form) -> dict:
        organization = form.cleaned_data["organization"]
        return {
            "heading": f"Releases from {organization.name}",
            "organization": organization,
            "contacts": list(organization.contacts.select_related("organization")),
        }


class AuthorView(ReleaseListView):
    """``/authors/<slug>/``: the author's bio and releases."""

    template_name = "releases/author.html"
    fixed_keys = ("author",)
    dates_link_to_archives = False

    def fixed_pairs(self) -> Pairs:
        return [("author", self.kwargs["slug"])]

    def subject(self, form) -> dict:
        author = form.cleaned_data["author"]
        return {"heading": f"Releases by {author.name}", "author": author}


release_list = ReleaseListView.as_view()
archive_year = YearArchiveView.as_view()
archive_month = MonthArchiveView.as_view()
tag_detail = TagView.as_view()
organization_detail = OrganizationView.as_view()
author_detail = AuthorView.as_view()
