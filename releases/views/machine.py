"""Pages for crawlers: ``/robots.txt`` and the sitemap index and sections."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from releases.freshness import public_last_modified
from releases.sitemaps import SITEMAPS, render_release_section
from releases.views.conditional import PUBLIC_MAX_AGE

SITEMAP_SECTION_URL_NAME = "sitemap_section"


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    """Crawl everything but the admin; the sitemap's URL must be absolute."""
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def sitemap_index(request):
    """Django's index, its sections given the public data's version read once (9 queries
    at most, whatever the data)."""
    version = public_last_modified()
    sections = {name: section(version) for name, section in SITEMAPS.items()}
    return sitemap_views.index(request, sections, sitemap_url_name=SITEMAP_SECTION_URL_NAME)


@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def sitemap_section(request, section):
    """A section's page; the releases' (1,000 URLs a page) rendered from rows."""
    if section == "releases":
        return render_release_section(request)
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
