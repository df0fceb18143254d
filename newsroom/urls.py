from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom.operations.views import readyz
from releases import feeds
from releases import urls as releases_urls
from releases.corrections import corrections_feed
from releases.views import machine, media
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
    path("feeds/corrections.atom", corrections_feed, name="feed_corrections"),
]

# A database outage raised outside any view (a middleware) is a 503 too.
handler500 = "releases.middleware.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("releases.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("robots.txt", machine.robots_txt, name="robots_txt"),
    path("sitemap.xml", machine.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        machine.sitemap_section,
        name=machine.SITEMAP_SECTION_URL_NAME,
    ),
    path("", include("newsroom.sharing.urls")),
    path("", include((releases_patterns, releases_urls.app_name))),
]

# Uploaded files, in every setting (DEBUG or not), through the view that checks their
# owner's visibility. A MEDIA_URL on another host (object storage) is served there.
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media.serve_media, name="media")
    )
