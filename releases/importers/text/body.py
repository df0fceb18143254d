"""The body: paragraphs, lists, and the trailing author bio."""

from __future__ import annotations

import re
from itertools import groupby

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from releases.importers.text.organizations import _reads_like_organization
from releases.importers.text.parsed import (
    AUTHOR_BIO_MAX,
    MARKDOWN_EM,
    MARKDOWN_LINK,
    MARKDOWN_STRONG,
    Heading,
    Lines,
    Table,
)

# Rule *lists*: items start "- ", "-- ", "* ", "• ", "· ", "▪ ", "o " is left out (a word).
_BULLET = re.compile(r"^(?:--?|[•*–·▪◦]|\d{1,2}[.)])\s+\S")
_BULLET_MARK = re.compile(r"^(?:--?|[•*–·▪◦]|\d{1,2}[.)])\s+")
_NUMBERED = re.compile(r"^\d")
_BR = SafeString("<br>")


_AUTHOR = re.compile(
    r"^(?P<name>[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3})\s+is\s+(?:a|an|the)\s+\S"
)
# Rule *headings*: a short line, no final punctuation, no comma (a dateline, a name and
# title) and no year (a date line).
_HEADING = re.compile(r"^[A-Z][^,.:;!?…]{1,60}$")
_HEADING_WORDS_MAX = 8
# Small words a title-case heading keeps in lower case: "Notes to Editors".
_HEADING_JOINERS = frozenset(
    {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
)


def _is_heading(line: str) -> bool:
    """Rule *headings*: "Background", "Next steps", "QUICK FACTS", "For More Information".

    Title case, all capitals, or a few words in sentence case ("Next steps"); a line
    of its own in the body, followed by a paragraph or a list (the parser checks that).
    """
    if not _HEADING.match(line) or re.search(r"\d{4}|[\"”’)]$", line):
        return False
    words = line.split()
    if len(words) > _HEADING_WORDS_MAX:
        return False
    lower = [w for w in words[1:] if w[:1].islower() and w.lower() not in _HEADING_JOINERS]
    return line.isupper() or not lower or len(words) <= 4


_LINK_URL = re.compile(r"^(?:https?://|mailto:)[^\s\"'<>]+$", re.IGNORECASE)


def _inline(text: str, markdown: bool) -> str:
    """Rule *Markdown*: ``text`` escaped, its inline markup as HTML when the release is
    written in Markdown (**bold** → ``<strong>``, _em_ or *em* → ``<em>``, [text](url)
    → a link, http(s) and mailto only; any other stays text). Rule *related links*: a
    list item that is only a URL is a link to it. The writer sanitizes the body again."""
    if _LINK_URL.match(text):
        return format_html('<a href="{}">{}</a>', text, text)
    if not markdown:
        return text
    html = str(escape(text))

    def link(match: re.Match) -> str:
        url = match["url"]
        return f'<a href="{url}">{match["text"]}</a>' if _LINK_URL.match(url) else match[0]

    html = MARKDOWN_LINK.sub(link, html)
    html = MARKDOWN_STRONG.sub(lambda m: f"<strong>{m['text'] or m['text2']}</strong>", html)
    html = MARKDOWN_EM.sub(lambda m: f"<em>{m['text'] or m['text2']}</em>", html)
    return SafeString(html)  # built from escaped text: only the tags above are markup


def _body_html(paragraphs: list[str], markdown: bool = False) -> str:
    """Paragraphs as ``<p>``, headings as ``<h2>``, runs of bullet lines as ``<ul>``
    (numbered: ``<ol>``); inline Markdown read when ``markdown``."""
    html = []
    for paragraph in paragraphs:
        if isinstance(paragraph, Heading):
            html.append(format_html("<h2>{}</h2>", paragraph))
            continue
        if isinstance(paragraph, Lines):
            lines = format_html_join(
                _BR, "{}", ((_inline(x, markdown),) for x in paragraph.split("\n"))
            )
            html.append(format_html("<p>{}</p>", lines))
            continue
        if isinstance(paragraph, Table):
            html.append(_table_html(paragraph))
            continue
        for bulleted, lines in groupby(paragraph.split("\n"), key=lambda x: bool(_BULLET.match(x))):
            lines = list(lines)
            if not bulleted or len(lines) == 1:  # one numbered note is a paragraph
                html.extend(format_html("<p>{}</p>", _inline(line, markdown)) for line in lines)
                continue
            tag = "ol" if _NUMBERED.match(lines[0]) else "ul"
            items = ((_inline(_BULLET_MARK.sub("", line), markdown),) for line in lines)
            html.append(
                format_html(f"<{tag}>{{}}</{tag}>", format_html_join("", "<li>{}</li>", items))
            )
    return "\n".join(html)


def _table_html(table: Table) -> str:
    """Rule *tables*: one ``<tr>`` a row; the first row is the header (``<th>``) when it
    holds no figure and the others do ("Year  Visitors" over "2024  12,000")."""
    rows = [row.split("\t") for row in table.split("\n")]
    has_figure = [any(re.search(r"\d", cell) for cell in row) for row in rows]
    header = not has_figure[0] and any(has_figure[1:])

    def row_html(cells: list[str], tag: str) -> str:
        return format_html(
            "<tr>{}</tr>", format_html_join("", f"<{tag}>{{}}</{tag}>", ((c,) for c in cells))
        )

    head = format_html("<thead>{}</thead>", row_html(rows[0], "th")) if header else ""
    body = format_html_join("", "{}", ((row_html(row, "td"),) for row in rows[header:]))
    return format_html("<table>{}<tbody>{}</tbody></table>", head, body)


# "FoodShare North is a registered charity …": what an organization is, not a person.
_ORGANIZATION_PREDICATE = re.compile(
    r"\s+is\s+(?:a|an|the)\s+(?:(?!(?:at|for|with|of|in|on|who)\b)[\w'’-]+\s+){0,3}?"
    r"(?:charity|company|nonprofit|non-profit|not-for-profit|organi[sz]ation|firm|provider"
    r"|agency|body|group|association|foundation|network|institution|business|manufacturer"
    r"|developer|operator|union|trust|society|coalition|alliance|council|university|college"
    r"|school|hospital|institute|department|authority|museum|library|campaign|movement"
    r"|cooperative|co-operative|social enterprise|charitable|club|choir|orchestra|party"
    r"|partnership|start-?up|retailer|supplier)\b",
    re.IGNORECASE,
)


def _author_paragraph(
    paragraphs: list[tuple[int, str]], boundaries: list[int], organizations=()
) -> int | None:
    """Index of the trailing paragraph about the writer, if there is one.

    Trailing means the last paragraph, or the last before an end mark or the notes to
    editors; never the first paragraph. The writer is a person: not an organization of
    ``organizations`` (``ParsedOrganization``), nor a name said to be a charity, a
    company, an agency… ("FoodShare North is a registered charity").
    """
    names = {
        name.lower()
        for organization in organizations
        for name in (organization.name, organization.short_name)
        if name
    }
    candidates = {len(paragraphs) - 1}
    for boundary in boundaries:
        before = [index for index, (line, _) in enumerate(paragraphs) if line < boundary]
        if before:
            candidates.add(before[-1])
    for index in sorted(candidates, reverse=True):
        text = paragraphs[index][1]
        match = _AUTHOR.match(text)
        if (
            index > 0
            and match
            and len(text) <= AUTHOR_BIO_MAX
            and not _reads_like_organization(match["name"])
            and match["name"].lower() not in names
            and not _ORGANIZATION_PREDICATE.match(text, match.end("name"))
            and match["name"].split()[0].lower() not in {"the", "this", "it", "our"}
        ):
            return index
    return None


# Rule *language*: words that are frequent in one language and rare in the others.
_STOP_WORDS = {
    "en": "the and is are of to with that this for from will has have was which by",
    "de": "der die das und ist sind nicht mit für von zu zum zur den im des sich auf ein eine"
    " dem wird auch bei",
    "fr": "le les et est sont des du une un pour dans que qui sur au aux avec ce cette sera",
    "es": "el los las y es son del que en una por con para se al como su sus será",
    "it": "il lo gli e è sono di che per con della delle degli una nel nella alla sarà",
    "nl": "de het een en is zijn van dat op voor met niet te bij wordt ook naar",
}
_LANGUAGE_WORDS = {code: frozenset(words.split()) for code, words in _STOP_WORDS.items()}
_LANGUAGE_MIN_WORDS = 4


def _language(text: str) -> str:
    """Rule *language*: the language (ISO 639-1: en, de, fr, es, it, nl) whose common
    words ("der", "und"; "le", "et"; "el", "y"…) the text uses most, when it uses at
    least four and clearly more (1.5 times) than those of any other; else "" (the
    writer then takes the site's ``LANGUAGE_CODE``). Words shared by two languages
    ("de", "la") count for both, so only the distinctive ones decide."""
    words = re.findall(r"[^\W\d_]+", text.lower())[:2000]
    counts = {
        code: sum(word in vocabulary for word in words)
        for code, vocabulary in _LANGUAGE_WORDS.items()
    }
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    (best, most), (_, second) = ranked[0], ranked[1]
    if most >= _LANGUAGE_MIN_WORDS and most >= 1.5 * second:
        return best
    return ""
