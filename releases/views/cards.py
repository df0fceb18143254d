"""Release cards, rendered once per version of a release and then served from the cache.

Rendering a card (and building taggit's querysets for it) is most of the cost of a
list page, so a card is cached under the release's pk, its ``updated_at`` and the
latest ``updated_at`` of its organizations (whose names it prints). Only the cards
missing from the cache have their organizations and tags fetched: a warm page runs
no query for its cards; a cold one runs two, whatever the number of cards.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.db.models.query import prefetch_related_objects
from django.template.loader import get_template

from releases.models import ReleaseOrganization

CARD_TEMPLATE = "includes/release_card.html"
# A renamed tag changes no timestamp; a day bounds how long a card may show the old name.
CARD_TIMEOUT = 60 * 60 * 24
CARD_FIELDS = ("headline", "slug", "published_at", "summary", "updated_at")


def for_cards(queryset):
    """``queryset`` narrowed to what a card needs, with the version its cache key uses.

    The organizations' stamp is a correlated subquery: evaluated for the rows of the
    page only, it costs no extra query.
    """
    latest_organization = (
        ReleaseOrganization.objects.filter(release=OuterRef("pk"))
        .order_by("-organization__updated_at")
        .values("organization__updated_at")[:1]
    )
    return queryset.only(*CARD_FIELDS).annotate(
        organizations_updated_at=Subquery(latest_organization)
    )


def _card_key(release) -> str:
    organizations = getattr(release, "organizations_updated_at", None)
    return "card:{}:{}:{}".format(
        release.pk,
        release.updated_at.timestamp(),
        organizations.timestamp() if organizations else "-",
    )


def release_cards(releases) -> list:
    """The card HTML of each release, in order. ``releases`` come from ``for_cards()``.

    The cached values are the ``SafeString`` that template rendering produced
    (pickling keeps the type), so they are output as they were rendered, escaped.
    Search results carry a snippet of the query's matches in place of the summary:
    they are rendered each time and never cached.
    """
    releases = list(releases)
    keys = [None if _is_search_result(release) else _card_key(release) for release in releases]
    cached = cache.get_many([key for key in keys if key])
    cards = [cached.get(key) if key else None for key in keys]
    missing = [index for index, card in enumerate(cards) if card is None]
    if missing:
        prefetch_related_objects([releases[index] for index in missing], "organizations", "tags")
        template = get_template(CARD_TEMPLATE)
        fresh = {}
        for index in missing:
            cards[index] = template.render({"release": releases[index]})
            if keys[index]:
                fresh[keys[index]] = cards[index]
        cache.set_many(fresh, CARD_TIMEOUT)
    return cards


def _is_search_result(release) -> bool:
    return getattr(release, "search_snippet", None) is not None
