"""How a tag field's text becomes tag names and back (taggit's ``TAGGIT_TAGS_FROM_STRING``
and ``TAGGIT_STRING_FROM_TAGS``, set in settings).

taggit's own parser has no way to write a double quote inside a tag: ``EXAMPLE`` below
became two tags, and a name holding a quote came back from the form broken. These
follow taggit's rules (commas separate tags when there is one, white space otherwise; a
double-quoted name may hold commas and spaces) plus CSV's escape (RFC 4180): inside
quotes, two quotes are one quote character. A quote that does not start a name is an
ordinary character (``5" screen``, ``O"Brien``). A quote that opens a name and is never
closed is a form error naming where, not a silent guess.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

QUOTE = '"'
EXAMPLE = '"Say ""hi"""'  # the one tag: Say "hi"


def parse_tags(text: str) -> list[str]:
    """Tag names in ``text``, sorted and unique. Raises ``ValidationError`` for a
    quote that is opened and never closed."""
    if not text:
        return []
    if "," not in text and QUOTE not in text:
        return sorted(set(text.split()))
    names: list[str] = []
    unquoted: list[str] = []  # the text between quoted names, split once we know how
    chunk: list[str] = []
    saw_comma = False
    position = 0
    while position < len(text):
        character = text[position]
        if character == QUOTE and (not chunk or chunk[-1].isspace() or chunk[-1] == ","):
            name, position = _quoted(text, position)
            unquoted.append("".join(chunk))
            chunk = []
            names.append(name)
            continue
        saw_comma = saw_comma or character == ","
        chunk.append(character)
        position += 1
    unquoted.append("".join(chunk))
    for part in unquoted:
        names.extend(part.split(",") if saw_comma else part.split())
    return sorted({name.strip() for name in names if name.strip()})


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The name quoted from ``text[start]`` (a quote) and the position after its
    closing quote."""
    name: list[str] = []
    position = start + 1
    while position < len(text):
        if text[position] == QUOTE:
            if text[position + 1 : position + 2] == QUOTE:
                name.append(QUOTE)
                position += 2
                continue
            return "".join(name), position + 1
        name.append(text[position])
        position += 1
    raise ValidationError(
        f"The quote that opens {text[start : start + 30]} is never closed. Close it, or "
        f"write a quote inside a tag as two quotes: {EXAMPLE}.",
        code="unclosed_quote",
    )


def edit_string_for_tags(tags) -> str:
    """The text that ``parse_tags`` reads back as these tags: names with a comma,
    white space or a quote are quoted, their quotes doubled; sorted, comma-separated."""
    names = []
    for tag in tags:
        name = tag.name
        if any(character.isspace() or character in ',"' for character in name):
            name = QUOTE + name.replace(QUOTE, QUOTE * 2) + QUOTE
        names.append(name)
    return ", ".join(sorted(names))
