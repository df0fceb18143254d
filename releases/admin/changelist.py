"""A changelist whose date hierarchy refuses impossible dates instead of failing.

Django's ``ChangeList.get_filters`` turns ``?published_at__year=…`` into a date range; a
year beyond what ``datetime`` holds (``99999999999999999999``: OverflowError; ``9999``:
the range ends in year 10000, ValueError) escapes as a 500. Raised as
``IncorrectLookupParameters``, the admin answers as it does for any bad filter: back to
the unfiltered list with ``?e=1``.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class GuardedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class GuardedDateHierarchy:
    """ModelAdmin mixin: its changelist is a ``GuardedChangeList``."""

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList
