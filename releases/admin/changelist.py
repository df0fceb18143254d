"""The release changelist: its columns, and a date hierarchy that refuses impossible dates."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.html import format_html

from releases.admin.actions import state_note
from releases.models import Status
from releases.times import local_and_utc

# ``Release.goes_public_at`` in SQL, for sorting: the later of publication time and embargo.
GOES_PUBLIC_AT = Greatest(F("published_at"), Coalesce(F("embargoed_until"), F("published_at")))
UNPUBLISHED = (Status.DRAFT, Status.REVIEW)


class GuardedChangeList(ChangeList):
    """A changelist whose date hierarchy refuses impossible dates instead of failing.

    Django's ``ChangeList.get_filters`` turns ``?published_at__year=…`` into a date range;
    a year beyond what ``datetime`` holds (``99999999999999999999``: OverflowError;
    ``9999``: the range ends in year 10000, ValueError) escapes as a 500. Raised as
    ``IncorrectLookupParameters``, the admin answers as it does for any bad filter: back
    to the unfiltered list with ``?e=1``.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class GuardedDateHierarchy:
    """ModelAdmin mixin: its changelist is a ``GuardedChangeList``."""

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList


class ReleaseColumns:
    """ReleaseAdmin mixin: the changelist's columns, narrow enough for a 1280 px screen
    (``static/admin/newsroom-admin.css`` clamps headlines to two lines).

    Every value comes from the row itself: no query per row.
    """

    @admin.display(description="headline", ordering="headline")
    def headline_clamped(self, release) -> str:
        # The full headline stays in the title: the cell shows two lines at most.
        return format_html(
            '<span class="release-headline" title="{}">{}</span>',
            release.headline,
            release.headline,
        )

    @admin.display(description="state", ordering="status")
    def state(self, release) -> str:
        """The state in a word (the sentence with its time, “Embargoed until …”, as its
        title) over the link to the release's page: “View”, or “Preview” for staff."""
        return format_html(
            '<span title="{}">{}</span><br><a href="{}" target="_blank" rel="noopener">{}</a>',
            state_note(release, with_utc=True),
            release.state_label,
            release.get_absolute_url(),
            "View" if release.is_published else "Preview",
        )

    @admin.display(description="goes live", ordering=GOES_PUBLIC_AT, empty_value="—")
    def goes_live(self, release) -> str | None:
        """When a published release is (or was) public from (``Release.goes_public_at``),
        “Embargo lifts …” when the embargo is what holds it; for a release not published
        yet, “Embargo until …” while it has an embargo to come. Each time with its zone, UTC
        and the editor's own time (``releases.times.local_and_utc``)."""
        if release.goes_public_at is not None:
            when = local_and_utc(release.goes_public_at)
            return f"Embargo lifts {when}" if release.held_by_embargo else when
        embargo = release.embargoed_until
        if release.status in UNPUBLISHED and embargo is not None and embargo > timezone.now():
            return f"Embargo until {local_and_utc(embargo)}"
        return None
