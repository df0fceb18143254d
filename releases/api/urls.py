"""``/api/``: the read-only JSON API and its OpenAPI 3 description.

Routes are named in the ``api`` namespace: ``api:release-list``,
``api:release-detail``, ``api:organization-list``, ``api:organization-detail``,
``api:tag-list``, ``api:schema``, ``api:root``.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from releases.api import views

app_name = "api"

router = SimpleRouter()
router.register("releases", views.ReleaseViewSet, basename="release")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("tags", views.TagViewSet, basename="tag")

urlpatterns = [
    path("", views.api_root, name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
]
