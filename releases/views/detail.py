"""The release page, its staff preview, old-slug redirects and the 410 for withdrawals."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from releases.models import Release, ReleaseSlug, Status
from releases.views.conditional import release_validators


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
    return Release.objects.with_parts().prefetch_related("corrections", "attachments")


def neighbours(release) -> dict:
    """The public releases published just before and just after ``release``: 2 queries.

    Ordered by (published_at, id) so releases published in the same second still
    chain without skipping or repeating one.
    """
    public = Release.objects.published().only("headline", "slug", "published_at")
    when, pk = release.published_at, release.pk
    # A range on published_at plus a tie-break filter walks the date index from here.
    older = public.filter(published_at__lte=when).exclude(published_at=when, pk__gte=pk)
    newer = public.filter(published_at__gte=when).exclude(published_at=when, pk__lte=pk)
    return {
        "previous_release": older.order_by("-published_at", "-pk").first(),
        "next_release": newer.order_by("published_at", "pk").first(),
    }


def release_detail(request, slug):
    release = release_queryset().filter(slug=slug).first()
    if release is None:
        old = get_object_or_404(ReleaseSlug.objects.select_related("release"), slug=slug)
        if not may_know_of(old.release, request.user):
            raise Http404("No release here.")
        return HttpResponsePermanentRedirect(old.release.get_absolute_url())

    if not may_know_of(release, request.user):
        raise Http404("No release here.")

    if release.status == Status.WITHDRAWN:
        return render(request, "releases/withdrawn.html", {"release": release}, status=410)

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
