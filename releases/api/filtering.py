"""The public list filters in the API: ``ReleaseFilter``, read as ``/releases/`` reads it."""

from __future__ import annotations

from django.forms.forms import NON_FIELD_ERRORS
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from releases.filters import MAX_QUERY_LENGTH, MAX_TAGS
from releases.views.querystrings import filter_pairs, to_query_dict

# Parameters the schema types as numbers or dates (releases.api.filtering.ReleaseFilterSchema).
TYPED_KEYS = ("year", "month", "from", "to")
TYPED_MESSAGE = "Give %s a value, without spaces, or leave the parameter out."


class ReleaseFilterBackend(DjangoFilterBackend):
    """The view's ``filterset_class`` (``ReleaseFilter``) over the normalized query string.

    The same pairs as the HTML list (contract keys only, stripped, NUL refused): whatever
    the list page answers 400, this answers 400 too, with the errors by parameter, as JSON.
    """

    def filter_queryset(self, request, queryset, view):
        pairs, had_nul = filter_pairs(request.query_params)
        filterset_class = self.get_filterset_class(view, queryset)
        filterset = filterset_class(to_query_dict(pairs), queryset=queryset, request=request)
        form = filterset.form
        form.is_valid()
        if had_nul:
            form.add_error(None, "The address contains a character that is not allowed.")
        for key in TYPED_KEYS:
            # The list page reads a form (empty fields are "any"); the API reads values as
            # its schema types them: a number or a date, never empty or padded.
            values = request.query_params.getlist(key)
            if any(not value or value != value.strip() for value in values):
                form.add_error(key, TYPED_MESSAGE % key)
        if len(request.query_params.getlist("tag")) > MAX_TAGS:  # as given, even if empty
            form.add_error("tag", f"Choose at most {MAX_TAGS} tags.")
        if form.errors:
            errors = {
                api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
                for field, messages in form.errors.items()
            }
            raise ValidationError(errors)
        return filterset.qs


class ReleaseFilterSchema(DjangoFilterExtension):
    """The OpenAPI parameters of ``ReleaseFilterBackend``: the types and meanings that
    django-filter's introspection cannot read from ``ReleaseFilter`` (a repeatable tag
    filter of its own, number filters backed by methods)."""

    target_class = ReleaseFilterBackend
    priority = 1

    INTEGERS = {"year": (1900, 2999), "month": (1, 12)}
    DESCRIPTIONS = {
        "tag": "Tag slug. Repeat it for releases that carry all of the tags.",
        "organization": "Organization slug: releases it issued or co-issued.",
        "author": "Author slug.",
        "year": "Publication year.",
        "month": "Publication month, 1 to 12; needs `year`.",
        "from": "First publication day, YYYY-MM-DD (inclusive).",
        "to": "Last publication day, YYYY-MM-DD (inclusive).",
        "q": 'Full-text search (websearch syntax: "a phrase", OR, -word).',
    }

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if field_name == "tag":
            schema = build_array_type(build_basic_type(OpenApiTypes.STR))
            schema["maxItems"] = MAX_TAGS
            return [
                build_parameter_type(
                    name=field_name,
                    schema=schema,
                    location=OpenApiParameter.QUERY,
                    description=self.DESCRIPTIONS[field_name],
                    explode=True,
                    style="form",
                )
            ]
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            if field_name in self.INTEGERS:
                low, high = self.INTEGERS[field_name]
                parameter["schema"] = {"type": "integer", "minimum": low, "maximum": high}
            if field_name in ("from", "to"):
                # The years ``ReleaseFilter`` accepts (DATE_YEARS), which a format cannot say.
                parameter["schema"]["pattern"] = r"^(19|2[0-9])[0-9]{2}-"
            if field_name == "q":
                parameter["schema"]["maxLength"] = MAX_QUERY_LENGTH
            if field_name in self.DESCRIPTIONS:
                parameter["description"] = self.DESCRIPTIONS[field_name]
        return parameters
