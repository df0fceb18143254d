"""The JSON shapes of the public API.

Every link is absolute (scheme and host of the request): ``url`` is the page a person
reads (``get_absolute_url()``), ``api_url`` the same thing in this API. Optional text
is ``""`` when not given; an optional object (author, organization, featured image) is
``null``.

A list item (``ReleaseSummarySerializer``) leaves out the body, contacts, corrections
and attachments; the detail (``ReleaseSerializer``) has all nine parts of the release.
Neither triggers a query of its own when the queryset comes from
``releases.api.views`` (author joined; organizations, contacts and tags prefetched).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from taggit.models import Tag

from releases.body_images import distributed_body
from releases.models import Attachment, Author, Contact, Correction, Organization, Release


class AbsoluteURLField(serializers.URLField):
    """A path from the object (``source``, e.g. ``get_absolute_url``) made absolute."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "format": "uri"},
            {"type": "string", "maxLength": 0},
        ],
        "description": 'An absolute URL, or "" when none was given.',
    }
)
class OptionalURLField(serializers.URLField):
    """A URL column that may be blank: ``""`` is a value here, not a malformed URI, and
    the schema says so (``format: uri`` alone would reject it)."""


# No docstring: the schema shows a serializer's docstring, or else its base class's.
class ReadOnlySerializer(serializers.ModelSerializer):
    # Every field read-only: the schema then marks them all present, none writable.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: OptionalURLField,
    }

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra.setdefault(name, {})["read_only"] = True
        return extra


def _absolute(serializer: serializers.Serializer, path: str, **query: str) -> str:
    if query:
        path = f"{path}?{urlencode(query)}"
    return serializer.context["request"].build_absolute_uri(path)


# -- people and organizations ----------------------------------------------------------


class AuthorSerializer(ReadOnlySerializer):
    url = AbsoluteURLField(source="get_absolute_url", help_text="The author's page.")

    class Meta:
        model = Author
        fields = ["name", "slug", "url"]


class AuthorWithBioSerializer(AuthorSerializer):
    class Meta(AuthorSerializer.Meta):
        fields = [*AuthorSerializer.Meta.fields, "bio"]


class OrganizationSummarySerializer(ReadOnlySerializer):
    url = AbsoluteURLField(source="get_absolute_url", help_text="The organization's newsroom.")
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:organization-detail", lookup_field="slug"
    )

    class Meta:
        model = Organization
        fields = ["name", "short_name", "slug", "url", "api_url"]


class IssuingOrganizationSerializer(OrganizationSummarySerializer):
    """An organization as a release prints it: with its boilerplate ("About …")."""

    class Meta(OrganizationSummarySerializer.Meta):
        fields = [
            *OrganizationSummarySerializer.Meta.fields,
            "boilerplate",
            "website",
            "location",
            "logo",
        ]


class OrganizationSerializer(IssuingOrganizationSerializer):
    """An organization that issued public releases."""

    # release_count is annotated by the view's queryset.
    releases_url = serializers.SerializerMethodField(
        help_text="This organization's releases in the API."
    )
    release_count = serializers.IntegerField(
        read_only=True, help_text="How many public releases it issued or co-issued."
    )

    class Meta(IssuingOrganizationSerializer.Meta):
        fields = [*IssuingOrganizationSerializer.Meta.fields, "releases_url", "release_count"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_releases_url(self, organization: Organization) -> str:
        return _absolute(self, reverse("api:release-list"), organization=organization.slug)


class ContactOrganizationSerializer(ReadOnlySerializer):
    url = AbsoluteURLField(source="get_absolute_url", help_text="The organization's newsroom.")

    class Meta:
        model = Organization
        fields = ["name", "short_name", "slug", "url"]


class ContactSerializer(ReadOnlySerializer):
    organization = ContactOrganizationSerializer(read_only=True, allow_null=True)
    phone = serializers.SerializerMethodField(
        help_text="E.164, e.g. +442079460000; with an extension, RFC 3966's parameter "
        "follows: +442079460000;ext=204."
    )
    phone_international = serializers.CharField(
        read_only=True,
        help_text="As people read it, e.g. +44 20 7946 0000 (+44 20 7946 0000 ext. 204).",
    )

    class Meta:
        model = Contact
        fields = ["name", "role", "organization", "email", "phone", "phone_international"]

    def get_phone(self, contact: Contact) -> str:
        return contact.phone_text


# -- tags ------------------------------------------------------------------------------


class TagSerializer(ReadOnlySerializer):
    # Declared, not derived from taggit's unicode SlugField: its schema pattern
    # ``^[-\w]+$`` means ASCII only in JSON Schema (ECMA 262), and slugs keep any script.
    slug = serializers.CharField(
        read_only=True, help_text="Letters of any script, digits, - and _ (e.g. économie)."
    )
    url = serializers.SerializerMethodField(help_text="The tag's page.")

    class Meta:
        model = Tag
        fields = ["name", "slug", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, tag: Tag) -> str:
        return _absolute(self, reverse("releases:tag", kwargs={"slug": tag.slug}))


class TagCountSerializer(TagSerializer):
    """A tag of public releases."""

    # release_count is annotated by the view's queryset.
    releases_url = serializers.SerializerMethodField(
        help_text="Releases with this tag, in the API."
    )
    release_count = serializers.IntegerField(
        read_only=True, help_text="How many public releases carry it."
    )

    class Meta(TagSerializer.Meta):
        fields = [*TagSerializer.Meta.fields, "releases_url", "release_count"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_releases_url(self, tag: Tag) -> str:
        return _absolute(self, reverse("api:release-list"), tag=tag.slug)


# -- the release -----------------------------------------------------------------------


class FeaturedImageSerializer(ReadOnlySerializer):
    """The release's featured image; null when it has none."""

    url = serializers.ImageField(source="featured_image", read_only=True)
    alt = serializers.CharField(source="featured_image_alt", read_only=True)
    caption = serializers.CharField(source="featured_image_caption", read_only=True)
    credit = serializers.CharField(source="featured_image_credit", read_only=True)

    class Meta:
        model = Release
        fields = ["url", "alt", "caption", "credit"]

    def to_representation(self, release: Release):
        return super().to_representation(release) if release.featured_image else None


class CorrectionSerializer(ReadOnlySerializer):
    class Meta:
        model = Correction
        fields = ["noted_at", "note"]


class AttachmentSerializer(ReadOnlySerializer):
    url = serializers.FileField(source="file", read_only=True)

    class Meta:
        model = Attachment
        fields = ["title", "url"]


class ReleaseSummarySerializer(ReadOnlySerializer):
    """A release in a list: everything a card shows, no body."""

    url = AbsoluteURLField(source="get_absolute_url", help_text="The release page.")
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:release-detail", lookup_field="slug"
    )
    release_line = serializers.CharField(
        read_only=True, help_text="FOR IMMEDIATE RELEASE, or EMBARGOED UNTIL <time>."
    )
    dateline = serializers.CharField(read_only=True, help_text="The place, e.g. LONDON.")
    formatted_dateline = serializers.CharField(
        read_only=True, help_text="Place and publication date, e.g. LONDON, 1 September 2014 —"
    )
    author = AuthorSerializer(read_only=True, allow_null=True)
    organizations = OrganizationSummarySerializer(
        many=True, read_only=True, help_text="In editorial order: the first is the issuer."
    )
    tags = serializers.SerializerMethodField(help_text="By name.")
    published_at = serializers.DateTimeField(read_only=True, help_text="Publication time.")
    featured_image = FeaturedImageSerializer(source="*", read_only=True, allow_null=True)

    class Meta:
        model = Release
        fields = [
            "headline",
            "subheadline",
            "slug",
            "url",
            "api_url",
            "release_line",
            "dateline",
            "formatted_dateline",
            "summary",
            "language",
            "published_at",
            "updated_at",
            "author",
            "organizations",
            "tags",
            "featured_image",
        ]

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, release: Release):
        # Sorted here: taggit's prefetch takes no ordered queryset.
        tags = sorted(release.tags.all(), key=lambda tag: (tag.name.casefold(), tag.pk))
        return TagSerializer(tags, many=True, context=self.context).data


class ReleaseSerializer(ReleaseSummarySerializer):
    """The whole release: the nine parts, with contacts, corrections and the media kit."""

    author = AuthorWithBioSerializer(read_only=True, allow_null=True)
    organizations = IssuingOrganizationSerializer(
        many=True, read_only=True, help_text="In editorial order: the first is the issuer."
    )
    contacts = ContactSerializer(many=True, read_only=True, help_text="In editorial order.")
    corrections = CorrectionSerializer(many=True, read_only=True, help_text="Oldest first.")
    attachments = AttachmentSerializer(many=True, read_only=True, help_text="The media kit.")
    body = serializers.SerializerMethodField(
        help_text="Sanitized HTML with absolute URLs; the release's own images as one "
        "rendition about 1280 px wide, with width and height."
    )

    class Meta(ReleaseSummarySerializer.Meta):
        fields = [
            *ReleaseSummarySerializer.Meta.fields,
            "body",
            "embargoed_until",
            "contacts",
            "corrections",
            "attachments",
            "source_url",
        ]
        extra_kwargs = {
            "embargoed_until": {"help_text": "When the embargo lifted; null if there was none."},
        }

    def get_body(self, release: Release) -> str:
        # Attachments are prefetched by the view: no query.
        return distributed_body(release, self.context["request"])
