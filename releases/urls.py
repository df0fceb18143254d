from django.urls import path

from releases.views import detail, pages

app_name = "releases"

urlpatterns = [
    path("", pages.home, name="home"),
    path("releases/", pages.release_list, name="list"),
    path("releases/<slug:slug>/", detail.release_detail, name="detail"),
    path("organizations/<slug:slug>/", pages.organization_detail, name="organization"),
    path("authors/<slug:slug>/", pages.author_detail, name="author"),
]
