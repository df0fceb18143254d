"""Exports from the release admin, as streamed downloads in every export format.

- "Export…", an action on the selected releases (or all that match, with "select
  all"): a page asks for the format, then the download starts.
- "Export these", a link on the changelist: exports exactly what the changelist shows
  with its current filters, search and ordering (every page of it), through the
  changelist's own machinery. ``…/export/?<changelist query>`` asks for the format;
  with ``format=<name>`` it downloads.

Both need the view permission on releases (``has_view_permission``); without it the
answer is 403. ``ReleaseExportMixin`` adds the URL, the link and the page to a
``ModelAdmin``; ``export_selected`` is the action.
"""

from __future__ import annotations

import copy

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header

from releases.exports.stream import FORMATS, export_chunks, export_filename

FORMAT_PARAM = "format"
# Query-string keys of the changelist that do not select releases.
NOT_FILTERS = (FORMAT_PARAM, "raw_cells", "apply", PAGE_VAR, ERROR_FLAG)


class ExportFormatForm(forms.Form):
    format = forms.ChoiceField(
        label="Format",
        choices=[(f.name, f.label) for f in FORMATS.values()],
        initial="csv",
        widget=forms.RadioSelect,
        help_text="CSV and Excel: one row per release. JSON and NDJSON: complete releases, "
        "for re-import. Atom: a feed. ninjs: the news industry's JSON.",
    )
    raw_cells = forms.BooleanField(
        label="CSV cells as stored",
        required=False,
        help_text="By default a CSV cell that a spreadsheet would run as a formula "
        "(starting with =, +, -, @, a tab…) starts with a ' so that it stays text. "
        "Tick for the values exactly as stored, for programs other than spreadsheets.",
    )

    def clean(self):
        cleaned = super().clean()
        export_format = FORMATS.get(cleaned.get("format", ""))
        if cleaned.get("raw_cells") and export_format and not export_format.raw_cells:
            self.add_error("raw_cells", f"Only for CSV, not {export_format.label}.")
        return cleaned


def export_response(
    request, queryset, format_name: str, *, raw_cells: bool = False
) -> StreamingHttpResponse:
    """``queryset`` in ``format_name`` as a download, streamed as it is written."""
    export_format = FORMATS[format_name]
    response = StreamingHttpResponse(
        export_chunks(
            queryset,
            format_name,
            base_url=request.build_absolute_uri("/"),
            raw_cells=raw_cells,
        ),
        content_type=export_format.content_type,
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(format_name)
    )
    return response


def export_page(modeladmin, request, *, form, count: int, hidden, method: str):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Export releases",
        "subtitle": None,
        "opts": modeladmin.opts,
        "form": form,
        "count": count,
        "hidden": hidden,
        "method": method,
        "changelist_url": _changelist_url(modeladmin, request),
    }
    return TemplateResponse(request, "admin/releases/release/export.html", context)


def _changelist_url(modeladmin, request) -> str:
    url = reverse(f"admin:{modeladmin.opts.app_label}_{modeladmin.opts.model_name}_changelist")
    query = _changelist_query(request.GET)
    return f"{url}?{query.urlencode()}" if query else url


def _changelist_query(params: QueryDict) -> QueryDict:
    query = params.copy()
    for key in NOT_FILTERS:
        query.pop(key, None)
    return query


@admin.action(description="Export…", permissions=["view"])
def export_selected(modeladmin, request, queryset):
    form = ExportFormatForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        return export_response(
            request,
            queryset,
            form.cleaned_data["format"],
            raw_cells=form.cleaned_data["raw_cells"],
        )
    # Posted back with the same action and selection, Django's action machinery
    # rebuilds the same queryset (all matching ones when "select all" was used).
    hidden = [("action", "export_selected"), ("index", "0")]
    hidden += [
        (helpers.ACTION_CHECKBOX_NAME, pk)
        for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
    ]
    if request.POST.get("select_across") == "1":
        hidden.append(("select_across", "1"))
    return export_page(
        modeladmin, request, form=form, count=queryset.count(), hidden=hidden, method="post"
    )


class ReleaseExportMixin:
    """The "Export these" link and view of a changelist (see the module docstring)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        info = self.opts.app_label, self.opts.model_name
        url = reverse("admin:{}_{}_export".format(*info))
        query = _changelist_query(request.GET)
        extra_context = {
            **(extra_context or {}),
            "export_url": f"{url}?{query.urlencode()}" if query else url,
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        # The changelist reads every parameter of its request as a filter: hand it a
        # request with only the changelist's own.
        changelist_request = copy.copy(request)
        changelist_request.GET = _changelist_query(request.GET)
        try:
            changelist = self.get_changelist_instance(changelist_request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(
                "These changelist filters are not valid.", content_type="text/plain"
            )
        form = ExportFormatForm(request.GET if FORMAT_PARAM in request.GET else None)
        if form.is_valid():
            return export_response(
                request,
                changelist.queryset,
                form.cleaned_data["format"],
                raw_cells=form.cleaned_data["raw_cells"],
            )
        hidden = [
            (key, value) for key, values in changelist_request.GET.lists() for value in values
        ]
        response = export_page(
            self,
            request,
            form=form,
            count=changelist.result_count,
            hidden=hidden,
            method="get",
        )
        if form.is_bound:
            response.status_code = 400
        return response
