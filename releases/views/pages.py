"""Public list pages. Minimal for now; the public-site issue builds them out."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from releases.models import Author, Organization, Release


def _published():
    return (
        Release.objects.published()
        .select_related("author")
        .prefetch_related("organizations", "tags")
        .newest_first()
    )


def home(request):
    return render(
        request,
        "releases/home.html",
        {
            "releases": _published()[:10],
            "organizations": Organization.objects.all(),
        },
    )


def release_list(request):
    page = Paginator(_published(), settings.NEWSROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "releases/list.html", {"page_obj": page, "releases": page.object_list})


def organization_detail(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    releases = _published().filter(organizations=organization)[:20]
    return render(
        request,
        "releases/organization.html",
        {"organization": organization, "releases": releases},
    )


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    releases = _published().filter(author=author)[:20]
    return render(request, "releases/author.html", {"author": author, "releases": releases})
