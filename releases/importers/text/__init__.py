"""Plain-text releases, as press offices send them, imported as drafts.

``parse_text_release(text)`` reads the text into a ``ParsedRelease`` without touching
the database; ``import_text_file(path)`` decodes a file, parses it and writes the draft
(``write_release``), its organizations, contacts and author, with every guess the
editor should check in ``Release.import_warnings``.

The parser first finds the blocks, then reads each; one module a block, each rule a
function whose docstring names it (the list with one example each is in
docs/export-formats.md, "Plain-text releases"):

- ``encoding``: UTF-8 with or without BOM, UTF-16 with a BOM (a warning), else
  Windows-1252 with a warning; UTF-16 without a BOM refused (save as UTF-8);
- ``blocks``: blank-line blocks, CRLF; artefacts dropped (release lines, labels such
  as MEDIA ADVISORY or "For Planning Purposes Only", also bilingual, framed by emoji or
  with a reference: "NEWS RELEASE / COMMUNIQUÉ", "Press Release WEHO/25/017";
  references such as "RELEASE: 25-01", lone image file names); end marks (###, # # #,
  -###-, -30-, -end-, ENDS, [ENDS], a lone ***) and notes-to-editors headings;
  mailing-list footers (a
  "Copyright © 2025 X, All rights reserved." line too); paragraphs split at single
  newlines when they end paragraphs;
- ``parser``: the front matter above the headline (date lines, contact blocks
  labelled or not, a forwarded e-mail's headers, the issuer's letterhead: "Riverbend
  Borough Council", "U.S. Department of Example⏎Office of Public Affairs"), government
  metadata (From:, Published, Issued:), "Issued on behalf of X by Y", an issuing
  office holder ("The Hon. Sarah Mitchell MP⏎Minister for …"); a PDF's page numbers,
  running headers and line-end hyphens and a web page's breadcrumbs, "Posted on …",
  share buttons and "Related posts" (rules *page leftovers*, *web leftovers*);
  Markdown (headline, dek, headings, "About"), bylines ("By Jane Roe, X": the author),
  "Related links:" over URLs, photo captions, numbered notes about an organization;
  footers after the end mark dropped with a
  warning, a paragraph saying what an organization is (after the end mark or under
  notes to editors) as its boilerplate, the embargo's day as the date when none is
  written;
- ``headline``: headline (as written; a wrapped title-case headline joined) and
  subheadline, which is never a date or dateline line; the letterhead and mail-header
  rules;
- ``dateline``: the forms press offices use, the date, "EMBARGOED UNTIL" (also
  "Sperrfrist:", "Embargo jusqu'au", "Embargo hasta") with its zone;
- ``contacts`` and ``phones``: headed blocks, one-a-line and "Name | Title | phone"
  lines, contact sentences, inline "(For more information: …)"; E.164 with extension;
- ``organizations``: "X (ACR)" anywhere with legal forms kept, "About X" boilerplates
  (also "ABOUT X:", "About Us", joint "About A and B", unlabelled after the end mark),
  the letterhead's, a wire's SOURCE line and the contacts' organizations;
- ``body``: paragraphs and lists as HTML, the trailing author bio (a person, never an
  organization), the language (common words of en, de, fr, es, it, nl);
- ``writing``: the draft; re-importing the same file does not duplicate, nor does the
  same text under another name (its checksum); a corrected file with the same headline
  and date and the same file name but for re-send marks ("kite-final.txt") updates the
  untouched draft, with a warning; the file's URI is kept in the private
  ``Release.import_source``, never in the public ``source_url``; a known contact's new
  number goes to its private notes;
- ``sniff``: a JSON, XML or HTML document is refused, naming the right format.

Errors (``ReleaseImportError`` with the path and line): a file over
``NEWSROOM_MAX_TEXT_IMPORT_BYTES`` (before it is read), a JSON, XML or HTML document,
an empty file, a file with a
headline and no body, a NUL byte (not a text file), UTF-16 without a byte-order mark,
bytes neither UTF-8 nor
Windows-1252, a first line too long to be a headline.
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
