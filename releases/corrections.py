"""The public corrections log: ``/corrections/`` and ``/feeds/corrections.atom``.

A correction is public when its release is: the log joins through
``Release.objects.published()``, so a note on a draft, scheduled, embargoed or
withdrawn release never appears (and disappears when its release is withdrawn).
Newest correction first (``noted_at``, then id). Both answer ETag / Last-Modified from
``public_last_modified()``: a correction is a write the data version follows
(``releases.freshness.WRITTEN_MODELS``), and so is every change of a release's status.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.views.decorators.http import condition, require_safe

from releases.feeds import xml_text
from releases.freshness import etag_for, public_last_modified
from releases.models import Correction, Release

FEED_SIZE = 50


def public_corrections() -> QuerySet[Correction]:
    """Corrections of public releases, newest first, with their release's headline and
    slug (one query; a page of them is one more for the count)."""
    return (
        Correction.objects.filter(release__in=Release.objects.published())
        .select_related("release")
        .only("noted_at", "note", "release__headline", "release__slug")
        .order_by("-noted_at", "-id")
    )


class CorrectionsFeed(Feed):
    """Atom: one entry per correction, titled by its release, linked to the release page,
    the note (escaped) as the entry's HTML content, ``updated`` the correction's time."""

    feed_type = Atom1Feed

    def __init__(self, request):
        self.request = request  # one instance per request: entry ids need the host

    def title(self) -> str:
        return xml_text(f"Corrections · {settings.NEWSROOM_SITE_NAME}")

    def subtitle(self) -> str:
        return xml_text(
            f"The {FEED_SIZE} latest corrections to releases of {settings.NEWSROOM_SITE_NAME}."
        )

    def link(self) -> str:
        return reverse("releases:corrections")

    def feed_url(self) -> str:
        return reverse("releases:feed_corrections")

    def author_name(self) -> str:
        return settings.NEWSROOM_SITE_NAME

    def items(self):
        return public_corrections()[:FEED_SIZE]

    def item_title(self, correction: Correction) -> str:
        return xml_text(f"Correction: {correction.release.headline}")

    def item_link(self, correction: Correction) -> str:
        return f"{correction.release.get_absolute_url()}#corrections"

    def item_description(self, correction: Correction) -> str:
        return format_html("<p>{}</p>", xml_text(correction.note))

    def item_guid(self, correction: Correction) -> str:
        # A tag: URI (RFC 4151) naming the row, stable across slug changes.
        day = correction.noted_at.astimezone(dt.UTC).date().isoformat()
        host, _ = split_domain_port(self.request.get_host())
        return f"tag:{host},{day}:correction/{correction.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, correction: Correction) -> dt.datetime:
        return correction.noted_at

    def item_updateddate(self, correction: Correction) -> dt.datetime:
        return correction.noted_at


def _etag(request, version):
    return etag_for("corrections-atom", version.isoformat())


@condition(etag_func=_etag, last_modified_func=lambda request, version: version)
def _respond(request, version):
    response = CorrectionsFeed(request)(request)
    # The feed sets it from the newest entry; the validators share the ETag's basis.
    del response["Last-Modified"]
    return response


@require_safe
def corrections_feed(request):
    """``/feeds/corrections.atom``: 2 queries (version, entries), 304 when unchanged."""
    return _respond(request, public_last_modified())
