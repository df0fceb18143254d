"""The audit log in the admin: read-only, filtered by action, user and date, exported as CSV."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from newsroom.audit.models import AuditEvent
from releases.admin.changelist import GuardedDateHierarchy
from releases.exports.columns import neutralized

CSV_COLUMNS = ["at", "action", "user", "release_id", "headline", "slug", "note"]


class _Echo:
    """A file-like object whose ``write`` hands the line back, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def csv_rows(events):
    """Header, then one row per event; times in UTC (ISO 8601), every cell a spreadsheet
    could run as a formula neutralized (OWASP's leading ``'``; ``releases.exports.columns``)."""
    yield CSV_COLUMNS
    for event in events:
        yield [
            event.at.astimezone(dt.UTC).isoformat(),
            event.action,
            neutralized(event.username),
            "" if event.release_id is None else str(event.release_id),
            neutralized(event.release_headline),
            neutralized(event.release_slug),
            neutralized(event.note),
        ]


@admin.register(AuditEvent)
class AuditEventAdmin(GuardedDateHierarchy, admin.ModelAdmin):
    list_display = ["at", "action", "who", "release_link", "note"]
    list_filter = ["action", "user", "at"]
    date_hierarchy = "at"
    search_fields = ["release_headline", "release_slug", "username", "note"]
    list_select_related = ["release"]
    show_full_result_count = False

    # A record, not a document: nobody adds, edits or deletes one here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="user", ordering="username")
    def who(self, event) -> str:
        return event.username or "system"

    @admin.display(description="release", ordering="release_headline")
    def release_link(self, event) -> str:
        if event.release_id is None:
            # The release was deleted: the copied headline still says which it was.
            return format_html("{} <em>(deleted)</em>", event.release_headline or "—")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:releases_release_change", args=[event.release_id]),
            event.release_headline or event.release_slug,
        )

    def get_urls(self):
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_csv),
            name="audit_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_csv(self, request):
        """The events the changelist shows with the same filters, as CSV (streamed).

        403 without the view permission on audit events.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            events = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(
                "These filters are not valid; go back to the log and filter again."
            )
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in csv_rows(events.iterator(chunk_size=2000))),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response
