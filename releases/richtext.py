"""Rich text as editors type it: plain text given structure, images kept to the release's
own files, and the length of a text as readers feel it.

The prose editor (``static/admin/prose-paste.js``) applies the same plain-text rules when
text is pasted into it; this module applies them on the server, for a form sent without
JavaScript or a script posting plain text. Cleaning stays in ``releases.sanitize``.
"""

from __future__ import annotations

import html
import math
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass

# A tag of an HTML element (``<p>``, ``</em>``, ``<br/>``, ``<script src=…>``) or a
# comment. Only real element names count: "a < b", "<3" and "<your name>" are text,
# as they were when boilerplates and bios were plain text.
_ELEMENTS = (
    "a|abbr|address|article|aside|audio|b|base|bdi|bdo|blockquote|body|br|button|canvas|"
    "caption|center|cite|code|col|colgroup|dd|del|details|dfn|dialog|div|dl|dt|em|embed|"
    "fieldset|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|"
    "input|ins|kbd|label|legend|li|link|main|mark|meta|nav|noscript|object|ol|optgroup|"
    "option|output|p|param|picture|pre|q|s|samp|script|section|select|small|source|span|"
    "strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|"
    "thead|time|title|tr|track|u|ul|var|video|wbr|math|xml|o:p"
)
_TAG = re.compile(rf"<(?:/?(?:{_ELEMENTS})(?:\s[^<>]*)?/?>|!--)", re.IGNORECASE)
# A line of a bulleted list: "-", "--", "*" or "•", then a space.
_BULLET = re.compile(r"^\s*(?:--?|\*|•)\s+(?P<text>\S.*)$")
# A line of a numbered list: "1." or "1)", then a space.
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(?P<text>\S.*)$")
# A bare web address; what ends a sentence after it is not part of it.
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\u2019\u201d"


def has_html_tags(text: str) -> bool:
    """True when ``text`` holds at least one tag of an HTML element, or a comment."""
    return bool(_TAG.search(text or ""))


def _linked_url(url: str) -> tuple[str, str]:
    """``(link markup, trailing text)`` for a URL found in running text."""
    tail = ""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        tail = url[-1] + tail
        url = url[:-1]
    href = url if "://" in url else f"https://{url}"
    return f'<a href="{html.escape(href)}">{html.escape(url)}</a>', tail


def _inline(text: str) -> str:
    """One line of text, escaped, its bare URLs made links."""
    out, position = [], 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        link, tail = _linked_url(match.group())
        out.append(link + html.escape(tail, quote=False))
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return " ".join("".join(out).split())


# How far a line is indented: a tab counts as 4 columns, as most editors show it.
_TAB_WIDTH = 4
# A list item indented by at least this many columns more than the item above it is an
# item of a list nested in that item ("- fruit" then "  - apples").
_NEST_INDENT = 2


class _List:
    """A list being built: its tag, how far its items are indented, and its items, each
    ``[item HTML, nested lists]``."""

    def __init__(self, tag: str, indent: int):
        self.tag, self.indent, self.items = tag, indent, []

    def html(self) -> str:
        items = "".join(
            f"<li>{text}{''.join(nested.html() for nested in lists)}</li>"
            for text, lists in self.items
        )
        return f"<{self.tag}>{items}</{self.tag}>"


def _list_line(line: str) -> tuple[str, int, str] | None:
    """``(tag, indent in columns, item HTML)`` for a line of a list, else None."""
    for tag, pattern in (("ul", _BULLET), ("ol", _NUMBERED)):
        if match := pattern.match(line):
            columns = line.expandtabs(_TAB_WIDTH)
            return tag, len(columns) - len(columns.lstrip()), _inline(match.group("text"))
    return None


def plain_text_to_html(text: str) -> str:
    """HTML for plain ``text`` as an editor would expect it to look.

    - every non-blank line is a paragraph (blank lines and single newlines alike
      separate paragraphs: text pasted from e-mails and chat apps uses either);
    - lines starting "- ", "-- ", "* " or "• " are items of a bulleted list, "1. " or
      "1) " of a numbered one; consecutive items (blank lines between them allowed)
      form one list, a paragraph or an item of the other kind at the same depth ends it;
    - an item indented by 2 or more columns (a tab is 4) more than the item above it
      starts a list nested in that item, of its own kind; a less indented item goes back
      to the list of that depth (as Markdown and e-mail clients nest lists);
    - bare ``http(s)://`` and ``www.`` addresses become links (``www.`` as https).

    ``static/admin/prose-paste.js`` (``plainTextToHtml``) applies the same rules in the
    editor. The result is escaped but not sanitized: pass it through
    ``releases.sanitize.sanitize_html`` as any other input. ``""`` for blank input.
    """
    blocks: list[str] = []
    # The open lists, outermost first; each one after the first is nested in the last
    # item of the one before it.
    open_lists: list[_List] = []

    def close_lists():
        if open_lists:
            blocks.append(open_lists[0].html())
        open_lists.clear()

    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        item = _list_line(line)
        if item is None:
            close_lists()
            blocks.append(f"<p>{_inline(line)}</p>")
            continue
        tag, indent, item_html = item
        # Back out of the nested lists this item is less indented than, unless it is
        # still nested in their parent item ("    - b" then "  - c": c is b's sibling).
        while (
            len(open_lists) > 1
            and indent < open_lists[-1].indent
            and indent < open_lists[-2].indent + _NEST_INDENT
        ):
            open_lists.pop()
        if open_lists and indent >= open_lists[-1].indent + _NEST_INDENT:
            nested = _List(tag, indent)
            open_lists[-1].items[-1][1].append(nested)
            open_lists.append(nested)
        elif open_lists and tag != open_lists[-1].tag:
            # An item of the other kind at the same depth starts a list of its own: at
            # the top, after the one it ends; deeper, in the same parent item.
            if len(open_lists) == 1:
                close_lists()
                open_lists.append(_List(tag, indent))
            else:
                sibling = _List(tag, open_lists[-1].indent)
                open_lists[-2].items[-1][1].append(sibling)
                open_lists[-1] = sibling
        elif not open_lists:
            open_lists.append(_List(tag, indent))
        open_lists[-1].items.append([item_html, []])
    close_lists()
    return "".join(blocks)


# An <img> as nh3 writes it: attribute values always double-quoted, '"' escaped inside.
_IMG = re.compile(r'<img\b(?:\s+[^\s=>/]+(?:="[^"]*")?)*\s*/?>', re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"', re.IGNORECASE)
_ALT = re.compile(r'\salt="([^"]*)"', re.IGNORECASE)
# What may stay beside a removed image in the element that held it without the
# element meaning anything once the image is gone: blanks and line breaks in a
# paragraph; the caption of a figure, which described the image.
_BLANK = r"(?:\s|&nbsp;|<br\s*/?>)*"
_CAPTION = r"(?:<figcaption\b[^>]*>(?:(?!</figcaption>).)*</figcaption>)?"


@dataclass(frozen=True)
class RemovedImage:
    """An ``<img>`` taken out of a body: its ``src`` and ``alt`` as the editor wrote
    them (entities decoded)."""

    src: str
    alt: str

    def __str__(self) -> str:
        return f"“{self.alt}” ({self.src})" if self.alt else self.src or "an image without address"


def remove_foreign_images(
    sanitized_html: str, own_urls: Collection[str]
) -> tuple[str, list[RemovedImage]]:
    """``(html, removed)``: ``sanitized_html`` without the ``<img>`` whose ``src`` is
    not in ``own_urls``, and those images in the order they appeared.

    Images in a release body come from the release's own uploads (issue 9), picked in
    the editor: an address typed or pasted (another site's image, a tracking pixel) is
    removed. A paragraph or a figure left with nothing but blanks (or the figure's
    caption) goes with its image, so no empty ``<p></p>`` stays in the page. Expects
    the output of ``releases.sanitize.sanitize_html``, whose quoting the patterns rely
    on; URLs compare exactly, after HTML entities are decoded.
    """
    removed: list[RemovedImage] = []
    # Stands where a removed image was until its element is judged; random, so no
    # text of the body can be mistaken for it.
    marker = f"removed-image-{secrets.token_hex(8)}"

    def keep(match: re.Match) -> str:
        src = _SRC.search(match.group())
        if src and html.unescape(src.group(1)) in own_urls:
            return match.group()
        alt = _ALT.search(match.group())
        removed.append(
            RemovedImage(
                html.unescape(src.group(1)) if src else "",
                html.unescape(alt.group(1)) if alt else "",
            )
        )
        return marker

    marked = _IMG.sub(keep, sanitized_html or "")
    if not removed:
        return marked, removed
    holders = (
        # A link around the image only: the image stays marked, for its paragraph.
        (rf"<a\b[^>]*>{_BLANK}({marker}){_BLANK}</a>", r"\1"),
        (rf"<p\b[^>]*>{_BLANK}(?:{marker}{_BLANK})+</p>", ""),
        (rf"<figure\b[^>]*>{_BLANK}(?:{marker}{_BLANK})+{_CAPTION}{_BLANK}</figure>", ""),
    )
    for holder, replacement in holders:
        marked = re.sub(holder, replacement, marked, flags=re.IGNORECASE | re.DOTALL)
    return marked.replace(marker, ""), removed


def keep_own_images(sanitized_html: str, own_urls: Collection[str]) -> str:
    """``sanitized_html`` without the ``<img>`` whose ``src`` is not in ``own_urls``
    (``remove_foreign_images``, without the list of what was removed)."""
    return remove_foreign_images(sanitized_html, own_urls)[0]


def image_sources(html_text: str) -> set[str]:
    """The ``src`` of every ``<img>`` in ``html_text`` (sanitized HTML), decoded."""
    return {
        html.unescape(src.group(1))
        for tag in _IMG.finditer(html_text or "")
        if (src := _SRC.search(tag.group()))
    }


# Adults read news copy silently at about 238 words a minute (Brysbaert 2019, a
# meta-analysis of 190 studies); a press release is denser (names, figures, quotes),
# so the estimate uses 220, as Medium's and most newsrooms' "min read" lines do.
WORDS_PER_MINUTE = 220


def _text_of(html_text: str) -> str:
    # Block ends and <br> separate words ("</p><p>" must not glue two words together).
    spaced = re.sub(r"<(?:/(?:p|h\d|li|td|th|blockquote)|br\s*/?)\s*>", " ", html_text or "")
    return html.unescape(re.sub(r"<[^>]*>", "", spaced))


def plain_text(html_text: str) -> str:
    """The text of ``html_text`` on one line: tags gone, entities decoded, blocks and
    line breaks separated by a space."""
    return " ".join(_text_of(html_text).split())


def word_count(html_text: str) -> int:
    """The number of words in ``html_text``: runs of text between spaces holding a letter
    or digit, as word processors count (a URL or "well-known" is one word, a lone dash
    none). Tags are not counted, entities are decoded."""
    return sum(1 for token in _text_of(html_text).split() if any(c.isalnum() for c in token))


def reading_time(words: int) -> int:
    """Whole minutes to read ``words`` at ``WORDS_PER_MINUTE``, at least 1 for any text."""
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0


def length_note(html_text: str) -> str:
    """``"412 words · about 2 min read"``; ``"No words yet"`` for an empty text."""
    words = word_count(html_text)
    if not words:
        return "No words yet"
    return f"{words} word{'s' if words != 1 else ''} · about {reading_time(words)} min read"
