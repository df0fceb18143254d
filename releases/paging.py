"""Page-number pagination whose deep pages do not read every row they skip.

``?page=N`` is the lists' contract (``/releases/?page=2000``, the API's ``?page=``), so
pages stay numbered, with an OFFSET. What changes is where the OFFSET runs: a page past
the first selects its releases as ``WHERE id IN (SELECT id … ORDER BY … OFFSET … LIMIT
20)`` (a "deferred join"). The inner select needs only the order and filter columns, so
on PostgreSQL it skips along ``release_public_newest_idx`` without a heap row per
skipped release (an index-only scan); the outer one reads the 20 rows it shows. One
query, the same releases in the same order as the plain ``[offset:offset + 20]`` slice.

Applied only to a plain filtered queryset in a total order (no annotations: a search
orders by its rank and builds a snippet a row; no DISTINCT), and only where the database
takes a LIMIT inside ``IN`` (PostgreSQL, SQLite; not MySQL).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet


def deferrable(queryset) -> bool:
    """Whether ``queryset``'s pages may be read by id from a sliced subquery."""
    if not isinstance(queryset, QuerySet):
        return False
    query = queryset.query
    return bool(
        query.order_by
        and not query.annotations
        and not query.distinct
        and not query.combinator
        and not query.is_sliced
        and connections[queryset.db].features.allow_sliced_subqueries_with_in
    )


class DeferredJoinPaginator(Paginator):
    """``Paginator`` reading pages past the first through a sliced ``id IN`` subquery.

    The first page keeps the plain ``LIMIT``: it reads no row to skip.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom and deferrable(self.object_list):
            ids = self.object_list.values("pk")[bottom:top]
            return self._get_page(self.object_list.filter(pk__in=ids), number, self)
        return self._get_page(self.object_list[bottom:top], number, self)
