"""Page-number pagination of the release list: ``?page=N``, 20 a page, like ``/releases/``.

A page past the end (or below 1) is a 404; a page that is not a whole number a 400.
The count, the expensive part at 100,000 releases, comes from the view
(``result_count``), which keeps it in the cache under the public data's version; a deep
page skips along an index, not the table (``releases.paging``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from releases.paging import DeferredJoinPaginator


class ReleasePagination(PageNumberPagination):
    page_size = settings.NEWSROOM_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        # As the schema types it: a whole number, not empty, not padded.
        number = request.query_params.get(self.page_query_param, "1")
        if not number.isascii() or not number.isdigit():
            raise ValidationError({self.page_query_param: ["Enter a whole number from 1."]})
        paginator = DeferredJoinPaginator(queryset, self.page_size)
        if view is not None and hasattr(view, "result_count"):
            paginator.count = view.result_count(queryset)
        try:
            self.page = paginator.page(int(number))
        except EmptyPage as exc:
            raise NotFound("No such page of releases.") from exc
        self.request = request
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = "How many releases match."
        return described
