"""An NITF body (``application/nitf+xml``, 1.x's ``body_xml``) as HTML:
``nitf_to_html(text, warn) -> str``.

NITF (IPTC's News Industry Text Format) writes the story in ``<body.content>`` with
mostly HTML elements (``p``, ``ul``, ``ol``, ``li``, ``table``, ``a``, ``em``, ``q``)
plus its own: ``hl1``/``hl2`` (headings), ``block`` (a section), ``media`` (embedded
media, with a caption), ``byline``, ``dateline``, ``tagline``. Its own elements become
the nearest HTML (``h2``/``h3``, ``div``, ``blockquote``…) or are dropped with their
content (``media-reference``, ``media-metadata``, head elements); the result is then
sanitized with the body on save (``releases.sanitize``), which drops anything left
over and every attribute it does not allow.

Embedded ``media`` are not stored (their files are not fetched): one with a
``media-caption`` leaves its caption as a paragraph, one without leaves nothing (never
an empty ``figure``), each with a warning naming its source. The ``tagline`` of
``body.end`` ("Reporting by …; Editing by …") is kept as the last paragraph.
"""

from __future__ import annotations

import re
from html import unescape

from django.utils.html import format_html, strip_tags

from releases.sanitize import sanitize_html

_MEDIA = re.compile(r"<media(?=[\s/>])[^>]*?(?:/>|>(.*?)</media\s*>)", re.DOTALL | re.I)
_CAPTION = re.compile(r"<media-caption\b[^>]*>(.*?)</media-caption\s*>", re.DOTALL | re.I)
_SOURCE = re.compile(r"<media-reference\b[^>]*?\bsource\s*=\s*[\"']([^\"']*)", re.I)
_TAGLINE = re.compile(r"<tagline\b[^>]*>(.*?)</tagline\s*>", re.DOTALL | re.I)
_BODY_END = re.compile(r"<body\.end\b[^>]*>(.*?)</body\.end\s*>", re.DOTALL | re.I)
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
    "bq": "blockquote",
    "credit": "cite",
    "fn": "small",
    "pronounce": "span",
}
_TAG = re.compile(r"<(/?)([A-Za-z][\w.-]*)([^>]*)>")


def nitf_to_html(text: str, warn=lambda message: None) -> str:
    """The story of an NITF document (or fragment) as sanitized HTML; ``warn`` is
    told of each media left out."""
    match = _BODY_CONTENT.search(text)
    content = match[1] if match else text
    content = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", content, flags=re.I)

    def media(found: re.Match) -> str:
        inner = found[1] or ""
        source = _SOURCE.search(inner)
        named = f"“{source[1]}”" if source and source[1] else "without a source"
        caption = _CAPTION.search(inner)
        caption = " ".join(unescape(strip_tags(caption[1])).split()) if caption else ""
        if caption:
            warn(f"NITF media {named} not imported: its caption is kept as a paragraph")
            return format_html("<p>{}</p>", caption)
        warn(f"NITF media {named} not imported (no caption): left out")
        return ""

    content = _MEDIA.sub(media, content)
    end = _BODY_END.search(text)
    for tagline in _TAGLINE.findall(end[1]) if end else ():
        if words := " ".join(unescape(strip_tags(tagline)).split()):
            content += format_html("<p>{}</p>", words)
    content = _DROPPED.sub("", content)

    def renamed(tag: re.Match) -> str:
        name = tag[2].lower()
        new = _RENAMED.get(name)
        return f"<{tag[1]}{new}{tag[3]}>" if new else tag[0]

    return sanitize_html(_TAG.sub(renamed, content))
