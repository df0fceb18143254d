"""A release as plain-text wire copy, wrapped at 72 columns.

The body is sanitized HTML (see ``releases.sanitize``); it is turned into text by
walking it with the standard library's HTML parser, never by regular expressions,
so entities, nesting and attributes are read the way a browser reads them.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

WIDTH = 72
QUOTE_INDENT = "    "
LIST_INDENT = "  "

# Tags that end the running paragraph and start a new one.
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "ul", "ol",
    "figure", "figcaption", "table", "tr", "pre", "hr", "div",
}  # fmt: skip
# Void elements never get an end tag; their handling is all in the start tag.
VOID_TAGS = {"br", "hr", "img"}


@dataclass
class Block:
    """One paragraph of output: its text (``\\n`` where the HTML had ``<br>``)."""

    text: str
    indent: str = ""
    prefix: str = ""
    # Follows the previous block on the next line (list items), not after a blank one.
    tight: bool = False

    def render(self, width: int = WIDTH) -> str:
        hanging = self.indent + " " * len(self.prefix)
        lines = []
        for number, segment in enumerate(self.text.split("\n")):
            first = self.indent + self.prefix if number == 0 else hanging
            lines.append(wrap(segment, first_indent=first, indent=hanging, width=width))
        return "\n".join(lines)


def wrap(text: str, *, first_indent: str = "", indent: str = "", width: int = WIDTH) -> str:
    """Fill ``text`` to ``width``; URLs and hyphenated words are never split."""
    return (
        textwrap.fill(
            text,
            width=width,
            initial_indent=first_indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        or first_indent.rstrip()
    )


class _BodyToBlocks(HTMLParser):
    def __init__(self, base_url: str = ""):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.quote_depth = 0
        # Per open list: [kind, items so far]
        self.lists: list[list] = []
        self.pending_prefix = ""
        self.pending_tight = False
        # Per open <a>: (href, index in self.parts where its text starts)
        self.links: list[tuple[str, int]] = []
        self.in_pre = 0

    # -- building blocks -------------------------------------------------------------

    @property
    def indent(self) -> str:
        nested_lists = max(len(self.lists) - 1, 0)
        return QUOTE_INDENT * self.quote_depth + LIST_INDENT * nested_lists

    def flush(self) -> None:
        raw = "".join(self.parts)
        self.parts = []
        if self.in_pre:
            segments = [line.rstrip() for line in raw.strip("\n").split("\n")]
        else:
            # HTML's rule: any run of whitespace is one space; <br> survives as "\n".
            segments = [" ".join(segment.split()) for segment in raw.split("\n")]
        text = "\n".join(segments).strip("\n")
        if not text.strip():
            return
        self.blocks.append(Block(text, self.indent, self.pending_prefix, self.pending_tight))
        self.pending_prefix = ""
        self.pending_tight = False

    # -- parser callbacks --------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCK_TAGS:
            self.flush()
        if tag == "blockquote":
            self.quote_depth += 1
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            kind, count = self.lists[-1] if self.lists else ("ul", 0)
            if self.lists:
                self.lists[-1][1] = count + 1
            self.pending_prefix = f"{count + 1}. " if kind == "ol" else "- "
            self.pending_tight = count > 0 or len(self.lists) > 1
        elif tag == "pre":
            self.in_pre += 1
        elif tag == "hr":
            self.blocks.append(Block("* * *", self.indent))
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th") and self.parts:
            self.parts.append(" | ")
        elif tag == "img" and attributes.get("alt"):
            self.parts.append(f"[Image: {attributes['alt']}]")
        elif tag == "a":
            self.links.append((attributes.get("href") or "", len(self.parts)))

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, start = self.links.pop()
            self._write_link_target(href, "".join(self.parts[start:]))
        if tag in BLOCK_TAGS:
            self.flush()
        if tag == "blockquote":
            self.quote_depth = max(self.quote_depth - 1, 0)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.in_pre = max(self.in_pre - 1, 0)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_data(self, data):
        self.parts.append(data)

    def close(self):
        super().close()
        self.flush()

    def _write_link_target(self, href: str, text: str) -> None:
        if not href or href.startswith("#"):
            return
        url = urljoin(self.base_url, href) if self.base_url else href
        shown = url.removeprefix("mailto:")
        if " ".join(text.split()) not in (url, shown):
            self.parts.append(f" ({shown})")


def html_to_blocks(html: str, *, base_url: str = "") -> list[Block]:
    """The paragraphs of ``html``; relative links are made absolute against ``base_url``."""
    parser = _BodyToBlocks(base_url)
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def html_to_text(html: str, *, base_url: str = "", width: int = WIDTH) -> str:
    """``html`` as plain text: blank lines between paragraphs, ``- `` list items,
    indented quotes, links written as ``text (url)``."""
    return join_blocks(html_to_blocks(html, base_url=base_url), width=width)


def join_blocks(blocks: list[Block], *, width: int = WIDTH) -> str:
    out = []
    for block in blocks:
        if out:
            out.append("\n" if block.tight else "\n\n")
        out.append(block.render(width))
    return "".join(out)


def contact_lines(contact) -> list[str]:
    """A media contact as wire copy prints one: name, then role and organization, then
    how to reach them. Reads ``contact.organization``: select it with the contact."""
    lines = [contact.name]
    role_at = ", ".join(
        part for part in (contact.role, contact.organization and contact.organization.name) if part
    )
    if role_at:
        lines.append(role_at)
    if contact.phone:
        lines.append(f"Phone: {contact.phone_international}")
    if contact.email:
        lines.append(f"Email: {contact.email}")
    return lines


def release_to_text(release, *, release_url: str) -> str:
    """The whole release as plain text, in the order of a wire release.

    Expects ``release`` loaded with ``Release.objects.with_parts()`` and its
    corrections prefetched: no query then.
    """
    blocks = [Block(release.release_line), Block(release.headline)]
    if release.subheadline:
        blocks.append(Block(release.subheadline))

    body = html_to_blocks(release.body, base_url=release_url)
    dateline = release.formatted_dateline
    # Wire style: the dateline opens the first paragraph, unless that is a list or a quote.
    if body and not body[0].prefix and not body[0].indent:
        body[0].text = f"{dateline} {body[0].text}"
    else:
        body.insert(0, Block(dateline))
    blocks += body

    for organization in release.organizations.all():
        if organization.boilerplate:
            blocks.append(Block(f"About {organization.name}"))
            blocks += html_to_blocks(organization.boilerplate, base_url=release_url)
            if organization.website:
                blocks.append(Block(f"Website: {organization.website}", tight=True))

    blocks.append(Block("###"))

    contacts = list(release.contacts.all())
    if contacts:
        blocks.append(Block("Media contacts"))
        blocks += [Block("\n".join(contact_lines(contact))) for contact in contacts]

    author = release.author
    if author:
        blocks.append(Block("About the author"))
        blocks.append(Block(author.name, tight=True))
        blocks += html_to_blocks(author.bio, base_url=release_url)

    corrections = list(release.corrections.all())
    if corrections:
        blocks.append(Block("Corrections"))
        blocks += [Block(str(correction)) for correction in corrections]

    blocks.append(Block(f"Online: {release_url}"))
    return join_blocks(blocks) + "\n"
