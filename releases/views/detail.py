"""The release page, its staff preview, old-slug redirects and the 410 for withdrawals."""

from django.db.models import Exists, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.db.models.query import prefetch_related_objects
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from releases import shown
from releases.models import Attachment, Correction, Release, ReleaseSlug, Status
from releases.views.conditional import release_validators

# Parts of a release page that most releases lack: fetched only when the release has some.
OPTIONAL_PARTS = {"corrections": Correction, "attachments": Attachment}


def can_preview(user) -> bool:
    """Staff who may see releases in the admin may see them on the site before they are public."""
    return user.is_active and user.is_staff and user.has_perm("releases.view_release")


def may_know_of(release, user) -> bool:
    """Whether ``user`` may learn that ``release`` exists at all.

    Guards the page, the 410 and the redirect from an old slug alike: the current
    slug is made from the headline, so even a redirect would leak it.
    """
    return release.is_published or release.was_public or can_preview(user)


def release_queryset():
    """The release with everything its page shows: 6 queries whatever the counts.

    Organizations and contacts come in the order the editor chose (see
    ``ReleaseQuerySet.with_parts``), not in their models' alphabetical default.
    """
    return Release.objects.with_parts().prefetch_related(*OPTIONAL_PARTS)


def _neighbour(older: bool) -> Subquery:
    """The public release published just before (``older``) or just after the outer one,
    as ``{"pk", "slug", "headline"}``: a correlated subquery that walks the date index
    from the outer release's (published_at, id) and stops at the first public row.

    Ordered by (published_at, id) so releases published in the same second still chain
    without skipping or repeating one.
    """
    when, pk = OuterRef("published_at"), OuterRef("pk")
    public = Release.objects.published()
    if older:
        found = public.filter(published_at__lte=when).exclude(published_at=when, pk__gte=pk)
        found = found.order_by("-published_at", "-pk")
    else:
        found = public.filter(published_at__gte=when).exclude(published_at=when, pk__lte=pk)
        found = found.order_by("published_at", "pk")
    row = JSONObject(pk="pk", slug="slug", headline="headline")
    return Subquery(found.values(neighbour=row)[:1], output_field=JSONField())


def release_page_queryset():
    """``release_queryset()`` for the public page: the neighbours and whether there are
    corrections and attachments come with the release row, so a page runs 4 queries (the
    release, its organizations, contacts and tags), 6 with corrections and attachments
    (``fetch_optional_parts``), whatever the counts."""
    return Release.objects.with_parts().annotate(
        previous_neighbour=_neighbour(older=True),
        next_neighbour=_neighbour(older=False),
        **{
            f"has_{name}": Exists(model.objects.filter(release=OuterRef("pk")))
            for name, model in OPTIONAL_PARTS.items()
        },
    )


def fetch_optional_parts(release) -> None:
    """Prefetch the corrections and attachments that ``release`` (from
    ``release_page_queryset``) has: one query each, none for a part it lacks."""
    present = [name for name in OPTIONAL_PARTS if getattr(release, f"has_{name}")]
    if present:
        prefetch_related_objects([release], *present)
    cache = release._prefetched_objects_cache
    for name, model in OPTIONAL_PARTS.items():
        # Known to be empty: the related manager reads this instead of querying.
        cache.setdefault(name, model.objects.none())


def neighbours(release) -> dict:
    """The public releases published just before and just after ``release`` (from
    ``release_page_queryset``), each with only its pk, slug and headline: no query."""

    def neighbour(row):
        if not row:
            return row
        shown.note([row["pk"]])  # its headline is on this page (releases.pagecache)
        return Release(pk=row["pk"], slug=row["slug"], headline=row["headline"])

    return {
        "previous_release": neighbour(release.previous_neighbour),
        "next_release": neighbour(release.next_neighbour),
    }


def release_detail(request, slug):
    release = release_page_queryset().filter(slug=slug).first()
    if release is None:
        old = get_object_or_404(ReleaseSlug.objects.select_related("release"), slug=slug)
        if not may_know_of(old.release, request.user):
            raise Http404("No release here.")
        return HttpResponsePermanentRedirect(old.release.get_absolute_url())

    if not may_know_of(release, request.user):
        raise Http404("No release here.")

    if release.status == Status.WITHDRAWN:
        return render(request, "releases/withdrawn.html", {"release": release}, status=410)

    fetch_optional_parts(release)
    if release.is_published:
        context = {"release": release, **neighbours(release)}
        validators = release_validators(
            release, context["previous_release"], context["next_release"]
        )
        if response := validators.not_modified(request):
            return response
        return validators.apply(render(request, "releases/detail.html", context))

    response = render(request, "releases/detail.html", {"release": release, "preview": True})
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
