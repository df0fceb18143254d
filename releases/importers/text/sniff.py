"""Rule *other formats*: a JSON, XML or HTML document is not a plain-text release.

Imported as text, ``releases.json`` became a draft headlined "{"; such a file is
refused with the option that reads it instead.
"""

from __future__ import annotations

import json
import re

from releases.importers import ReleaseImportError

# The start of a JSON object or array: `{"`, `{}`, `[{`, `[]`, `["`.
_JSON_START = re.compile(r'\A\s*(?:\{\s*(?:"|\})|\[\s*(?:\{|\[|"|\]))')
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[\s?]", re.IGNORECASE)
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
# A document that is one element: an opening tag first, its closing tag last.
_ELEMENT = re.compile(r"\A\s*<([A-Za-z][\w.:-]*)[^<>]*>.*</\1\s*>\s*\Z", re.S)
_HTML_ELEMENTS = {"html", "head", "body", "div", "p", "table", "article", "section", "main"}


def refuse_other_formats(text: str, *, path: str | None) -> None:
    """Raise ``ReleaseImportError`` when ``text`` is a JSON, XML or HTML document.

    JSON: the text starts as a JSON object or array does (``{"``, ``[{``), or the whole
    text, or its first line (NDJSON), parses as one. A release that starts with a
    bracket ("[EMBARGOED]", "[Photo: …]") is none of these.
    """
    head = text.lstrip("\ufeff")
    if head.lstrip()[:1] in ("{", "[") and (_JSON_START.match(head) or _parses(head)):
        found = "JSON, not a plain-text release: use --format json or --format ninjs (this "
        found += "site's JSON export, or ninjs items)"
    elif _HTML_START.match(head) or _is_element(head, html=True):
        found = "an HTML document, not a plain-text release: copy the release's text from "
        found += "the page into a .txt file and import that"
    elif _XML_DECLARATION.match(head) or _is_element(head, html=False):
        found = "an XML document, not a plain-text release: save the release as plain text "
        found += "and import that"
    else:
        return
    raise ReleaseImportError(f"looks like {found}", path=path, line=1)


def _parses(text: str) -> bool:
    for candidate in (text, text.split("\n", 1)[0]):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict | list):
            return True
    return False


def _is_element(text: str, *, html: bool) -> bool:
    match = _ELEMENT.match(text)
    return bool(match) and (match.group(1).lower() in _HTML_ELEMENTS) == html
