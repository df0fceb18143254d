"""URL slugs for imported releases: ``url_slug(text)`` (any script, see
``releases.slugs``) and ``is_transliterated(text)``."""

from __future__ import annotations

from releases.slugs import ascii_slug, is_transliterated

SLUG_LENGTH = 190


def url_slug(text: str) -> str:
    """``text`` as a release's URL slug: ASCII letters, digits and hyphens, at most
    ``SLUG_LENGTH`` characters; "" when nothing is left (``"Fähre ø ß"`` →
    ``"fahre-o-ss"``, ``"Москва-мост"`` → ``"moskva-most"``)."""
    return ascii_slug(text, SLUG_LENGTH)


__all__ = ["SLUG_LENGTH", "is_transliterated", "url_slug"]
