"""Release cards, rendered once per version of a release and then served from the cache.

Rendering a card (and building taggit's querysets for it) is most of the cost of a
list page, so a card is cached under the release's pk, its ``updated_at``, the
``updated_at`` of its organizations (whose names it prints) and the stamp of the last
change to tags (``PublicVersion.tags_changed``: a rename or retag changes no release).
The organizations are fetched for every page (one query: the cache key needs them);
the tags only for the cards missing from the cache (one more query, none on a warm
page), whatever the number of cards.

The organizations' stamps are not a correlated subquery of the page query: PostgreSQL
would evaluate it for every row an OFFSET skips (40,000 on page 2,000).
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models.query import prefetch_related_objects
from django.template.loader import get_template

CARD_TEMPLATE = "includes/release_card.html"
# Keys change with every edit, so old entries are dead weight: let them expire.
CARD_TIMEOUT = 60 * 60 * 24
CARD_FIELDS = (
    "headline",
    "slug",
    "published_at",
    "summary",
    "updated_at",
    # The thumbnail: its renditions are recorded on the row (releases.images).
    "featured_image",
    "featured_image_renditions",
)


def for_cards(queryset):
    """``queryset`` narrowed to the columns a card prints (not the body)."""
    return queryset.only(*CARD_FIELDS)


def _card_key(release, tags_changed: dt.datetime) -> str:
    organizations = ",".join(
        f"{o.pk}@{o.updated_at.timestamp()}" for o in release.organizations.all()
    )
    return (
        f"card:{release.pk}:{release.updated_at.timestamp()}:{organizations}"
        f":{tags_changed.timestamp()}"
    )


def _is_search_result(release) -> bool:
    return getattr(release, "search_snippet", None) is not None


def release_cards(releases, *, tags_changed: dt.datetime) -> list:
    """The card HTML of each release, in order. ``releases`` come from ``for_cards()``;
    ``tags_changed`` is ``public_version().tags_changed``.

    The cached values are the ``SafeString`` that template rendering produced
    (pickling keeps the type), so they are output as they were rendered, escaped.
    Search results carry a snippet of the query's matches in place of the summary:
    they are rendered each time and never cached.
    """
    releases = list(releases)
    prefetch_related_objects(releases, "organizations")
    keys = [
        None if _is_search_result(release) else _card_key(release, tags_changed)
        for release in releases
    ]
    cached = cache.get_many([key for key in keys if key])
    cards = [cached.get(key) if key else None for key in keys]
    missing = [index for index, card in enumerate(cards) if card is None]
    if missing:
        prefetch_related_objects([releases[index] for index in missing], "tags")
        template = get_template(CARD_TEMPLATE)
        fresh = {}
        for index in missing:
            cards[index] = template.render({"release": releases[index]})
            if keys[index]:
                fresh[keys[index]] = cards[index]
        cache.set_many(fresh, CARD_TIMEOUT)
    return cards
