"""The parser: find the blocks, then read each one (see the package docstring)."""

from __future__ import annotations

import hashlib
import re

from releases.importers import ReleaseImportError
from releases.importers.text.blocks import (
    _EMBARGO_LINE,
    _END_MARK,
    _FOOTER_LINE,
    _LETTERHEAD,
    _NOTES_HEADING,
    TABLE_CELL,
    VIEW_IN_BROWSER,
    _Block,
    _blocks,
    _drop_artefacts,
    _is_release_at_line,
)
from releases.importers.text.body import (
    _AUTHOR,
    _BULLET,
    _BULLET_MARK,
    _ORGANIZATION_PREDICATE,
    _author_paragraph,
    _is_heading,
    _language,
)
from releases.importers.text.contacts import (
    _CONTACT_HEADING,
    _contact_lines,
    _desk_name,
    _is_contact_block,
    _take_contacts,
    _take_inline_contacts,
)
from releases.importers.text.dateline import (
    _DATE,
    _DATELINE_ALONE,
    _date_alone,
    _date_in,
    _embargo,
    _is_place,
    _parse_date,
    _take_dateline,
)
from releases.importers.text.headline import (
    _MAIL_HEADER,
    _UNIT_LINE,
    _headline,
    _is_letterhead,
    _is_mail_headers,
    _is_subheadline,
    _reads_as_headline,
    _spelled_in,
    _subject,
)
from releases.importers.text.organizations import (
    _about,
    _boilerplate_of,
    _link_contacts,
    _organizations,
)
from releases.importers.text.parsed import (
    HEADLINE_MAX,
    MARKDOWN_HEADING,
    MARKDOWN_LINK,
    MARKDOWN_STRONG,
    Heading,
    Lines,
    ParsedContact,
    ParsedRelease,
    Table,
    plain,
)
from releases.importers.text.sniff import refuse_other_formats

FOOTER_QUOTE = 60
# The end of ``_embargo``'s warning for a line without a time: a release line's date alone.
_NO_TIME = "has no time; set the embargo by hand"
# "WHAT: Opening of the library", "WHEN: 10 a.m." in an advisory: a label, then text.
_LABELLED_LINE = re.compile(r"^[A-Z][A-Za-z/&'’ ]{0,24}:\s+\S")
# "SOURCE Brightwater Analytics, Inc.", a wire's (PR Newswire's) last line.
_SOURCE_LINE = re.compile(r"^SOURCE:?\s+(?P<name>[A-Z][^.!?]*(?:\.[^\s.!?][^.!?]*)*\.?)$")
_METADATA = re.compile(
    r"^(?:From:\s+(?P<issuers>[A-Z].{2,200})|(?:Published|Updated|Issued|Date):?\s+.*\d{4})$"
)


def parse_text_release(text: str, *, source: str = "", region: str | None = None) -> ParsedRelease:
    """Read a plain-text release (see the package docstring for the rules).

    ``source`` names the text in errors; ``region`` (ISO 3166, e.g. "GB") reads phone
    numbers written without a country code. Raises ``ReleaseImportError``.
    """
    path = source or None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ReleaseImportError("not a text file (it contains NUL bytes)", path=path, line=line)
    refuse_other_formats(text, path=path)
    blocks = _blocks(text)
    if not blocks:
        raise ReleaseImportError("the file is empty", path=path, line=1)

    warnings: list[str] = []
    blocks = _drop_view_in_browser(blocks, warnings)
    blocks = _drop_page_leftovers(blocks, text, warnings, dates := [])
    markdown = _is_markdown(blocks)
    if markdown:
        blocks = _markdown_blocks(blocks)
    blocks = [_related_links(block) for block in blocks]
    blocks, boundaries, embargoes = _drop_artefacts(blocks)
    parsed = ParsedRelease(
        headline="", warnings=warnings, checksum=_checksum(text), markdown=markdown
    )
    for line, release_line in embargoes:
        if _EMBARGO_LINE.match(release_line) and parsed.embargoed_until is None:
            parsed.embargoed_until, warning = _embargo(line, release_line)
            warnings.append(warning)
        elif _is_release_at_line(release_line):
            # Rule *release time*: its date is the release's; a time makes it an embargo.
            parsed.dated = parsed.dated or _date_in(release_line)
            instant, warning = _embargo(line, release_line)
            if parsed.embargoed_until is None and not warning.endswith(_NO_TIME):
                parsed.embargoed_until = instant
                warnings.append(warning)
        elif dated := _date_in(release_line):
            parsed.dated = parsed.dated or dated
    parsed.dated = parsed.dated or next(iter(dates), None)
    letterheads: list[str] = []
    source = _take_source_line(blocks)
    top_contacts = _front_matter(blocks, parsed, region, letterheads, text)
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
    if _byline(subheadline):
        _take_byline(parsed, subheadline, first.line + 1)
        subheadline = ""
    if not parsed.author_name and body_blocks and _byline(" ".join(body_blocks[0].lines)):
        byline = body_blocks.pop(0)
        _take_byline(parsed, " ".join(byline.lines), byline.line)
    # A lone short line is the subheadline only when a body follows it.
    if not subheadline and len(body_blocks) > 1 and _is_subheadline(body_blocks[0]):
        subheadline = body_blocks.pop(0).lines[0]
    if not parsed.author_name and body_blocks and _byline(" ".join(body_blocks[0].lines)):
        byline = body_blocks.pop(0)
        _take_byline(parsed, " ".join(byline.lines), byline.line)

    # Rule *Markdown*: the headline and dek without their markup ("# …", "**…**", "_…_").
    parsed.headline, parsed.subheadline = _unwrapped(headline), _unwrapped(subheadline)
    parsed.contacts.extend(top_contacts)
    # (line, text) of everything that may name an organization, in document order.
    mentions: list[tuple[int, str]] = [(first.line, headline), (first.line, subheadline)]
    paragraphs: list[tuple[int, str]] = []
    abouts: list[tuple[int, str, str]] = []
    in_contacts = False
    pending_about: tuple[int, str] | None = None
    in_about = False
    for block in body_blocks:
        if pending_about:
            abouts.append((*pending_about, block.text.replace("\n", " ")))
            pending_about = None
            continue
        about = _about(block.lines[0])
        if about:
            boilerplate = " ".join(filter(None, [about["text"], *block.lines[1:]]))
            if boilerplate:
                abouts.append((block.line, about["name"], boilerplate))
            else:
                pending_about = (block.line, about["name"])
            in_contacts, in_about = False, True
            continue
        if block.in_notes and any(_BULLET.match(x) for x in block.lines):
            # Rule *notes about an organization*: "2. The Coastal Trust is a registered
            # charity (No. 1234567)." among numbered notes is that one's boilerplate.
            lines = []
            for text_ in block.lines:
                note = _BULLET_MARK.sub("", text_) if _BULLET.match(text_) else ""
                if note and (named := _self_described(note)):
                    abouts.append((block.line, named, note))
                else:
                    lines.append(text_)
            if not lines:
                continue
            block = _Block(block.line, lines, block.after_end, block.in_notes)
        if block.after_end or block.in_notes or in_about:
            # Rule *unlabelled boilerplate*: after the end mark, an "About" or a "Notes
            # to editors" heading, a paragraph led by the name of an organization the
            # release names is its.
            known = _organizations(mentions, abouts, parsed.contacts, letterheads)
            if named := _boilerplate_of(block.text.replace("\n", " "), known):
                abouts.append((block.line, named, block.text.replace("\n", " ")))
                continue
            if named := _self_described(block.text.replace("\n", " ")):
                abouts.append((block.line, named, block.text.replace("\n", " ")))
                continue
        in_about = False
        if len(paragraphs) <= 1 and _metadata(block, parsed, letterheads):
            continue
        lines, inline = _take_inline_contacts(block.lines, block.line, region, warnings)
        block = _Block(block.line, lines, block.after_end, block.in_notes)
        kept, found, in_contacts = _take_contacts(block, in_contacts, region, warnings)
        found = inline + found
        if not found and block.after_end and _is_contact_block(block):
            found, kept = _contact_lines(block.lines, block.line, region, warnings), []
        if found:
            parsed.contacts.extend(found)
            mentions.extend((block.line, f"{c.role}, {c.organization}") for c in found)
        if kept and block.after_end and not block.in_notes:
            _drop_footer(block.line, kept, warnings)
        elif kept:
            if heading := _heading(kept):
                paragraphs.append((block.line, heading))
                kept = kept[1:]
            for paragraph in _grouped(block.line, kept):
                paragraphs.append((block.line, paragraph))
                mentions.append((block.line, paragraph))

    paragraphs = _headings_followed(_without_sign_offs(paragraphs, warnings))
    for line, paragraph in paragraphs:
        if isinstance(paragraph, str) and _PHOTO_CAPTION.match(paragraph):
            warnings.append(
                f"line {line}: “{paragraph[:FOOTER_QUOTE]}…” is a photo caption: kept as a "
                "paragraph; attach the photo and move the caption to it"
            )
    if not paragraphs:
        raise ReleaseImportError(
            "a headline but no body: no paragraph follows it", path=path, line=first.line
        )
    paragraphs = _take_dateline(parsed, paragraphs)
    known = _organizations(mentions, abouts, parsed.contacts, letterheads)
    author_at = _author_paragraph(paragraphs, boundaries, known)
    if author_at is not None:
        line, bio = paragraphs.pop(author_at)
        parsed.author_name, parsed.author_bio = _AUTHOR.match(bio)["name"], bio
        mentions.remove((line, bio))
    parsed.paragraphs = [text_ for _, text_ in paragraphs]
    if source and not letterheads:
        letterheads.append(source)  # the wire's "SOURCE X" names the issuer
    parsed.organizations = _organizations(mentions, abouts, parsed.contacts, letterheads)
    if letterheads:
        _merge_into_issuer(parsed)
    if markdown:
        for organization in parsed.organizations:
            organization.boilerplate = plain(organization.boilerplate)
    _link_contacts(parsed, letterheads)
    if parsed.dated is None and parsed.embargoed_until is not None:
        # Rule *embargo*: the day the embargo lifts, as written, is the release's date.
        parsed.dated = parsed.embargoed_until.date()
    parsed.language = _language(
        "\n".join([parsed.headline, parsed.subheadline, *map(str, parsed.paragraphs)])
    )
    return parsed


# "Clearwater Alliance is a nonpartisan nonprofit that …": a capitalised name.
_NAME_LEADING = re.compile(
    r"^(?:The\s+)?(?P<name>[A-Z][\w&'’.\-]*(?:\s+(?:[A-Z][\w&'’.\-]*|of|for|and|the|de)){0,7})"
)


def _self_described(text: str) -> str:
    """Rule *unlabelled boilerplate*: after the end mark or under "Notes to editors", a
    paragraph that says what a named organization is ("Clearwater Alliance is a
    nonpartisan nonprofit …", "FoodShare North is a registered charity …") is that
    organization's boilerplate, even when the release names it nowhere else."""
    leading = _NAME_LEADING.match(text)
    if not leading or not re.search(r"[.!]$", text):
        return ""
    if not _ORGANIZATION_PREDICATE.match(text, leading.end("name")):
        return ""
    return leading["name"]


def _merge_into_issuer(parsed: ParsedRelease) -> None:
    """Rule *letterhead*: the issuer its letterhead names absorbs the organizations that
    are a part of its name: "The U.S. Department of Example Affairs (DEA)" read as
    "Department of Example Affairs" gives the issuer its acronym; a contact's
    "University Communications" read as "University" is the University of Westbrook."""
    issuer, *others = parsed.organizations
    words = set(issuer.name.lower().split())
    kept = [issuer]
    for organization in others:
        part = organization.name.lower()
        if set(part.split()) <= words and not (organization.boilerplate and issuer.boilerplate):
            issuer.short_name = issuer.short_name or organization.short_name
            issuer.boilerplate = issuer.boilerplate or organization.boilerplate
            for contact in parsed.contacts:
                if contact.organization.lower() == part:
                    contact.organization = issuer.name
            continue
        kept.append(organization)
    parsed.organizations = kept


def _checksum(text: str) -> str:
    """Rule *sent again*: the text's SHA-256, whatever its line ends or byte-order mark,
    so the same release saved by another program is the same text."""
    normal = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _front_matter(
    blocks: list[_Block], parsed: ParsedRelease, region, letterheads: list[str], text: str
) -> list[ParsedContact]:
    """Rule *headline*: the blocks above the headline are read and removed from ``blocks``.

    Above the headline stand, in any order: a date alone ("March 3, 2025": the release's
    date), a dateline alone ("WASHINGTON, March 3, 2025"), contact blocks, labelled
    ("Contact:", "Media contact:") or not (a name, a title or office, a phone, an
    e-mail), the issuer's letterhead ("European Commission - Press release", "Illinois
    Department of Example (IDE)": the issuer). Release lines, labels ("MEDIA ADVISORY")
    and references ("RELEASE: 25-01") were dropped as artefacts. The first line left is
    the headline, kept as written (all capitals too). Returns the contacts found.

    Rule *letterhead*: an organization's name on a line of its own ("Riverbend Borough
    Council", see ``headline._is_letterhead``) followed by more front matter or a
    headline is the issuer, spelled as written (a name in capitals as the text spells
    it elsewhere); the unit under it ("Office of Public Affairs", "Press Office") is
    dropped. Rule *mail headers*: a forwarded e-mail's "From:⏎Sent:⏎Subject:" block is
    dropped; "Sent:" or "Date:" gives the date, "Subject: PRESS RELEASE: X" the headline
    X when no line below reads as one.
    """
    contacts: list[ParsedContact] = []
    warnings = parsed.warnings
    subject: tuple[int, str] | None = None
    while blocks:
        block = blocks[0]
        first = block.lines[0]
        dated = _date_alone(first)
        alone = _DATELINE_ALONE.match(first)
        heading = _CONTACT_HEADING.match(first)
        letterhead = _LETTERHEAD.match(first)
        behalf = _ON_BEHALF.match(first)
        if behalf and len(blocks) > 1:
            letterheads.append(behalf["name"])
            warnings.append(
                f"line {block.line}: “{first}” read as a label: {behalf['name']} is the issuer"
            )
            _drop_first_line(blocks)
        elif _is_issuing_person(block.lines) and len(blocks) > 1:
            who = ", ".join(block.lines[:2])
            warnings.append(
                f"line {block.line}: “{who}” read as the issuing office holder, not the "
                "headline: add them as a contact or the author if needed"
            )
            blocks.pop(0)
        elif letterhead and len(blocks) > 1:
            letterheads.append(letterhead["name"] or letterhead["named"])
            _drop_first_line(blocks)
        elif _is_letterhead(first, text) and _letterhead_followed(blocks):
            letterheads.append((first.isupper() and _spelled_in(first, text)) or first)
            warnings.append(f"line {block.line}: “{first}” read as the issuer's letterhead")
            _drop_first_line(blocks)
            # "OFFICE OF THE GOVERNOR⏎STATE OF EXAMPLE": a second name line under it, in
            # its block, is the letterhead's too (no second organization).
            while (
                len(blocks) > 1
                and blocks[0].line == block.line + 1
                and _is_letterhead(blocks[0].lines[0], text)
            ):
                warnings.append(
                    f"line {blocks[0].line}: “{blocks[0].lines[0]}” read as part of the letterhead"
                )
                block = blocks[0]
                _drop_first_line(blocks)
            while len(blocks) > 1 and _UNIT_LINE.match(blocks[0].lines[0]):
                _drop_first_line(blocks)
        elif _is_mail_headers(block.lines):
            subject = (block.line, _subject(block.lines)) if _subject(block.lines) else subject
            for line in block.lines:
                header = _MAIL_HEADER.match(line)
                if (header["label"] or "").lower() in {"sent", "date"}:
                    parsed.dated = parsed.dated or _date_in(header["value"])
            warnings.append(
                f"line {block.line}: dropped the e-mail's headers above the release (“{first}” …)"
            )
            blocks.pop(0)
        elif dated:
            parsed.dated = parsed.dated or dated
            warnings.append(
                f"line {block.line}: “{first}” read as the release's date ({dated:%-d %B %Y})"
            )
            _drop_first_line(blocks)
        elif alone and _is_place(alone["place"], alone["date"]) and len(blocks) > 1:
            parsed.dateline = alone["place"]
            parsed.dated = _parse_date(alone["date"]) or parsed.dated
            _drop_first_line(blocks)
        elif heading and len(blocks) > 1:
            lines = [*filter(None, [heading["rest"] or heading["rest2"]]), *block.lines[1:]]
            blocks.pop(0)
            if not lines and blocks and _is_contact_block(blocks[0]):
                lines = blocks.pop(0).lines
            desk = _desk_name(first)
            contacts.extend(_contact_lines(lines, block.line, region, warnings, desk=desk))
        elif len(blocks) > 1 and _is_contact_block(block):
            found = _contact_lines(block.lines, block.line, region, warnings)
            if not found:
                break
            contacts.extend(found)
            blocks.pop(0)
            warnings.append(
                f"line {block.line}: the block above the headline read as a contact "
                f"({', '.join(c.name for c in found)})"
            )
        else:
            break
    if subject and (not blocks or not _reads_as_headline(blocks[0].lines[0])):
        line, headline = subject
        warnings.append(f"line {line}: the headline “{headline}” taken from the e-mail's subject")
        blocks.insert(0, _Block(line, [headline]))
    return contacts


# Rule *labels*: "Issued on behalf of Harbourside Aquarium by Bluefin PR" (a PR agency's
# label): the issuer is the one it is issued for.
_ON_BEHALF = re.compile(
    r"^(?:(?:issued|distributed|sent|released)\s+)?(?:by\s+.+?\s+)?on\s+behalf\s+of\s+"
    r"(?P<name>(?:the\s+)?[A-Z].+?)(?:\s+by\s+.+)?\.?$",
    re.IGNORECASE,
)
# "The Hon. Sarah Mitchell MP", "Senator Jane Roe", "Cllr John Doe": an office holder.
_OFFICE_HOLDER = re.compile(
    r"^(?:(?:the\s+)?(?:rt\.?\s+)?hon(?:ou?rable|\.)?|senator|sen\.|rep\.|representative|"
    r"cllr\.?|councillor|mayor|minister|premier|governor|secretary|dr\.?)\s+[A-Z][\w'’\-]+"
    r"(?:\s+[A-Z][\w'’.\-]+){0,3}"
    r"|^[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’.\-]+){1,3},?\s+(?:MP|MLA|MSP|MS|MEP|MPP|MHA|TD|MNA|AM)$",
    re.IGNORECASE,
)
# "Minister for Regional Transport", "Secretary of State for Example", "Member for Bathurst".
_OFFICE_TITLE = re.compile(
    r"^(?:(?:shadow|assistant|deputy|acting)\s+)?(?:minister|secretary|member|mayor|premier"
    r"|governor|senator|treasurer|attorney[- ]general|chancellor)\b.{0,100}$",
    re.IGNORECASE,
)


def _is_issuing_person(lines: list[str]) -> bool:
    """Rule *issuing office holder*: a block of a name with an office holder's title or
    post-nominal ("The Hon. Sarah Mitchell MP") over their office ("Minister for
    Regional Transport"), at the top: the release's issuer line, not the headline."""
    if not 1 <= len(lines) <= 3 or not _OFFICE_HOLDER.match(lines[0]):
        return False
    return all(_OFFICE_TITLE.match(line) for line in lines[1:]) and (
        len(lines) > 1 or bool(re.search(r"\b(?:MP|MLA|MSP|MEP|MPP|TD)$", lines[0]))
    )


def _letterhead_followed(blocks: list[_Block]) -> bool:
    """Rule *letterhead*: under the organization's line (and its unit) stands more front
    matter or a headline, and a body follows: the line is no short headline."""
    lines = [(0, text) for text in blocks[0].lines[1:]]
    lines += [(index, text) for index, block in enumerate(blocks[1:], 1) for text in block.lines]
    lines = [(index, text) for index, text in lines if not _UNIT_LINE.match(text)]
    if not lines:
        return False
    index, following = lines[0]
    more_blocks = any(i > index for i, _ in lines)
    return more_blocks and (
        _reads_as_headline(following)
        or bool(_date_alone(following) or _DATELINE_ALONE.match(following))
        or bool(_CONTACT_HEADING.match(following) or _MAIL_HEADER.match(following))
    )


def _take_source_line(blocks: list[_Block]) -> str:
    """Rule *wire source*: a wire release's last line, "SOURCE Brightwater Analytics,
    Inc.", names its issuer; it is removed from ``blocks`` and the name returned."""
    if not blocks:
        return ""
    last = blocks[-1]
    source = _SOURCE_LINE.match(last.lines[-1])
    if not source:
        return ""
    if len(last.lines) == 1:
        blocks.pop()
    else:
        blocks[-1] = _Block(last.line, last.lines[:-1], last.after_end, last.in_notes)
    return source["name"]


def _metadata(block: _Block, parsed: ParsedRelease, letterheads: list[str]) -> bool:
    """Rule *metadata*: the lines under the headline that a government page prints
    ("From: Department for Example and Home Office", "Published 6 March 2025") give the
    issuers and the date; they are not body. True when the block was only those."""
    if not all(_METADATA.match(text) or _date_alone(text) for text in block.lines):
        return False
    for text in block.lines:
        issuers = _METADATA.match(text)
        if issuers and issuers["issuers"]:
            letterheads.extend(re.split(r",\s*|\s+and\s+", issuers["issuers"]))
        parsed.dated = parsed.dated or _date_in(text)
    return True


def _drop_first_line(blocks: list[_Block]) -> None:
    block = blocks[0]
    if len(block.lines) == 1:
        blocks.pop(0)
    else:
        blocks[0] = _Block(block.line + 1, block.lines[1:], block.after_end, block.in_notes)


def _drop_footer(line: int, lines: list[str], warnings: list[str]) -> None:
    """Rule *end mark*: after "###", "-30-", "-end-" or "ENDS" only contacts, "About"
    boilerplates and notes to editors are read; the rest (mailing-list footers,
    unsubscribe notes, social links) is dropped, quoted in a warning. A mailing list's
    footer ("You are receiving this email because …", "Unsubscribe") is an end mark of
    its own and dropped too."""
    text = " ".join(lines)
    quote = text if len(text) <= FOOTER_QUOTE else f"{text[:FOOTER_QUOTE].rstrip()}…"
    where = "as a mailing-list footer" if _FOOTER_LINE.match(text) else "after the end mark"
    warnings.append(f"line {line}: dropped {where}: “{quote}”")


def _drop_view_in_browser(blocks: list[_Block], warnings: list[str]) -> list[_Block]:
    """Rule *mailing-list footers*: "View this email in your browser", wherever it
    stands (above the headline too), is dropped, quoted in a warning."""
    kept: list[_Block] = []
    for block in blocks:
        numbered = list(enumerate(block.lines, start=block.line))
        for number, text in numbered:
            if VIEW_IN_BROWSER.match(text):
                warnings.append(f"line {number}: dropped as a mailing-list line: “{text}”")
        numbered = [(n, text) for n, text in numbered if not VIEW_IN_BROWSER.match(text)]
        if numbered:
            kept.append(_Block(numbered[0][0], [text for _, text in numbered]))
    return kept


# Rule *page leftovers*: "Page 1 of 2", "- 2 -", "2/3" on a line of its own (a PDF's).
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|[-–—]\s*(?!30\s*[-–—])\d{1,3}\s*[-–—]"
    r"|\d{1,3}\s*/\s*\d{1,3})$",
    re.IGNORECASE,
)
# Rule *web leftovers*: what a web page prints around a release pasted from it.
_BREADCRUMBS = re.compile(
    r"^(?:home|start|accueil|startseite|inicio)\s*(?:[>»›/|]\s*[^>»›|]{1,60}){1,6}$",
    re.IGNORECASE,
)
_POSTED = re.compile(
    rf"^(?:posted|published|last\s+updated|updated)(?:\s+on)?\s*:?\s*(?P<date>{_DATE})"
    r"(?:\s*(?:by|in|[|·•-])\s*.{1,80})?$",
    re.IGNORECASE,
)
_SOCIAL = frozenset(
    "share this on tweet twitter x facebook linkedin email e-mail whatsapp print"  # noqa: SIM905
    " pinterest reddit telegram bluesky threads mastodon copy link messenger".split()
)
_PAGE_CHROME = re.compile(
    r"^(?:back to top|top of page|skip to (?:main )?content|print this page|print|share"
    r"|share this(?: (?:page|article|story|post))?)\W*$",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^(?:related (?:posts|articles|stories|news|content|releases|press releases)|more news"
    r"|latest news|recent posts|you may also like|read more|more from the newsroom)\W*$",
    re.IGNORECASE,
)
_HYPHEN_BREAK = re.compile(r"[^\W\d_]{2}-$")


def _is_social_line(line: str) -> bool:
    words = re.sub(r"[:|·•,]", " ", line.lower()).split()
    return bool(words) and len(words) <= 12 and all(word in _SOCIAL for word in words)


def _drop_page_leftovers(
    blocks: list[_Block], text: str, warnings: list[str], dates: list
) -> list[_Block]:
    """Rules *page leftovers* and *web leftovers*: what a PDF or a web page adds to a
    release pasted from it is dropped, each with a warning.

    A PDF's page numbers ("Page 1 of 2", "- 2 -") and the running header after one (or
    after a form feed: "Greenvale Energy plc - Press Release"), and its repeats; words
    hyphenated across lines ("environ-⏎mental", a letter and a hyphen ending the line,
    a lower-case letter starting the next) are joined. A web page's breadcrumbs ("Home >
    News > Press releases"), "Posted on 14 March 2025 by …" (its date is the release's,
    in ``dates``), share buttons ("Share this:⏎Tweet⏎Facebook"), "Back to top", and
    "Related posts" with all that follows it."""
    raw = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headers: set[str] = set()
    kept: list[_Block] = []
    page_line = -1  # the line of the last page number
    for index, block in enumerate(blocks):
        lines: list[tuple[int, str]] = []
        for number, line in enumerate(block.lines, start=block.line):
            form_feed = raw[number - 1].lstrip(" \t").startswith("\f")
            posted = _POSTED.match(line)
            if _RELATED.match(line):
                rest = [x for b in blocks[index:] for x in b.lines]
                rest = rest[rest.index(line) :] if line in rest else rest
                quote = " / ".join(rest)
                quote = quote if len(quote) <= FOOTER_QUOTE else f"{quote[:FOOTER_QUOTE]}…"
                warnings.append(f"line {number}: dropped as web-page crumbs: “{quote}”")
                if lines:
                    kept.append(_Block(lines[0][0], [x for _, x in lines]))
                return kept
            if _PAGE_NUMBER.match(line):
                warnings.append(f"line {number}: dropped the page number “{line}”")
                page_line = number
                continue
            if line.lower() in headers or (
                (number == page_line + 1 or form_feed)
                and len(line) <= _LETTERHEAD_LINE_MAX
                and not _END_MARK.match(line)
                and not re.search(r"[.!?]$", line)
            ):
                if line.lower() not in headers:
                    warnings.append(f"line {number}: dropped the running header “{line}”")
                headers.add(line.lower())
                continue
            if _BREADCRUMBS.match(line):
                warnings.append(f"line {number}: dropped the web page's breadcrumbs “{line}”")
                continue
            if posted:
                dates.append(_parse_date(posted["date"]))
                warnings.append(f"line {number}: dropped the web page's “{line}” (its date taken)")
                continue
            if _PAGE_CHROME.match(line) or _is_social_line(line):
                warnings.append(f"line {number}: dropped the web page's “{line}”")
                continue
            lines.append((number, line))
        # Words hyphenated at the end of a line: "environ-⏎mental" → "environmental".
        for at in range(len(lines) - 1):
            (number, line), (next_number, following) = lines[at], lines[at + 1]
            if _HYPHEN_BREAK.search(line) and following[:1].islower():
                word, _, rest = following.partition(" ")
                lines[at] = (number, line[:-1] + word)
                lines[at + 1] = (next_number, rest)
        lines = [(number, line) for number, line in lines if line]
        if lines:
            kept.append(_Block(lines[0][0], [x for _, x in lines], block.after_end, block.in_notes))
    return kept


_LETTERHEAD_LINE_MAX = 100


# Rule *photo captions*: "Photo: Volunteers plant cordgrass … (Credit: …)".
_PHOTO_CAPTION = re.compile(r"^(?:photo|picture|image|pictured|caption)\s*(?:\d+\s*)?:\s+\S", re.I)
# Rule *byline*: "By Megan Foster, Tidewater Example Health System", "By Jane Roe".
_BYLINE = re.compile(
    r"^by\s+(?P<name>(?:(?:dr|prof)\.?\s+)?[A-Z][\w'’\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’\-]+){1,3})"
    r"(?:\s*[,|–—-]\s*(?P<organization>[A-Z][^,;:!?]{1,100}?))?\.?$",
    re.IGNORECASE,
)


def _byline(line: str) -> re.Match | None:
    byline = _BYLINE.match(line or "")
    return byline if byline and line[:2] in {"By", "BY"} else None


def _take_byline(parsed: ParsedRelease, line: str, number: int) -> None:
    """Rule *byline*: "By Megan Foster, Tidewater Example Health System" under the
    headline names the author (and the author's organization), not the subheadline."""
    byline = _byline(line)
    parsed.author_name = byline["name"]
    parsed.author_organization = (byline["organization"] or "").strip()
    parsed.warnings.append(f"line {number}: “{line}” read as the byline: the author")


_MARKDOWN_SIGN = re.compile(
    r"^#{1,6}\s+[^#\s]|\*\*\S.*\S\*\*|__\S.*\S__|^_\S.*\S_$|^\*[^*\s].*\S\*$", re.M
)


def _is_markdown(blocks: list[_Block]) -> bool:
    """Rule *Markdown*: a release with a "# Heading" line, **bold**, a whole line in
    _underscores_ or *stars*, or a [link](https://…) is written in Markdown."""
    text = "\n".join(line for block in blocks for line in block.lines)
    return bool(_MARKDOWN_SIGN.search(text) or MARKDOWN_LINK.search(text))


def _markdown_blocks(blocks: list[_Block]) -> list[_Block]:
    """Rule *Markdown*: "# Headline" and "## Heading" lose their marks (a "## Heading"
    then reads as a heading, "## About X" as a boilerplate's); a line that is all bold
    ("**Media contact:**") loses its stars."""
    kept = []
    for block in blocks:
        lines = []
        for line in block.lines:
            heading = MARKDOWN_HEADING.match(line)
            line = heading["text"] if heading else line
            whole = MARKDOWN_STRONG.fullmatch(line)
            lines.append((whole["text"] or whole["text2"]) if whole else line)
        kept.append(_Block(block.line, lines, block.after_end, block.in_notes))
    return kept


def _unwrapped(line: str) -> str:
    """A headline or dek without Markdown's marks around or in it."""
    return plain(line).strip()


_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


def _related_links(block: _Block) -> _Block:
    """Rule *related links*: "Related links:" (any line ending in a colon) over URLs one
    a line is a list of links: the URLs become list items."""
    urls = block.lines[1:]
    if len(urls) < 1 or not block.lines[0].endswith(":") or not all(map(_URL_LINE.match, urls)):
        return block
    return _Block(
        block.line, [block.lines[0], *(f"- {url}" for url in urls)], block.after_end, block.in_notes
    )


def _heading(lines: list[str]) -> Heading | None:
    """Rule *headings*: the first line of a block, when it reads as a heading ("Next
    steps", "Notes to editors") and is alone or clearly not the start of a wrapped
    paragraph: a list follows, or a sentence beside which it is short."""
    first = lines[0]
    if _NOTES_HEADING.match(first):
        return Heading(first.rstrip(" :.-–—"))
    if not _is_heading(first):
        return None
    if len(lines) == 1:
        return Heading(first)
    following = lines[1]
    if _BULLET.match(following) or (
        following[:1].isupper() and len(first) < 0.6 * max(len(x) for x in lines[1:])
    ):
        return Heading(first)
    return None


# A letter's closing on a line of its own: "Thanks,", "Best regards,", "Mit freundlichen
# Grüßen", "Cordialement,", "Saludos cordiales,", "Cordiali saluti,", "Met vriendelijke groet".
_SIGN_OFF = re.compile(
    r"(?i:(?:many\s+|with\s+)?thanks|thank\s+you|(?:best|kind|warm|warmest)(?:\s+regards)?"
    r"|regards|sincerely(?:\s+yours)?|yours\s+(?:sincerely|faithfully|truly)|cheers|best\s+wishes"
    r"|mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en|viele\s+gr(?:ü|ue)(?:ß|ss)e|cordialement"
    r"|bien\s+(?:à\s+vous|cordialement)|(?:un\s+)?saludo(?:s)?(?:\s+cordiales)?|atentamente"
    r"|cordiali\s+saluti|distinti\s+saluti|met\s+vriendelijke\s+groet(?:en)?)"
    r"\s*[,.!]?"
)


def _without_sign_offs(paragraphs: list[tuple[int, str]], warnings: list[str]) -> list:
    """Rule *sign-off*: a paragraph that is only a letter's closing ("Thanks,", "Best
    regards,", "Mit freundlichen Grüßen") is the e-mail's, not the release's: dropped,
    with a warning."""
    kept = []
    for line, text in paragraphs:
        if isinstance(text, str) and _SIGN_OFF.fullmatch(text.strip()):
            warnings.append(f"line {line}: dropped the sign-off “{text.strip()}”")
            continue
        kept.append((line, text))
    return kept


def _headings_followed(paragraphs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A heading heads something: one followed by nothing or by another heading is a
    plain paragraph ("Work starts in June" alone), an empty notes heading is dropped."""
    kept: list[tuple[int, str]] = []
    for index, (line, text) in enumerate(paragraphs):
        following = paragraphs[index + 1][1] if index + 1 < len(paragraphs) else None
        if isinstance(text, Heading) and (following is None or isinstance(following, Heading)):
            if _NOTES_HEADING.match(text):
                continue
            text = str(text)
        kept.append((line, text))
    return kept


def _grouped(line: int, lines: list[str]) -> list[str]:
    """A block's lines as paragraphs, keeping apart the lines that belong apart.

    Rule *tables*: rows written in columns (marked by ``blocks``) are a ``Table``; the
    lines above them are paragraphs. Rule *labelled lines*: an advisory's "WHAT: …⏎
    WHEN: …⏎WHERE: …" (two or more lines led by a label, the first one too; a line
    without a label continues the one above) are one ``Lines`` paragraph, one a line.
    """
    if not lines:
        return []
    rows = [index for index, text in enumerate(lines) if TABLE_CELL in text]
    if rows:
        table = Table("\n".join(lines[rows[0] :]))
        return [*_grouped(line, lines[: rows[0]]), table]
    if _LABELLED_LINE.match(lines[0]) and sum(bool(_LABELLED_LINE.match(x)) for x in lines) > 1:
        kept: list[str] = []
        for text in lines:
            if _LABELLED_LINE.match(text) or not kept:
                kept.append(text)
            else:
                kept[-1] = f"{kept[-1]} {text}"
        return [Lines("\n".join(kept))]
    return _Block(line, lines).paragraphs()
