"""Which releases a response shows, collected while it renders.

The page cache (``releases.pagecache``) keeps a page until one of the releases it shows
changes: every ``Release`` loaded from the database while a page renders
(``Release.from_db``: querysets, ``select_related``, prefetches) is noted here, and code
that reads releases without making instances (``values()``) notes their ids itself.
Outside ``collecting()`` noting does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_shown: ContextVar[set[int] | None] = ContextVar("newsroom_shown_releases", default=None)


@contextmanager
def collecting() -> Iterator[set[int]]:
    """The ids of the releases loaded inside the ``with`` block (a set filled as it runs)."""
    found: set[int] = set()
    token = _shown.set(found)
    try:
        yield found
    finally:
        _shown.reset(token)


def note(pks: Iterable[int | None]) -> None:
    """Record releases shown by the response being rendered, if one is."""
    found = _shown.get()
    if found is not None:
        found.update(pk for pk in pks if pk is not None)
