"""Full-text search over releases: ``search_releases(queryset, q)``.

PostgreSQL: the stored, weighted ``search_vector`` (see ``releases.indexing``) matched
with ``websearch_to_tsquery`` (``"exact phrase"``, ``OR``, ``-word``; ``a b OR c`` is
``(a AND b) OR c``), ranked (``search_rank``; best first, then newest), with a
highlighted ``search_snippet`` quoting the summary and the start of the body. Words
match by English stem: "vaccines" finds "vaccine" and "vaccination"; English stop words
("the", "who", "it") are not indexed, so a query of stop words alone finds nothing (an
acronym that is a stop word, such as "WHO", is not searchable). A query that matches
more than ``COUNT_CAP`` releases (a common word: "announced" is in 45 % of a large
archive) is not ranked: its matches come newest first, read along the date index, so it
costs what a rare word costs. Ranking reads each match's whole vector (10-30 µs a row):
bounded by ``COUNT_CAP`` rows, it stays within the latency budget. Deciding costs one
query that reads at most ``COUNT_CAP + 1`` index entries (``capped_count``).

Both ignore accents: "Zurich" finds "Zürich" and "Zürich" finds "Zurich", "Sao Paulo"
"São Paulo", "facade" "façade"; "ß" matches "ss" ("Strasse" finds "Straße"), "æ" "ae",
"ø" "o", "ł" "l" (PostgreSQL's ``unaccent`` rules, see ``releases.indexing``; ``fold``
here). The snippet marks the word as the release writes it.

SQLite (the demo database) has no such index; the fallback reads the same query syntax
and requires every word (or phrase) to appear, case- and accent-insensitively (see
``fold``), as a substring of the headline, subheadline, summary, body HTML, a tag name
or an organization name or short name. "vaccine" then finds "vaccines" but "vaccines" does
not find "vaccine", stop words count, markup in the body can match ("strong"), and
there is no rank: newest first.

Both annotate ``search_snippet``: a ``SafeString`` of escaped text in which only the
matched words are wrapped in ``<mark>``; render it as it is, ``{{ release.search_snippet
}}``. The list itself is one SELECT; ``search_releases`` runs one query first, the
capped count that decides between ranking and newest first.

How many matched: exactly up to ``COUNT_CAP``; above it ``is_capped`` says so and the
list says "more than 1,000" and pages through the newest ``COUNT_CAP``. (PostgreSQL's
row estimate was no honest "about N": it multiplies the frequencies of the words, so
"Relief Without Borders" was estimated at 58 matches for 7,570.)
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
)
from django.db import connections, models
from django.db.models import ExpressionWrapper, F, Func, Q, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from releases.indexing import SEARCH_CONFIG, plain_text

# ts_headline marks matches with these private-use characters, never with "<mark>":
# the text around them is user content, escaped after the fact (see ``highlight``).
MARK_START = "\ue000"
MARK_STOP = "\ue001"
# How much of the body the snippet may quote; ts_headline's cost grows with its input.
SNIPPET_BODY_CHARS = 2000
# Up to this many matches are counted exactly and ranked (~10-30 µs of ranking a row);
# more are shown newest first, and the list says "more than COUNT_CAP".
COUNT_CAP = 1000
# The alias that marks a search with more than COUNT_CAP matches (``is_capped``).
CAPPED = "search_capped"


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
    snippet = ExpressionWrapper(headline, output_field=SnippetField())
    matches = queryset.filter(search_vector=search_query)
    if capped_count(matches) > COUNT_CAP:
        # Newest first, by walking the date index until a page of matches is found: with
        # more than COUNT_CAP matches (1 % of 100,000) that reads ~100 rows a match at
        # most (under 10 ms). The match is written ``(... @@ ...) IS TRUE`` (the same
        # rows) so that the full-text index cannot serve it: for several words the
        # planner multiplies their frequencies and, expecting a handful of rows, would
        # fetch every match from that index and sort them (60-370 ms for 7,500).
        return (
            queryset.filter(IsTrue(SearchVectorExact(F("search_vector"), search_query)))
            .alias(**{CAPPED: Value(True)})
            .annotate(
                search_snippet=snippet,
                search_rank=Value(0.0, output_field=models.FloatField()),
            )
            .order_by("-published_at", "-id")
        )
    return matches.annotate(
        search_snippet=snippet, search_rank=SearchRank(F("search_vector"), search_query)
    ).order_by("-search_rank", "-published_at", "-id")


class IsTrue(Func):
    """``(condition) IS TRUE``: the same rows as the condition, hidden from indexes."""

    template = "(%(expressions)s) IS TRUE"
    output_field = models.BooleanField()


def capped_count(queryset, cap: int | None = None) -> int:
    """The number of rows of ``queryset``, or ``cap + 1`` when there are more
    (``cap`` defaults to ``COUNT_CAP``). One query that reads at most ``cap + 1`` rows."""
    cap = COUNT_CAP if cap is None else cap
    return queryset.order_by().values("pk")[: cap + 1].count()


def is_capped(queryset) -> bool:
    """Whether ``queryset`` (from ``search_releases``, maybe filtered further) is a search
    that matched more than ``COUNT_CAP`` releases: known without a query. Count such a
    search with ``capped_count`` only before ``search_releases`` (the full-text index
    cannot serve the capped form's match, see ``_search_postgresql``)."""
    return CAPPED in queryset.query.annotations


# -- accent folding (the SQLite fallback and the snippet) -----------------------------

# Letters that are not a base letter plus a combining accent, folded as PostgreSQL's
# unaccent.rules folds them.
_LETTERS = dict(
    zip(
        "ßẞæÆœŒøØłŁđĐþÞı",
        ["ss", "ss", "ae", "ae", "oe", "oe", "o", "o", "l", "l", "d", "d", "th", "th", "i"],
        strict=True,
    )
)
# The Combining Diacritical Marks block: the accents of Latin, Greek and Cyrillic. Marks
# of other scripts (Arabic vowels, Devanagari signs) are letters of their words and stay.
_ACCENTS = re.compile("[\u0300-\u036f]")


@functools.lru_cache(maxsize=4096)
def _fold_character(character: str) -> str:
    if character < "\x80":
        return character.lower()
    if character in _LETTERS:
        return _LETTERS[character]
    decomposed = unicodedata.normalize("NFD", character)
    stripped = _ACCENTS.sub("", decomposed)
    # Only a letter that had an accent is decomposed: a Hangul syllable stays whole.
    return (stripped if stripped != decomposed else character).casefold()


def fold(text: str | None) -> str | None:
    """``text`` without accents and case: ``"Zürich"`` → ``"zurich"``, ``"Straße"`` →
    ``"strasse"``. Character by character, so ``fold(c)`` of each character of ``text``
    joined is ``fold(text)`` (the snippet relies on it to map matches back)."""
    if text is None:
        return None
    return "".join(_fold_character(character) for character in text)


class Folded(Func):
    """SQL ``newsroom_fold(expression)``: ``fold`` as a SQLite function, registered on
    every SQLite connection by ``register_sqlite_functions``. SQLite only."""

    function = "newsroom_fold"
    output_field = models.TextField()


def register_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """``connection_created`` receiver: gives SQLite connections ``newsroom_fold``."""
    if connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_function("newsroom_fold", 1, fold, deterministic=True)


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
    text = fold(text)

    def has(field: str) -> Contains:
        return Contains(Folded(F(field)), text)

    tagged = model.objects.filter(has("tags__name")).values("pk")
    issued = model.objects.filter(
        Q(has("organizations__name")) | Q(has("organizations__short_name"))
    ).values("pk")
    return (
        Q(has("headline"))
        | Q(has("subheadline"))
        | Q(has("summary"))
        | Q(has("body"))
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
    found = queryset.filter(matches)
    if capped_count(found) > COUNT_CAP:
        found = found.alias(**{CAPPED: Value(True)})
    return found.annotate(
        search_snippet=ExpressionWrapper(F("summary"), output_field=SnippetField(wanted))
    ).order_by("-published_at", "-id")


# -- the snippet -----------------------------------------------------------------------


class SnippetField(models.TextField):
    """Output field of ``search_snippet``: turns the database's text into safe HTML.

    From PostgreSQL the text carries ``MARK_START``/``MARK_STOP`` around matches. From
    SQLite it is the plain summary, and ``terms`` are marked here, case- and
    accent-insensitively (``fold``), around the text as written.
    """

    def __init__(self, terms=(), **kwargs):
        super().__init__(**kwargs)
        self.terms = [term for term in terms if term]

    def from_db_value(self, value, expression, connection):
        # Tags removed from the body leave runs of spaces.
        text = " ".join((value or "").split())
        if self.terms:
            text = mark_terms(text.replace(MARK_START, "").replace(MARK_STOP, ""), self.terms)
        return highlight(text)


def mark_terms(text: str, terms) -> str:
    """``text`` with each occurrence of a term between ``MARK_START`` and ``MARK_STOP``,
    matched on ``fold``ed text, marked on the original: "Zurich" marks "Zürich"."""
    pieces = [_fold_character(character) for character in text]
    # The index in ``text`` of each character of the folded text.
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    folded = "".join(pieces)
    wanted = sorted({fold(term) for term in terms if fold(term)}, key=len, reverse=True)
    if not wanted:
        return text
    marked, position = [], 0
    for match in re.finditer("|".join(re.escape(term) for term in wanted), folded):
        start, stop = origin[match.start()], origin[match.end() - 1] + 1
        if start < position:
            continue
        marked += [text[position:start], MARK_START, text[start:stop], MARK_STOP]
        position = stop
    marked.append(text[position:])
    return "".join(marked)


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
