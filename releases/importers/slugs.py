"""URL slugs for imported releases: ``url_slug(text)`` and ``has_other_script(text)``.

``django.utils.text.slugify`` strips accents (``é`` → ``e``) but drops letters that
are not an accented form of an ASCII letter (``ß``, ``ø``, ``æ``, ``ł``…): they are
spelled out first, as German, Danish, Polish and Icelandic writers do (``ß`` → ``ss``,
``ø`` → ``o``). Letters of other scripts (Greek, Cyrillic, CJK…) cannot be kept:
release routes take ASCII slugs only (the ``slug`` converter in ``releases/urls.py``),
so the importers use the headline's slug instead and say so.
"""

from __future__ import annotations

import unicodedata

from django.utils.text import slugify

SLUG_LENGTH = 190

# Latin letters NFKD does not decompose to ASCII (facts from the languages' spelling).
SPELLED_OUT = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
        "ŀ": "l",
        "Ŀ": "L",
        "ŋ": "ng",
        "Ŋ": "Ng",
        "ĸ": "k",
        "ſ": "s",
        "ŧ": "t",
        "Ŧ": "T",
    }
)


def url_slug(text: str) -> str:
    """``text`` as a release's URL slug: ASCII letters, digits and hyphens, at most
    ``SLUG_LENGTH`` characters; "" when nothing is left (``"Fähre ø ß"`` →
    ``"fahre-o-ss"``)."""
    return slugify(text.translate(SPELLED_OUT))[:SLUG_LENGTH].strip("-")


def has_other_script(text: str) -> bool:
    """Whether ``text`` has letters ``url_slug`` cannot spell in ASCII (Greek,
    Cyrillic, CJK…)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(SPELLED_OUT))
    return any(
        ord(char) > 127 and unicodedata.category(char).startswith("L") for char in decomposed
    )
