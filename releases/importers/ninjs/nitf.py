"""An NITF body (``application/nitf+xml``, 1.x's ``body_xml``) as HTML:
``nitf_to_html(text) -> str``.

NITF (IPTC's News Industry Text Format) writes the story in ``<body.content>`` with
mostly HTML elements (``p``, ``ul``, ``ol``, ``li``, ``table``, ``a``, ``em``, ``q``)
plus its own: ``hl1``/``hl2`` (headings), ``block`` (a section), ``media`` (embedded
media, with a caption), ``byline``, ``dateline``, ``tagline``. Its own elements become
the nearest HTML (``h2``/``h3``, ``div``, ``blockquote``…) or are dropped with their
content (``media-reference``, ``media-metadata``, head elements); the result is then
sanitized with the body on save (``releases.sanitize``), which drops anything left
over and every attribute it does not allow.
"""

from __future__ import annotations

import re

from releases.sanitize import sanitize_html

_BODY_CONTENT = re.compile(r"<body\.content\b[^>]*>(.*)</body\.content\s*>", re.DOTALL | re.I)
_DROPPED = re.compile(
    r"<(head|body\.head|body\.end|media-reference|media-metadata|media-object|"
    r"media-producer|docdata|pubdata|revision-history|identified-content)\b[^>]*?"
    r"(/>|>.*?</\1\s*>)",
    re.DOTALL | re.I,
)
_RENAMED = {
    "hl1": "h2",
    "hl2": "h3",
    "block": "div",
    "media": "figure",
    "media-caption": "figcaption",
    "bq": "blockquote",
    "credit": "cite",
    "fn": "small",
    "pronounce": "span",
}
_TAG = re.compile(r"<(/?)([A-Za-z][\w.-]*)([^>]*)>")


def nitf_to_html(text: str) -> str:
    """The story of an NITF document (or fragment) as sanitized HTML."""
    match = _BODY_CONTENT.search(text)
    content = match[1] if match else text
    content = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", content, flags=re.I)
    content = _DROPPED.sub("", content)

    def renamed(tag: re.Match) -> str:
        name = tag[2].lower()
        new = _RENAMED.get(name)
        return f"<{tag[1]}{new}{tag[3]}>" if new else tag[0]

    return sanitize_html(_TAG.sub(renamed, content))
