"""Full-text search over releases.

PostgreSQL: a stored ``tsvector`` (see the search-index migration) queried with
``websearch_to_tsquery``, ranked, with highlighted snippets. SQLite: every word must
appear in the headline, subheadline, summary, body, a tag or an organization name.
"""

from __future__ import annotations

from django.db.models import Q


def search_releases(queryset, query: str):
    """Narrow ``queryset`` to releases matching ``query``; best matches first on PostgreSQL."""
    words = query.split()
    for word in words:
        word = word.strip('"')
        if not word or word.upper() == "OR" or word.startswith("-"):
            continue
        queryset = queryset.filter(
            Q(headline__icontains=word)
            | Q(subheadline__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(pk__in=queryset.model.objects.filter(tags__name__icontains=word).values("pk"))
            | Q(
                pk__in=queryset.model.objects.filter(organizations__name__icontains=word).values(
                    "pk"
                )
            )
        )
    return queryset
