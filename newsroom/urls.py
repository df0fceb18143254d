from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from releases.views.health import healthz

admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} — editors"
admin.site.site_title = settings.NEWSROOM_SITE_NAME
admin.site.index_title = "Releases and the people behind them"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("releases.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
