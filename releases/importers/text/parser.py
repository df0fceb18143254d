"""The parser: find the blocks, then read each one (see the package docstring)."""

from __future__ import annotations

import hashlib
import re

from releases.importers import ReleaseImportError
from releases.importers.text.blocks import (
    _EMBARGO_LINE,
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
    Heading,
    Lines,
    ParsedContact,
    ParsedRelease,
    Table,
)

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
    blocks = _blocks(text)
    if not blocks:
        raise ReleaseImportError("the file is empty", path=path, line=1)

    warnings: list[str] = []
    blocks = _drop_view_in_browser(blocks, warnings)
    blocks, boundaries, embargoes = _drop_artefacts(blocks)
    parsed = ParsedRelease(headline="", warnings=warnings, checksum=_checksum(text))
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
    # A lone short line is the subheadline only when a body follows it.
    if not subheadline and len(body_blocks) > 1 and _is_subheadline(body_blocks[0]):
        subheadline = body_blocks.pop(0).lines[0]

    parsed.headline, parsed.subheadline = headline, subheadline
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
    _link_contacts(parsed)
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
        if letterhead and len(blocks) > 1:
            letterheads.append(letterhead["name"] or letterhead["named"])
            _drop_first_line(blocks)
        elif _is_letterhead(first, text) and _letterhead_followed(blocks):
            letterheads.append((first.isupper() and _spelled_in(first, text)) or first)
            warnings.append(f"line {block.line}: “{first}” read as the issuer's letterhead")
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
