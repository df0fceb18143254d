"""Full-text search over releases: ``search_releases(queryset, q)``.

PostgreSQL: the stored, weighted ``search_vector`` (see ``releases.indexing``) matched
with ``websearch_to_tsquery`` (``"exact phrase"``, ``OR``, ``-word``; ``a b OR c`` is
``(a AND b) OR c``), ranked (``search_rank``; best first, then newest), with a
highlighted ``search_snippet`` quoting the summary and the start of the body. Words
match by English stem: "vaccines" finds "vaccine" and "vaccination"; English stop words
("the", "who", "it") are not indexed, so a query of stop words alone finds nothing (an
acronym that is a stop word, such as "WHO", is not searchable). When a query matches
more than ``RANK_WINDOW`` releases, only the newest ``RANK_WINDOW`` are ranked and the
older ones follow, newest first: ranking costs a read of each row's whole vector, and
this keeps a search for a common word within the latency budget.

SQLite (the demo database) has no such index; the fallback reads the same query syntax
and requires every word (or phrase) to appear, case-insensitively (ASCII), as a
substring of the headline, subheadline, summary, body HTML, a tag name or an
organization name or short name. "vaccine" then finds "vaccines" but "vaccines" does
not find "vaccine", stop words count, markup in the body can match ("strong"), and
there is no rank: newest first.

Both annotate ``search_snippet``: a ``SafeString`` of escaped text in which only the
matched words are wrapped in ``<mark>``; render it as it is, ``{{ release.search_snippet
}}``. Both add no query: everything is computed in the one SELECT of the list.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import Case, ExpressionWrapper, F, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from releases.indexing import SEARCH_CONFIG, plain_text

# ts_headline marks matches with these private-use characters, never with "<mark>":
# the text around them is user content, escaped after the fact (see ``highlight``).
MARK_START = "\ue000"
MARK_STOP = "\ue001"
# How much of the body the snippet may quote; ts_headline's cost grows with its input.
SNIPPET_BODY_CHARS = 2000
# 25 pages of the newest matches in relevance order; ~10-30 µs of ranking per row.
RANK_WINDOW = 500
EARLIEST = dt.datetime(1, 1, 1, tzinfo=dt.UTC)


def search_releases(queryset, query: str):
    """Narrow ``queryset`` to releases matching ``query``, annotated with
    ``search_snippet`` (and ``search_rank`` on PostgreSQL) and ordered best first.

    An empty or blank query returns ``queryset`` unchanged. Defers ``search_vector``:
    the list never needs the vector itself, only the database does.
    """
    query = query.strip()
    if not query:
        return queryset
    queryset = queryset.defer("search_vector")
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, query)
    return _search_fallback(queryset, query)


def _search_postgresql(queryset, query: str):
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    text = Concat(
        F("summary"),
        Value(" "),
        plain_text(F("body"), length=SNIPPET_BODY_CHARS),
        output_field=models.TextField(),
    )
    headline = SearchHeadline(
        text,
        search_query,
        config=SEARCH_CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    matches = queryset.filter(search_vector=search_query)
    # ts_rank reads the whole TOASTed vector of each row it ranks (10-30 µs a row), so
    # only the newest RANK_WINDOW matches are ranked; for a very common word the older
    # matches follow them, newest first (rank 0). The cutoff is one scalar subquery,
    # run once. It orders by an expression, not the indexed column, on purpose: walking
    # the date index would test (and detoast) every recent row for a match, which the
    # planner prices far too low; the GIN bitmap then a top-N sort is the cheap path.
    newest = Coalesce("published_at", "created_at")
    cutoff = Subquery(
        matches.annotate(newest=newest)
        .order_by("-newest")
        .values("newest")[RANK_WINDOW - 1 : RANK_WINDOW]
    )
    rank = Case(
        When(
            GreaterThanOrEqual(newest, Coalesce(cutoff, Value(EARLIEST))),
            then=SearchRank(F("search_vector"), search_query),
        ),
        default=Value(0.0),
        output_field=models.FloatField(),
    )
    return matches.annotate(
        search_rank=rank,
        search_snippet=ExpressionWrapper(headline, output_field=SnippetField()),
    ).order_by("-search_rank", "-published_at", "-id")


# -- the SQLite fallback ---------------------------------------------------------------

# A term: an optional "-", then a quoted phrase (closing quote optional) or a word.
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def parse_query(query: str) -> list[list[tuple[bool, str]]]:
    """``query`` in ``websearch_to_tsquery``'s terms: alternatives (split on ``OR``),
    each a list of ``(excluded, text)`` that must all hold. ``a b OR c`` is
    ``(a AND b) OR c``, as in PostgreSQL.
    """
    alternatives: list[list[tuple[bool, str]]] = [[]]
    for match in _TERM.finditer(query):
        phrase_minus, phrase, word_minus, word = match.groups()
        if word is not None and word.upper() == "OR" and not word_minus:
            alternatives.append([])
            continue
        excluded = bool(phrase_minus if phrase is not None else word_minus)
        text = " ".join((phrase if phrase is not None else word).replace('"', " ").split())
        if text.strip("-"):
            alternatives[-1].append((excluded, text))
    return [terms for terms in alternatives if terms]


def _contains(model, text: str) -> Q:
    tagged = model.objects.filter(tags__name__icontains=text).values("pk")
    issued = model.objects.filter(
        Q(organizations__name__icontains=text) | Q(organizations__short_name__icontains=text)
    ).values("pk")
    return (
        Q(headline__icontains=text)
        | Q(subheadline__icontains=text)
        | Q(summary__icontains=text)
        | Q(body__icontains=text)
        | Q(pk__in=tagged)
        | Q(pk__in=issued)
    )


def _search_fallback(queryset, query: str):
    alternatives = parse_query(query)
    if not alternatives:
        return queryset.none()  # as PostgreSQL: a query with no words matches nothing
    model = queryset.model
    matches = Q()
    for terms in alternatives:
        alternative = Q()
        for excluded, text in terms:
            alternative &= ~_contains(model, text) if excluded else _contains(model, text)
        matches |= alternative
    wanted = [text for terms in alternatives for excluded, text in terms if not excluded]
    return (
        queryset.filter(matches)
        .annotate(search_snippet=ExpressionWrapper(F("summary"), output_field=SnippetField(wanted)))
        .order_by("-published_at", "-id")
    )


# -- the snippet -----------------------------------------------------------------------


class SnippetField(models.TextField):
    """Output field of ``search_snippet``: turns the database's text into safe HTML.

    From PostgreSQL the text carries ``MARK_START``/``MARK_STOP`` around matches. From
    SQLite it is the plain summary, and ``terms`` are marked here, case-insensitively.
    """

    def __init__(self, terms=(), **kwargs):
        super().__init__(**kwargs)
        self.terms = [term for term in terms if term]

    def from_db_value(self, value, expression, connection):
        # Tags removed from the body leave runs of spaces.
        text = " ".join((value or "").split())
        if self.terms:
            text = text.replace(MARK_START, "").replace(MARK_STOP, "")
            pattern = "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True))
            text = re.sub(
                pattern, lambda m: f"{MARK_START}{m[0]}{MARK_STOP}", text, flags=re.IGNORECASE
            )
        return highlight(text)


def highlight(text: str) -> SafeString:
    """Escape ``text`` and turn each ``MARK_START…MARK_STOP`` into ``<mark>…</mark>``.

    Everything is escaped: a ``<script>`` in a summary comes out as text. A stray
    sentinel in user content can at worst mark some words, never open a tag.
    """
    head, *rest = (text or "").split(MARK_START)
    pairs = []
    for part in rest:
        marked, _, after = part.partition(MARK_STOP)
        pairs.append((head.replace(MARK_STOP, ""), marked))
        head = after
    return format_html(
        "{}{}",
        format_html_join("", "{}<mark>{}</mark>", pairs),
        head.replace(MARK_STOP, ""),
    )
