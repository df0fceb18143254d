"""The list filters as query-string pairs: normalized, and turned back into links.

A pair list is the canonical form of a filtered list: only the contract's keys, in
the contract's order, values stripped, empty ones dropped, one value for every key
but ``tag`` (the last one given, as a form reads it), tags without repeats. Links
built from it carry no junk parameters and no page number.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import QueryDict

FILTER_KEYS = ("tag", "organization", "author", "year", "month", "from", "to", "q")
MULTIPLE_KEYS = frozenset({"tag"})

Pairs = list[tuple[str, str]]


def normalize(pairs) -> Pairs:
    """Canonical pairs from any ``(key, value)`` iterable (later single values win)."""
    tags: list[str] = []
    single: dict[str, str] = {}
    for key, value in pairs:
        value = value.strip()
        if key not in FILTER_KEYS or not value:
            continue
        if key in MULTIPLE_KEYS:
            if value not in tags:
                tags.append(value)
        else:
            single[key] = value
    return [("tag", tag) for tag in tags] + [
        (key, single[key]) for key in FILTER_KEYS if key in single
    ]


def filter_pairs(query: QueryDict, *, drop=()) -> tuple[Pairs, bool]:
    """The canonical filter pairs of a request's query string, less the keys in ``drop``.

    Values containing NUL are left out (no database accepts them in a text parameter);
    the second result says whether any was, so the caller can say so.
    """
    raw = [(key, value) for key, values in query.lists() for value in values if key not in drop]
    clean = [(key, value) for key, value in raw if "\x00" not in value and "\x00" not in key]
    return normalize(clean), len(clean) != len(raw)


def to_query_dict(pairs: Pairs) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, value)
    return data


def url_with(path: str, pairs: Pairs) -> str:
    """``path`` with ``pairs`` as its query string (none when empty)."""
    return f"{path}?{urlencode(pairs)}" if pairs else path


def without(pairs: Pairs, *removed: tuple[str, str] | str) -> Pairs:
    """``pairs`` less the given pairs, or every pair of the given keys.

    A month means nothing without its year, so removing the year removes the month.
    """
    keys = {item for item in removed if isinstance(item, str)}
    exact = {item for item in removed if isinstance(item, tuple)}
    if "year" in keys or any(key == "year" for key, _ in exact):
        keys.add("month")
    return [pair for pair in pairs if pair[0] not in keys and pair not in exact]


def adding(pairs: Pairs, key: str, value: str) -> Pairs:
    """``pairs`` with one more tag, or with ``key`` set to ``value``."""
    if key in MULTIPLE_KEYS:
        return normalize([*pairs, (key, value)])
    # Choosing another year drops the month chosen for the previous one.
    return normalize([*without(pairs, key), (key, value)])
