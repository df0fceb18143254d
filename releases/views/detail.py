"""The release page, its staff preview, old-slug redirects and the 410 for withdrawals."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from releases.models import Release, ReleaseSlug, Status


def can_preview(user) -> bool:
    """Staff who may see releases in the admin may see them on the site before they are public."""
    return user.is_active and user.is_staff and user.has_perm("releases.view_release")


def release_queryset():
    return Release.objects.select_related("author").prefetch_related(
        "organizations", "contacts__organization", "tags", "corrections", "attachments"
    )


def release_detail(request, slug):
    release = release_queryset().filter(slug=slug).first()
    if release is None:
        old = get_object_or_404(ReleaseSlug.objects.select_related("release"), slug=slug)
        return HttpResponsePermanentRedirect(old.release.get_absolute_url())

    if release.status == Status.WITHDRAWN:
        return render(request, "releases/withdrawn.html", {"release": release}, status=410)

    if release.is_published:
        return render(request, "releases/detail.html", {"release": release})

    if not can_preview(request.user):
        raise Http404("No release here.")
    response = render(request, "releases/detail.html", {"release": release, "preview": True})
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
