"""Atom export: every release of the export as a full entry, whatever its status.

The entries are those of the public feed (``releases.feeds``: headline, summary, the
full body as ``<content type="html">``, author, tags as categories, published and
updated times, the same ``tag:`` ids), plus a category in the ``STATUS_SCHEME`` scheme
giving the release's status, labelled with its state ("Scheduled", "Embargoed"…).
Drafts have no ``<published>``. The document is written entry by entry; the feed's
``<updated>`` is the time of the export.

An export has no address of its own, so its ``rel="self"`` link names the live public
feed of the same selection: ``/feeds/releases.atom`` with the export's list filters
(``feed_query``: ``tag``, ``organization``… as ``releases.filters`` names them), which
is where a reader given the file subscribes for what comes next.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from releases.body_images import absolute_body
from releases.exports.serialize import absolute_url, tags_of
from releases.feeds import AtomWithContent, xml_text
from releases.models import Release
from releases.seo import filter_query, with_query

STATUS_SCHEME = "urn:newsroom:release-status"


class ExportAtomFeed(AtomWithContent):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement(
            "category",
            "",
            {"term": item["status"], "scheme": STATUS_SCHEME, "label": item["state"]},
        )


def entry_id(release: Release, host: str) -> str:
    """The public feed's id for the release (``releases.feeds.ReleaseFeed.item_guid``)."""
    created = release.created_at.astimezone(dt.UTC).date().isoformat()
    return f"tag:{host},{created}:release/{release.pk}"


def write_atom(
    releases: Iterable[Release], *, base_url: str, feed_query: Mapping | None = None
) -> Iterator[str]:
    def absolute(path: str) -> str:
        return absolute_url(base_url, path)

    host = urlsplit(base_url).hostname or "localhost"
    site = settings.NEWSROOM_SITE_NAME
    feed = ExportAtomFeed(
        title=xml_text(f"Releases exported from {site}"),
        link=absolute(reverse("releases:list")),
        feed_url=absolute(with_query(reverse("releases:feed_atom"), filter_query(feed_query))),
        description="",
        author_name=xml_text(site),
        feed_guid=f"tag:{host},{dt.datetime.now(dt.UTC).date().isoformat()}:export",
    )
    buffer = io.StringIO()
    handler = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)

    def drain() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    handler.startDocument()
    handler.startElement("feed", feed.root_attributes())
    feed.add_root_elements(handler)  # before any item: <updated> is now
    yield drain()
    for release in releases:
        feed.items = []
        feed.add_item(**_entry(release, absolute, host))
        item = feed.items[0]
        handler.startElement("entry", feed.item_attributes(item))
        feed.add_item_elements(handler, item)
        handler.endElement("entry")
        yield drain()
    handler.endElement("feed")
    handler.endDocument()
    yield drain() + "\n"


def _entry(release: Release, absolute, host: str) -> dict:
    author = release.author
    return {
        "title": xml_text(release.headline),
        "link": absolute(release.get_absolute_url()),
        # The summary is plain text; Atom's <summary type="html"> reads it as HTML.
        "description": escape(xml_text(release.summary)),
        # Read with no page around it: absolute URLs (releases.body_images).
        "content": xml_text(absolute_body(release.body, absolute(release.get_absolute_url()))),
        "author_name": xml_text(author.name) if author else None,
        "author_link": absolute(author.get_absolute_url()) if author else None,
        "pubdate": release.published_at,
        "updateddate": release.updated_at,
        "unique_id": entry_id(release, host),
        "categories": [xml_text(tag.name) for tag in tags_of(release)],
        "status": release.status,
        "state": release.state_label,
    }
