"""The parser: find the blocks, then read each one (see the package docstring)."""

from __future__ import annotations

from releases.importers import ReleaseImportError
from releases.importers.text.blocks import _Block, _blocks, _drop_artefacts
from releases.importers.text.body import _AUTHOR, _author_paragraph
from releases.importers.text.contacts import _take_contacts
from releases.importers.text.dateline import _take_dateline
from releases.importers.text.headline import _headline, _is_subheadline
from releases.importers.text.organizations import _ABOUT, _link_contacts, _organizations
from releases.importers.text.parsed import HEADLINE_MAX, ParsedRelease


def parse_text_release(text: str, *, source: str = "", region: str | None = None) -> ParsedRelease:
    """Read a plain-text release (see the module docstring for the rules).

    ``source`` names the text in errors; ``region`` (ISO 3166, e.g. "GB") reads phone
    numbers written without a country code. Raises ``ReleaseImportError``.
    """
    path = source or None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ReleaseImportError("not a text file (it contains NUL bytes)", path=path, line=line)
    blocks = _blocks(text)
    if not blocks:
        raise ReleaseImportError("the file is empty", path=path, line=1)

    warnings: list[str] = []
    blocks, boundaries = _drop_artefacts(blocks, warnings)
    if not blocks:
        raise ReleaseImportError("no headline: the file holds no text", path=path, line=1)

    first = blocks[0]
    headline, subheadline, rest = _headline(first)
    if len(headline) > HEADLINE_MAX:
        raise ReleaseImportError(
            f"the first line ({len(headline)} characters) is too long for a headline "
            f"(at most {HEADLINE_MAX})",
            path=path,
            line=first.line,
        )
    rest_line = first.line + len(first.lines) - len(rest)
    body_blocks = ([_Block(rest_line, rest)] if rest else []) + blocks[1:]
    # A lone short line is the subheadline only when a body follows it.
    if not subheadline and len(body_blocks) > 1 and _is_subheadline(body_blocks[0]):
        subheadline = body_blocks.pop(0).lines[0]

    parsed = ParsedRelease(headline=headline, subheadline=subheadline, warnings=warnings)
    # (line, text) of everything that may name an organization, in document order.
    mentions: list[tuple[int, str]] = [(first.line, headline), (first.line, subheadline)]
    paragraphs: list[tuple[int, str]] = []
    abouts: list[tuple[int, str, str]] = []
    in_contacts = False
    pending_about: tuple[int, str] | None = None
    for block in body_blocks:
        if pending_about:
            abouts.append((*pending_about, block.text.replace("\n", " ")))
            pending_about = None
            continue
        about = _ABOUT.match(block.lines[0])
        if about and (about["text"] or not block.lines[0].endswith(".")):
            boilerplate = " ".join(filter(None, [about["text"], *block.lines[1:]]))
            if boilerplate:
                abouts.append((block.line, about["name"], boilerplate))
            else:
                pending_about = (block.line, about["name"])
            in_contacts = False
            continue
        kept, found, in_contacts = _take_contacts(block, in_contacts, region, warnings)
        if found:
            parsed.contacts.extend(found)
            mentions.extend((block.line, f"{c.role}, {c.organization}") for c in found)
        if kept:
            text_ = _Block(block.line, kept).text
            paragraphs.append((block.line, text_))
            mentions.append((block.line, text_))

    if not paragraphs:
        raise ReleaseImportError(
            "a headline but no body: no paragraph follows it", path=path, line=first.line
        )
    paragraphs = _take_dateline(parsed, paragraphs)
    author_at = _author_paragraph(paragraphs, boundaries)
    if author_at is not None:
        line, bio = paragraphs.pop(author_at)
        parsed.author_name, parsed.author_bio = _AUTHOR.match(bio)["name"], bio
        mentions.remove((line, bio))
    parsed.paragraphs = [text_ for _, text_ in paragraphs]
    parsed.organizations = _organizations(mentions, abouts)
    _link_contacts(parsed)
    return parsed
