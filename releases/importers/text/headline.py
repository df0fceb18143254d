"""The headline and the subheadline (dek)."""

from __future__ import annotations

import re

from releases.importers.text.blocks import _RELEASE_LINE, _Block
from releases.importers.text.body import _BULLET
from releases.importers.text.contacts import _CONTACT_HEADING, _has_contact_details
from releases.importers.text.dateline import (
    _DATELINE_ALONE,
    _date_alone,
    _dateline,
    _is_place,
    _parse_date,
)
from releases.importers.text.organizations import (
    _ABOUT,
    _NAME_JOINERS,
    _is_legal_form,
    _reads_like_organization,
)
from releases.importers.text.parsed import SHORT_LINE, SUBHEADLINE_MAX


def _headline(block: _Block) -> tuple[str, str, list[str]]:
    """Headline, subheadline and the lines left over from the first block."""
    lines = list(block.lines)
    headline = lines.pop(0)
    while lines and _continues_headline(headline, lines[0]):
        headline = f"{headline} {lines.pop(0)}"
    if (
        lines
        and len(lines[0]) <= SUBHEADLINE_MAX
        and not _dateline(lines[0])
        and not _is_dateline_alone(lines[0])  # "Washington, DC – March 27, 2025"
        and not _date_alone(lines[0])  # "Issued: 12 March 2025" is the date (rule *metadata*)
        # More lines may be the first paragraph, hard-wrapped, unless a dateline opens them.
        and (len(lines) == 1 or _dateline(" ".join(lines[1:])))
    ):
        return headline, lines[0], lines[1:]
    return headline, "", lines


# Words that end a line of a wrapped headline ("… wind farm off the") or start its
# next line ("Including Electric Bus Fleet …"): the headline goes on.
_HEADLINE_JOINERS = frozenset(
    "a an the of for and or to in on at by with off from into over under as amid after"  # noqa: SIM905
    " before during including featuring following despite ahead across through via plus"
    " while".split()
)


def _continues_headline(headline: str, following: str) -> bool:
    """Rule *wrapped headline*: the next line of the headline's block goes on with it
    when it starts in lower case (a mail program's wrap), when the headline's line ends
    on an article, preposition or conjunction ("… off the⏎Northumberland coast"), or
    when both lines are in title case and the next starts with a preposition or a
    participle ("… Capital Plan⏎Including Electric Bus Fleet")."""
    if not following or following[0].islower():
        return bool(following)
    if _dateline(following) or _is_dateline_alone(following) or _date_alone(following):
        return False
    if headline.split()[-1].lower() in _HEADLINE_JOINERS and not re.search(r"[.!?:]$", headline):
        return True
    first = following.split()[0].lower()
    return first in _HEADLINE_JOINERS and _title_case(headline) and _title_case(following)


def _title_case(line: str) -> bool:
    """Every word capitalised but the small ones ("Board Approves Five-Year Plan")."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", line)
    words = [w for w in words if w.lower() not in _HEADLINE_JOINERS]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


def _is_dateline_alone(line: str) -> bool:
    """Rule *dateline*: a place and a full date, a line of its own."""
    alone = _DATELINE_ALONE.match(line)
    return bool(alone and _parse_date(alone["date"]) and _is_place(alone["place"], alone["date"]))


def _is_subheadline(block: _Block) -> bool:
    line = block.lines[0]
    return (
        len(block.lines) == 1
        and len(line) < SHORT_LINE
        and not line.endswith(".")
        and not _DATELINE_ALONE.match(line)
        and not _date_alone(line)
        and not _ABOUT.match(line)
        and not _CONTACT_HEADING.match(line)
        and not _has_contact_details(line)
        and not _BULLET.match(line)
    )


# A unit of the issuer printed under its name: "Office of Public Affairs", "Press Office".
_UNIT_LINE = re.compile(
    r"^(?:(?:the\s+)?office of (?:the\s+)?(?:public affairs|communications|media relations"
    r"|public information|the press secretary|the spokesperson|press)"
    r"|(?:university\s+|corporate\s+|external\s+)?(?:press|news|media|communications?)"
    r"(?:\s+(?:office|desk|team|centre|center|room|relations|unit|service|bureau))?"
    r"|public affairs|public information|newsroom|news (?:centre|center|service|bureau))\W*$",
    re.IGNORECASE,
)
_LETTERHEAD_MAX = 100


def _is_letterhead(line: str, text: str) -> bool:
    """Rule *letterhead*: a line that reads as an organization's name ("Riverbend
    Borough Council", "U.S. Department of Example Affairs", "NATIONAL AGENCY FOR EXAMPLE
    SAFETY", "Nordlicht Stiftung"): an organization's word or legal form, every word
    capitalised but the joiners (of, for, and…), so no verb ("City opens new library" is
    a headline); no figure, no final punctuation but a legal form's period. A line in
    capitals names an organization's word last, or is spelled so elsewhere in ``text``
    ("CITY COUNCIL APPROVES BUDGET" is a headline). The parser checks that more front
    matter or a headline follows it."""
    words = line.split()
    if len(words) > 1 and _is_legal_form(words[-1]):  # "Brightwater Analytics, Inc."
        line = re.sub(r",(\s+\S+)$", r"\1", line)
    if (
        len(line) > _LETTERHEAD_MAX
        or len(words) < 2
        or re.search(r"\d|[!?:;,\"“”]", line)
        or _ABOUT.match(line)
        or _CONTACT_HEADING.match(line)
        or not _reads_like_organization(line)
    ):
        return False
    if line.endswith(".") and not _is_legal_form(words[-1]):
        return False
    if any(
        not w[0].isupper() and w.lower() not in _NAME_JOINERS and not _is_legal_form(w)
        for w in words
    ):
        return False
    if _verb_after_name(words) or any(_is_headline_verb(w) for w in words[1:]):
        return False
    if line.isupper():
        last = words[-1].lower().strip(".,")
        return (
            _reads_like_organization(last)
            or bool(_spelled_in(line, text))
            # "OFFICE OF THE GOVERNOR", "STATE OF EXAMPLE", "MINISTRY OF HEALTH".
            or (_reads_like_organization(words[0]) and words[1].lower() in _NAME_JOINERS)
        )
    return True


# Verbs headlines are made of, in their headline forms: "City Opens New Library" and
# "Council Approved Budget" are headlines even though "Library" and "Council" name
# organizations. Words that also end organizations' names (Partners, Services, Works,
# Holdings) are not here.
_HEADLINE_VERBS = frozenset(
    """
    opens opened reopens reopened announces announced launches launched approves approved
    unveils unveiled expands expanded releases released reports reported awards awarded
    celebrates celebrated marks marked welcomes welcomed completes completed begins began
    starts started adds added invests invested receives received joins joined hosts hosted
    signs signed honors honored honours honoured recognizes recognized recognises recognised
    acquires acquired selects selected introduces introduced warns warned urges urged
    calls called seeks sought sets breaks broke reaches reached secures secured publishes
    published confirms confirmed closes closed cuts raises raised invites invited extends
    extended returns returned hires hired elects elected adopts adopted passes passed
    proposes proposed plans planned supports supported funds funded grants granted names
    named appoints appointed wins won holds held moves moved takes took makes made helps
    helped creates created builds built delivers delivered offers offered provides provided
    improves improved increases increased reduces reduced boosts boosted lowers lowered
    restores restored upgrades upgraded replaces replaced rolls rolled issues issued
    strengthens strengthened commits committed pledges pledged agrees agreed rejects
    rejected bans banned lifts lifted updates updated changes changed delays delayed
    postpones postponed cancels cancelled canceled ends ended kicks shares shared sees saw
    gets got gains gained leads led brings brought thanks thanked debuts debuted
""".split()  # noqa: SIM905 - a word list reads best as words
)


def _is_headline_verb(word: str) -> bool:
    return word.lower().strip(".,'’") in _HEADLINE_VERBS


def _verb_after_name(words: list[str]) -> bool:
    """Rule *letterhead*: after its last organization's word (or legal form) a name goes
    on with "of X" or a place ("Example Police Service Scotland"), never with a verb:
    "Northfield Transit Authority Board Approves Five-Year Capital Plan" is a headline."""
    last = max(
        (
            index
            for index, word in enumerate(words)
            if _reads_like_organization(word) or _is_legal_form(word)
        ),
        default=None,
    )
    if last is None or last + 1 >= len(words) or words[last + 1].lower() in _NAME_JOINERS:
        return False
    return any(
        re.search(r"(?:[^s]s|ed)$", w.lower()) and w.lower() not in _NAME_JOINERS
        for w in words[last + 1 :]
    )


def _spelled_in(name: str, text: str) -> str:
    """``name`` as ``text`` writes it elsewhere, not in capitals ("National Agency for
    Example Safety" for a letterhead in capitals), else ""."""
    for found in re.finditer(re.escape(name), text, re.IGNORECASE):
        if not found.group().isupper():
            return found.group()
    return ""


# A forwarded or pasted e-mail's headers above the release: "From: …", "Sent: …",
# "Subject: PRESS RELEASE: …"; "-----Original Message-----", "Begin forwarded message:".
_MAIL_HEADER = re.compile(
    r"^(?P<label>from|sent|to|cc|bcc|subject|date|reply-to|importance|attachments?)\s*:\s*"
    r"(?P<value>.*)$|^-{2,}\s*(?:original message|forwarded message)\s*-{2,}$"
    r"|^begin forwarded message:$",
    re.IGNORECASE,
)
# "Fwd: PRESS RELEASE: Lakeside Clinic expands hours": the labels before the headline.
_SUBJECT_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|wg|tr)\s*:\s*)+", re.IGNORECASE)


def _is_mail_headers(lines: list[str]) -> bool:
    """Rule *mail headers*: a block of e-mail headers (two or more, every line one)."""
    labelled = [line for line in lines if _MAIL_HEADER.match(line)]
    return len(labelled) == len(lines) and len(labelled) >= 2


def _subject(lines: list[str]) -> str:
    """The headline a mail's "Subject:" gives: without "Fwd:" and "PRESS RELEASE:"."""
    for line in lines:
        header = _MAIL_HEADER.match(line)
        if header and (header["label"] or "").lower() == "subject":
            subject = _SUBJECT_PREFIX.sub("", header["value"]).strip()
            label, _, rest = subject.partition(":")
            if rest.strip() and _RELEASE_LINE.match(label.strip()):
                subject = rest.strip()
            return subject
    return ""


def _reads_as_headline(line: str) -> bool:
    """A line that may head a release: short, no final period, no dateline opening it."""
    return len(line) <= SHORT_LINE and not line.endswith(".") and not _dateline(line)
