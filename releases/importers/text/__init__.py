"""Plain-text releases, as organizations e-mail them, imported as drafts.

``parse_text_release(text)`` reads the text into a ``ParsedRelease`` without touching
the database; ``import_text_file(path)`` reads a file, parses it and writes the draft,
its organizations, contacts and author.

The rules, in the order they apply:

- Artefacts are dropped wherever they stand on a line of their own: a lone image file
  name (``IMG_2041.jpg``), end marks (``ENDS``, ``-ends-``, ``###``, ``-30-``), the
  release line (``FOR IMMEDIATE RELEASE``, ``PRESS RELEASE``), an ``EMBARGOED UNTIL …``
  line (with a warning: the embargo is for the editor to set) and the "Notes to
  editors" heading. The notes themselves stay where the sender put them, as the last
  paragraphs of the body: they are part of what was sent, and an editor may cut them.
- The first line is the headline (lines after it starting in lower case are a wrapped
  headline). The next line of the same block is the subheadline when the block ends
  there or a dateline follows; otherwise the block is the first paragraph, hard-wrapped.
  A single short line (< 140 characters, no final period) after the first blank line
  is the subheadline too, when paragraphs follow it.
- Paragraphs are separated by blank lines; the lines of a paragraph are joined, except
  bullet lines (``- ``, ``• ``, ``1. ``), which become a list.
- The first paragraph may open with a dateline: ``LONDON, 3 March 2025 —``,
  ``GENEVA (Reuters) –``, ``New York, March 3, 2025 /PRNewswire/ --``; the place goes
  to ``dateline``, the date to ``dated`` (a hint only: a draft has no publication time),
  the rest stays the first paragraph, which is also the summary. A dateline on a line
  of its own before the first paragraph counts too. A place needs a date unless it is
  written in capitals.
- Contacts: sentences like "Jane Roe is contactable at: E: jane@example.org; T: +44 20
  7946 0000" and "For media enquiries contact John Smith, Head of Press, on +1 202 555
  0143 or john.smith@example.com", and blocks under a "Media contact:" heading (a name
  line, optional role and organization lines, then e-mail and phone lines). One person
  per sentence; the sentence must name someone ("your local library" is no one). Phones
  are stored in E.164 (read in ``PHONENUMBER_DEFAULT_REGION`` when written without a
  country code); an invalid one is dropped with a warning. "[email protected]"
  placeholders leave the e-mail empty (with a warning); "jane [at] example [dot] org"
  is de-obfuscated. These lines leave the body. A contact's organization is the one
  its line names, else the issuer.
- A paragraph starting "About <organization>" is that organization's boilerplate and
  leaves the body (the organization is added if the text never named it otherwise).
- The last paragraph of the release (or the last before an end mark or the notes to
  editors) of the form "<Name> is a/an/the …", short, about a person rather than an
  organization, is the author's bio and leaves the body.
- Organizations are the names written with an acronym in parentheses, "the Example
  Centre (EC)", in the order they are first named (headline, subheadline, body,
  contacts); the first is the issuer. The name is the run of capitalised words before
  the parentheses whose initials spell the acronym, without a leading "the"; it must
  read like an organization (Centre, Authority, University, Trust, …) so that terms
  such as "Artificial Intelligence (AI)" are not taken for one.

Errors (``ReleaseImportError`` with the path and line): an empty file, a file with a
headline and no body, a NUL byte (not a text file), a line that is not UTF-8, a first
line too long to be a headline.

The package reads one block kind a module: ``encoding`` (bytes to text), ``blocks``
(finding the blocks and the artefacts between them), ``headline``, ``dateline``,
``contacts`` and ``phones``, ``organizations``, ``body`` (paragraphs, lists, the author
bio); ``parser`` puts them together and ``writing`` saves the draft.
"""

from releases.importers.text.parsed import ParsedContact, ParsedOrganization, ParsedRelease
from releases.importers.text.parser import parse_text_release
from releases.importers.text.writing import import_text_file, write_release

__all__ = [
    "ParsedContact",
    "ParsedOrganization",
    "ParsedRelease",
    "import_text_file",
    "parse_text_release",
    "write_release",
]
