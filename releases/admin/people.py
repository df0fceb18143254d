"""Admins for the people and bodies behind releases: organizations, authors, contacts.

Each has ``search_fields`` so the release form can offer them through autocomplete.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextInputWidget
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber

from releases.forms import RichTextWidget
from releases.kept_uploads import KeepUploadsModelForm
from releases.models import Author, Contact, Organization, ReleaseOrganization
from releases.models.people import format_phone


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = KeepUploadsModelForm  # a chosen logo survives a form sent back with errors
    list_display = ["name", "short_name", "location", "release_count"]
    search_fields = ["name", "short_name"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "location", "website", "logo"]}),
        ("Boilerplate", {"fields": ["boilerplate"]}),
        ("Audit", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "boilerplate":
            kwargs["widget"] = RichTextWidget(attrs={"rows": 6})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        # A correlated subquery rather than Count() over a join: the database counts
        # only the rows shown on the page, and autocomplete stays a plain query.
        releases = (
            ReleaseOrganization.objects.filter(organization=OuterRef("pk"))
            .order_by()
            .values("organization")
            .annotate(n=Count("*"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(release_count=Coalesce(Subquery(releases, output_field=IntegerField()), 0))
        )

    @admin.display(description="releases", ordering="release_count")
    def release_count(self, organization) -> int:
        return organization.release_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = KeepUploadsModelForm  # a chosen photo survives a form sent back with errors
    list_display = ["name", "organization", "user"]
    list_select_related = ["organization", "user"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name", "organization__short_name"]
    autocomplete_fields = ["organization", "user"]
    fields = ["name", "slug", "organization", "bio", "photo", "user"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "bio":
            kwargs["widget"] = RichTextWidget(attrs={"rows": 6})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Linking an author to a login needs the right to see the user accounts.
        if request.user.has_perm("auth.view_user"):
            return self.readonly_fields
        return [*self.readonly_fields, "user"]


class PhoneInput(AdminTextInputWidget):
    """Shows a stored number as people type it, extension included. The default input
    shows ``str(number)``, E.164, which has no extension: the next save dropped it."""

    input_type = "tel"

    def format_value(self, value):
        if isinstance(value, PhoneNumber) and value.country_code:
            return format_phone(value)
        return super().format_value(value)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organization", "email", "phone_international"]
    list_select_related = ["organization"]
    list_filter = ["organization"]
    search_fields = ["name", "email", "role", "organization__name", "organization__short_name"]
    autocomplete_fields = ["organization"]
    fields = ["name", "role", "organization", "email", "phone", "notes"]
    formfield_overrides = {PhoneNumberField: {"widget": PhoneInput}}

    def get_queryset(self, request):
        # ``str(contact)`` names the organization: autocomplete results need it joined.
        return super().get_queryset(request).select_related("organization")

    @admin.display(description="phone", ordering="phone")
    def phone_international(self, contact) -> str:
        return contact.phone_international
