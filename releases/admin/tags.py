"""Tags in the admin: taggit's own tag admin, plus the search behind the release form's
tag box (``releases.widgets.TagPicker``)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.urls import path
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from releases.models import Release


class TagNameAutocompleteView(AutocompleteJsonView):
    """Django's admin autocomplete over tags, answering names as ids.

    ``GET ?term=…&app_label=releases&model_name=release&field_name=tags`` →
    ``{"results": [{"id": name, "text": name}, …], "pagination": {"more": bool}}``, 20 a
    page, searched by ``TagAdmin.search_fields``. Names, so the tag box sends the names
    taggit reads (a new name and an existing one look alike). Only for the release's
    ``tags`` field, and for whoever may add or change releases: writers pick tags
    without the right to manage them.
    """

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if source_field is not Release._meta.get_field("tags"):
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name

    def has_perm(self, request, obj=None):
        release_admin = self.admin_site.get_model_admin(Release)
        return release_admin.has_add_permission(request) or release_admin.has_change_permission(
            request
        )

    def serialize_result(self, obj, to_field_name):
        return {"id": obj.name, "text": obj.name}


# taggit registers its admin when ``taggit.admin`` is imported (above); this one adds a URL.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    """taggit's tag admin (search by name, merge) with the tag box's search at
    ``admin:taggit_tag_names``."""

    def get_urls(self):
        names = self.admin_site.admin_view(
            TagNameAutocompleteView.as_view(admin_site=self.admin_site)
        )
        return [path("names/", names, name="taggit_tag_names"), *super().get_urls()]
