"""The home page and the tag index. The release lists themselves are in ``lists``.

Both read the facets of the whole public list (cached under the public data's
version, shared with ``/releases/``): warm, the home page runs three queries (the
version, the latest releases and their organizations), the tag index one.
"""

from django.http import HttpResponse
from django.shortcuts import render

from releases.facets import Facets, cached_facets
from releases.freshness import public_last_modified, public_version
from releases.models import Release
from releases.pagecache import STALE_HEADER
from releases.views.cards import for_cards, release_cards
from releases.views.conditional import Validators

HOME_RELEASES = 10
HOME_TAGS = 12


def home(request):
    current = public_version()
    version = current.last_modified
    validators = Validators.of(version.isoformat(), request.path, last_modified=version)
    if response := validators.not_modified(request):
        return response
    facets = cached_facets(Release.objects.published(), version=version)
    releases = for_cards(Release.objects.published().newest_first())[:HOME_RELEASES]
    context = {
        "cards": release_cards(releases, tags_changed=current.tags_changed),
        "total": facets.total,
        "organizations": sorted(facets.organizations, key=lambda item: item.label.casefold()),
        "popular_tags": facets.tags[:HOME_TAGS],
        "years": facets.years,
    }
    return stale_aware(facets, validators.apply(render(request, "releases/home.html", context)))


def tag_index(request):
    """Every tag of a public release, with how many public releases carry it."""
    version = public_last_modified()
    validators = Validators.of(version.isoformat(), request.path, last_modified=version)
    if response := validators.not_modified(request):
        return response
    facets = cached_facets(Release.objects.published(), version=version)
    context = {"tags": sorted(facets.tags, key=lambda item: item.label.casefold())}
    response = validators.apply(render(request, "releases/tag_index.html", context))
    return stale_aware(facets, response)


def stale_aware(facets: Facets, response: HttpResponse) -> HttpResponse:
    """``response``, said to show the previous version's counts when ``facets`` are
    stale: no validators (a client must not keep it as current) and ``STALE_HEADER``, so
    the page cache keeps it ``STALE_SECONDS`` only, not as this version's page until the
    next change (``releases.views.lists`` does the same)."""
    if facets.stale:
        response.headers.pop("ETag", None)
        response.headers.pop("Last-Modified", None)
        response.headers[STALE_HEADER] = "facets"
    return response
