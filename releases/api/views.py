"""The read-only JSON API: releases, organizations, tags. Public data only.

Every queryset starts from ``Release.objects.published()``: a draft, in-review,
scheduled, embargoed or withdrawn release is a 404 here and in no list, for everyone
(the API authenticates no one, see ``REST_FRAMEWORK`` in the settings). Only GET, HEAD
and OPTIONS are routed; any other method is a 405.

Responses are cacheable for a minute and carry an ETag and Last-Modified built from
``public_last_modified()`` and the absolute URL asked for; a matching
``If-None-Match`` (or ``If-Modified-Since``) gets a 304 before the page is read.

Queries, whatever the page size and the data: the list 5 (version, count — none when
cached —, page, its organizations, its tags) plus 1 for each of the ``tag`` (all
together), ``organization`` and ``author`` filters; a release 7 (version, release and
author, organizations, contacts, tags, corrections, attachments); organizations and
tags 2 each (3 the first time a process reads the tags' content type).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response
from taggit.models import Tag, TaggedItem

from releases.api.filtering import ReleaseFilterBackend
from releases.api.pagination import ReleasePagination
from releases.api.serializers import (
    OrganizationSerializer,
    ReleaseSerializer,
    ReleaseSummarySerializer,
    TagCountSerializer,
)
from releases.facets import public_total
from releases.filters import ReleaseFilter
from releases.freshness import etag_for, public_last_modified
from releases.models import Attachment, Correction, Organization, Release, ReleaseSlug
from releases.views.conditional import Validators
from releases.views.querystrings import filter_pairs

# Counts change only with the version that is part of their key; this bounds dead keys.
COUNT_TIMEOUT = 60 * 60

# What a list item prints (see ``ReleaseSummarySerializer``): no body, no search vector.
SUMMARY_FIELDS = (
    "headline",
    "subheadline",
    "slug",
    "dateline",
    "summary",
    "language",
    "published_at",
    "embargoed_until",
    "created_at",
    "updated_at",
    "featured_image",
    "featured_image_alt",
    "featured_image_caption",
    "featured_image_credit",
    "author__name",
    "author__slug",
)


# The docstrings of the view classes are the operations' descriptions in the schema.
class PublicReadMixin:
    # Validators of the public data's version, applied to every successful answer.

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.public_version = public_last_modified()

    def validators(self) -> Validators:
        return Validators.of(
            self.public_version.isoformat(),
            self.request.build_absolute_uri(),
            last_modified=self.public_version,
        )

    def not_modified(self):
        """The 304 when the client's copy is current, else None. Call once the request is
        known to be valid, before reading the data."""
        return self.validators().not_modified(self.request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            self.validators().apply(response)
        return response


NOT_FOUND = OpenApiResponse(description="No such public release, or no such page.")
INVALID = OpenApiResponse(
    description="Invalid filters (the errors by parameter), or a character that cannot be "
    "stored (NUL) in the address."
)
# Every operation answers these two (releases.middleware, PublicReadMixin).
BAD_CHARACTER = OpenApiResponse(
    description="The address contains a character that cannot be stored (NUL)."
)
GONE = OpenApiResponse(
    response=inline_serializer(
        "Withdrawn",
        fields={
            "detail": serializers.CharField(),
            "withdrawn_at": serializers.DateTimeField(),
            "reason": serializers.CharField(help_text='Why it was withdrawn; "" if not given.'),
        },
    ),
    description="The release was public once and has been withdrawn (as its page says).",
)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the client's copy (If-None-Match, If-Modified-Since) is current."
)


@extend_schema_view(
    list=extend_schema(
        summary="Public releases, newest first",
        description=(
            f"{settings.NEWSROOM_PAGE_SIZE} a page. Filters as on /releases/, combinable: "
            "`tag` (repeat it: releases "
            "with all of them), `organization`, `author` (slugs), `year`, `month` (with "
            "`year`), `from`, `to` (YYYY-MM-DD, inclusive), `q` (full-text search; on "
            "PostgreSQL the best matches come first, as on the list page). A 400 also "
            "answers what the parameters' types cannot say: a slug that names no public "
            "tag, organization or author, `month` without `year`, `from` after `to`."
        ),
        responses={
            200: ReleaseSummarySerializer(many=True),
            304: NOT_MODIFIED,
            400: INVALID,
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(
        summary="One public release, all its parts",
        description="A former slug of a public release redirects (301) to its current URL.",
        responses={
            200: ReleaseSerializer,
            301: None,
            304: NOT_MODIFIED,
            400: BAD_CHARACTER,
            404: NOT_FOUND,
            410: GONE,
        },
    ),
)
class ReleaseViewSet(PublicReadMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [ReleaseFilterBackend]
    filterset_class = ReleaseFilter
    pagination_class = ReleasePagination

    def get_queryset(self):
        public = Release.objects.published()
        if self.action == "retrieve":
            return public.with_parts().prefetch_related(
                Prefetch("corrections", queryset=Correction.objects.order_by("noted_at", "id")),
                Prefetch("attachments", queryset=Attachment.objects.order_by("position", "id")),
            )
        return (
            public.newest_first()
            .only(*SUMMARY_FIELDS)
            .select_related("author")
            .with_organizations()
            .prefetch_related("tags")
        )

    def filter_queryset(self, queryset):
        # The filters are the list's; a release's URL names one release, whatever follows.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_class(self):
        return ReleaseSerializer if self.action == "retrieve" else ReleaseSummarySerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if response := self.not_modified():
            return response
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        try:
            release = self.get_object()
        except Http404:
            return self.withdrawn(kwargs["slug"]) or self.redirect_from_old_slug(kwargs["slug"])
        if response := self.not_modified():
            return response
        return Response(self.get_serializer(release).data)

    def withdrawn(self, slug: str) -> Response | None:
        """410 for a release the public once read and that was withdrawn, as its page
        answers; None otherwise (a never-public release stays a 404: nobody knew it)."""
        release = Release.objects.withdrawn().filter(slug=slug).first()
        if release is None or not release.was_public:
            return None
        body = {
            "detail": "This release was withdrawn.",
            "withdrawn_at": serializers.DateTimeField().to_representation(release.withdrawn_at),
            "reason": release.withdrawal_reason,
        }
        return Response(body, status=410)

    def redirect_from_old_slug(self, slug: str):
        old = (
            ReleaseSlug.objects.filter(slug=slug, release__in=Release.objects.published())
            .select_related("release")
            .only("release__slug")
            .first()
        )
        if old is None:
            raise Http404("No such public release.")
        path = reverse("api:release-detail", kwargs={"slug": old.release.slug})
        return HttpResponsePermanentRedirect(self.request.build_absolute_uri(path))

    def result_count(self, queryset) -> int:
        """How many releases the filtered list holds (exact), cached under the data's
        version and the normalized filters (the same filters always give the same
        queryset). Unfiltered, it is ``public_total``: shared with the facets and the
        sitemap, counted from an index alone (not the table) once per version."""
        pairs, _ = filter_pairs(self.request.query_params)
        if not pairs:
            return public_total(self.public_version)
        key = "api:count:" + etag_for(self.public_version.isoformat(), sorted(pairs))
        count = cache.get(key)
        if count is None:
            count = queryset.count()
            cache.set(key, count, COUNT_TIMEOUT)
        return count


@extend_schema_view(
    list=extend_schema(
        summary="Organizations with public releases, by name",
        responses={
            200: OrganizationSerializer(many=True),
            304: NOT_MODIFIED,
            400: BAD_CHARACTER,
        },
    ),
    retrieve=extend_schema(
        summary="One organization with public releases",
        responses={
            200: OrganizationSerializer,
            304: NOT_MODIFIED,
            400: BAD_CHARACTER,
            404: OpenApiResponse(description="No organization with public releases has it."),
        },
    ),
)
class OrganizationViewSet(PublicReadMixin, viewsets.ReadOnlyModelViewSet):
    """Organizations that issued or co-issued at least one public release."""

    # One named only on drafts may be a partnership still to be announced (the sitemap
    # lists the same ones).
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    serializer_class = OrganizationSerializer
    pagination_class = None  # a newsroom's issuers are a short list

    def get_queryset(self):
        public = Q(releases__in=Release.objects.published().values("pk"))
        return (
            Organization.objects.public()
            .annotate(release_count=Count("releases", filter=public))
            .order_by(Lower("name"), "pk")
        )

    def list(self, request, *args, **kwargs):
        return self.not_modified() or super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        organization = self.get_object()
        if response := self.not_modified():
            return response
        return Response(self.get_serializer(organization).data)


@extend_schema_view(
    list=extend_schema(
        summary="Tags of public releases, by name, with counts",
        responses={200: TagCountSerializer(many=True), 304: NOT_MODIFIED, 400: BAD_CHARACTER},
    )
)
class TagViewSet(PublicReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Tags carried by at least one public release, with how many carry each."""

    # A tag only drafts carry may name something not yet announced.
    serializer_class = TagCountSerializer
    pagination_class = None  # the vocabulary, not the archive: it stays small

    def get_queryset(self):
        public_tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Release),
            object_id__in=Release.objects.published().values("pk"),
        )
        return (
            Tag.objects.filter(taggit_taggeditem_items__in=public_tagged)
            .annotate(release_count=Count("taggit_taggeditem_items"))
            .order_by(Lower("name"), "pk")
        )

    def list(self, request, *args, **kwargs):
        return self.not_modified() or super().list(request, *args, **kwargs)


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request):
    """Where everything is, for a person or a client starting at ``/api/``."""
    return Response(
        {
            name: request.build_absolute_uri(reverse(f"api:{route}"))
            for name, route in (
                ("releases", "release-list"),
                ("organizations", "organization-list"),
                ("tags", "tag-list"),
                ("schema", "schema"),
            )
        }
    )
