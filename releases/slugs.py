"""ASCII slugs from text in any script: ``ascii_slug(text, max_length)`` and
``is_transliterated(text)``. A leaf module (no models), so models and importers alike
use it.

Release, author and organization routes take ASCII slugs only (the ``slug`` converter
in ``releases/urls.py``). ``django.utils.text.slugify`` strips accents (``é`` → ``e``)
but drops every other letter, so "Москва" would give no slug at all. Text is first
spelled in Latin letters by ``anyascii`` (ISC licence; per character, no language
guessed): Cyrillic "Москва" → ``moskva``, Greek "Αθήνα" → ``athina``, Chinese
"北京" → ``bei-jing`` (one word per ideograph: Chinese writes no spaces), Arabic
"القاهرة" → ``lqhrh`` (its script writes no short vowels); Latin letters keep their
base letter (``ö`` → ``o``, ``ß`` → ``ss``, ``ø`` → ``o``, ``æ`` → ``ae``, ``ł`` →
``l``, ``þ`` → ``th``). Symbols and emoji are dropped, not spelled out (``©`` is not
"c").
"""

from __future__ import annotations

import unicodedata

from anyascii import anyascii
from django.utils.text import slugify


def _spelled(char: str) -> str:
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category in ("So", "Sk", "Cs", "Co", "Cn"):
        return " "
    latin = anyascii(char)
    if unicodedata.name(char, "").startswith("CJK"):
        # An ideograph is a syllable, often a word: "北京" → "bei jing", not "beijing".
        return f" {latin} "
    return latin


def ascii_slug(text: str, max_length: int) -> str:
    """``text`` as an ASCII slug of at most ``max_length`` characters; "" when nothing
    is left (``"Fähre ø ß"`` → ``"fahre-o-ss"``, ``"Москва-мост"`` →
    ``"moskva-most"``)."""
    spelled = "".join(_spelled(char) for char in unicodedata.normalize("NFC", str(text)))
    return slugify(spelled)[:max_length].strip("-")


def is_transliterated(text: str) -> bool:
    """Whether ``text`` has letters of a script other than Latin, which its slug spells
    in Latin letters (a guess an editor may want to check)."""
    return any(
        not char.isascii()
        and unicodedata.category(char).startswith("L")
        and not unicodedata.name(char, "").startswith("LATIN")
        for char in str(text)
    )
