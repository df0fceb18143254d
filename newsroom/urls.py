from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from releases import feeds
from releases import urls as releases_urls
from releases.views import machine
from releases.views.health import healthz

admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} — editors"
admin.site.site_title = settings.NEWSROOM_SITE_NAME
admin.site.index_title = "Releases and the people behind them"

# The feeds join the "releases" namespace ({% url 'releases:feed_atom' %}); a second
# include() of that namespace could not be reversed, so they extend the app's own list.
releases_patterns = [
    *releases_urls.urlpatterns,
    path("feeds/releases.atom", feeds.atom_feed, name="feed_atom"),
    path("feeds/releases.rss", feeds.rss_feed, name="feed_rss"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("releases.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", machine.robots_txt, name="robots_txt"),
    path("sitemap.xml", machine.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        machine.sitemap_section,
        name=machine.SITEMAP_SECTION_URL_NAME,
    ),
    path("", include((releases_patterns, releases_urls.app_name))),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
