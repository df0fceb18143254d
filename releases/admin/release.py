"""The release admin: changelist, the form laid out like a release, lifecycle actions.

Roles: writers (``change_release`` without ``publish_release``) draft and submit for
review; editors also publish, schedule, withdraw and edit published releases. The
form refuses what a writer may not do, and every status change — form or action —
goes through ``releases.services``.
"""

from __future__ import annotations

from adminsortable2.admin import SortableAdminBase
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from releases.admin import actions
from releases.admin.changelist import GuardedDateHierarchy, ReleaseColumns
from releases.admin.inlines import (
    AttachmentInline,
    CorrectionInline,
    ReleaseContactInline,
    ReleaseOrganizationInline,
    place_unnumbered_links,
    renumber_positions,
    save_corrections,
)
from releases.admin.review import ReviewAdminMixin
from releases.admin.revisions import ReleaseRevisionsMixin
from releases.admin_exports import ReleaseExportMixin, export_selected
from releases.forms import ReleaseAdminForm
from releases.models import (
    Correction,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    Status,
)
from releases.search import search_releases
from releases.services import (
    can_publish,
    release_publish,
    release_return_to_draft,
    release_submit_for_review,
    release_withdraw,
)
from releases.widgets import TagPicker, name_split_inputs

PUBLISHER_ONLY_FIELDS = ["published_at", "embargoed_until", "withdrawal_reason"]


def is_locked_for(user, release: Release | None) -> bool:
    """Published and withdrawn releases are changed by editors only."""
    return (
        release is not None
        and release.status in (Status.PUBLISHED, Status.WITHDRAWN)
        and not can_publish(user)
    )


# ``release.organizations.all()`` alone follows ``Organization.Meta.ordering`` (by
# name); ordering on the link reuses the relation's join and gives the issuing order.
ISSUING_ORDER = ("releaseorganization__position", "releaseorganization__id")


def issuing_organizations(release: Release) -> list[Organization]:
    """The organizations in issuing order. Free after ``ReleaseAdmin.get_queryset``."""
    try:
        return release.prefetched_organizations
    except AttributeError:
        return list(release.organizations.order_by(*ISSUING_ORDER))


class StateListFilter(admin.SimpleListFilter):
    """Filter by what editors call a release's state, including Scheduled and Embargoed."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, "Draft"),
            (Status.REVIEW, "In review"),
            ("scheduled", "Scheduled"),
            ("embargoed", "Embargoed"),
            (Status.PUBLISHED, "Published"),
            (Status.WITHDRAWN, "Withdrawn"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value in (Status.DRAFT, Status.REVIEW, Status.WITHDRAWN):
            return queryset.filter(status=value)
        if value == Status.PUBLISHED:
            return queryset.published(now)
        # Embargoed when the embargo is what keeps it back (it lifts at or after the
        # publication time), as ``Release.held_by_embargo`` says for one release.
        held_by_embargo = Q(embargoed_until__gte=F("published_at"))
        if value == "embargoed":
            return queryset.scheduled(now).filter(held_by_embargo)
        if value == "scheduled":
            return queryset.scheduled(now).exclude(held_by_embargo)
        return queryset


@admin.register(Release)
class ReleaseAdmin(
    # The inlines are ordered by dragging (releases.admin.inlines): their admin needs it.
    SortableAdminBase,
    GuardedDateHierarchy,
    ReleaseColumns,
    ReleaseRevisionsMixin,
    ReviewAdminMixin,
    ReleaseExportMixin,
    admin.ModelAdmin,
):
    form = ReleaseAdminForm
    # Fits a 1280 px screen beside the filters; author and tags are filters, the link to
    # the page on the site is in the state column.
    list_display = [
        "thumbnail",
        "headline_clamped",
        "state",
        "goes_live",
        "issuer",
    ]
    list_display_links = ["headline_clamped"]
    list_filter = [StateListFilter, "organizations", "author", "tags", "published_at"]
    search_fields = ["headline", "subheadline", "summary", "body"]
    date_hierarchy = "published_at"
    # Undated work (drafts) first on every database, then newest first.
    ordering = [F("published_at").desc(nulls_first=True), "-id"]
    list_select_related = ["author"]
    autocomplete_fields = ["author"]
    readonly_fields = [
        "current_state",
        "release_line",
        "boilerplate_preview",
        "withdrawn_at",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ]
    inlines = [ReleaseOrganizationInline, ReleaseContactInline, AttachmentInline, CorrectionInline]
    actions = [
        actions.publish_now,
        actions.schedule,
        actions.submit_for_review,
        actions.return_to_draft,
        actions.withdraw,
        actions.duplicate,
        export_selected,
    ]
    save_on_top = True
    # One COUNT over the whole table is enough; the second (“N total”) doubles it.
    show_full_result_count = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # ``view_on_site`` stays on: get_absolute_url is the public page, which shows staff
    # a preview (with a banner) of releases that are not public yet.

    def get_fieldsets(self, request, obj=None):
        timing = ["current_state", "release_line", "status", "published_at", "embargoed_until"]
        if can_publish(request.user):  # the zone the two times above are entered in
            timing.append("time_zone")
        if obj is not None and obj.status == Status.WITHDRAWN:
            timing += ["withdrawn_at", "withdrawal_reason"]
        return [
            (
                "Release line & timing",
                {
                    "fields": timing,
                    "description": (
                        "A publication time in the future schedules the release; an "
                        "embargo keeps it from the public until it lifts. Staff can "
                        "preview it meanwhile."
                    ),
                },
            ),
            ("Headline", {"fields": ["headline", "subheadline", "slug"]}),
            ("Dateline", {"fields": ["dateline"]}),
            ("Summary", {"fields": ["summary"]}),
            ("Body", {"fields": ["body"]}),
            (
                "Boilerplate preview",
                {
                    "fields": ["boilerplate_preview"],
                    "description": "Printed under the release, from the issuing organizations.",
                },
            ),
            ("Author", {"fields": ["author"]}),
            ("Tags", {"fields": ["tags"]}),
            (
                "Media",
                {
                    "fields": [
                        "featured_image",
                        "featured_image_alt",
                        "featured_image_caption",
                        "featured_image_credit",
                        "language",
                        "source_url",
                    ]
                },
            ),
            (
                "Audit",
                {
                    "fields": [("created_at", "created_by"), ("updated_at", "updated_by")],
                    "classes": ["collapse"],
                },
            ),
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = TagPicker(db_field, self.admin_site)
            kwargs["help_text"] = "Type to find a tag; a name no tag has yet becomes a new tag."
        # The date and time inputs of published_at and embargoed_until, named for screen readers.
        return name_split_inputs(super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, *PUBLISHER_ONLY_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # modelform_factory returns a new class on every call, so this is per request.
        form.user = request.user
        return form

    def get_queryset(self, request):
        # Prefetched into a plain list (to_attr): a prefetch into the related manager
        # builds one queryset per row, which is most of the changelist's time at 100 rows.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "organizations",
                    queryset=Organization.objects.order_by(*ISSUING_ORDER),
                    to_attr="prefetched_organizations",
                )
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # The site's own search (full-text index on PostgreSQL) rather than Django's
        # LIKE over ``search_fields``: at 100,000 releases LIKE over the bodies takes
        # seconds. ``search_fields`` stays set so the admin shows the search box.
        if not search_term.strip():
            return queryset, False
        return search_releases(queryset, search_term), False

    # -- permissions ----------------------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if is_locked_for(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    # -- saving -----------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        if form.lifecycle_change():
            # Status, time and reason are set by the service in save_related, so
            # publishing from this form takes the same path as the actions.
            form.keep_stored_lifecycle(obj)
        super().save_model(request, obj, form, change)
        for text in form.body_warnings():  # images the body may not show, taken out
            self.message_user(request, text, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        lifecycle_change = form.lifecycle_change()
        release, user = form.instance, request.user
        # A new time or embargo on a published release changes when it goes public even
        # when the status stays: say when, as the actions do.
        retimed = {"published_at", "embargoed_until"} & set(form.changed_data)
        if lifecycle_change is None:
            if release.status == Status.PUBLISHED and retimed:
                self._message_publication(request, release)
            return
        try:
            if lifecycle_change.status == Status.PUBLISHED:
                if self.hold_for_checks(request, release, lifecycle_change.published_at):
                    return
                release_publish(release=release, user=user, at=lifecycle_change.published_at)
            elif lifecycle_change.status == Status.WITHDRAWN:
                release_withdraw(release=release, user=user, reason=lifecycle_change.reason)
            else:
                if release.status != Status.DRAFT:
                    release_return_to_draft(release=release, user=user)
                if lifecycle_change.status == Status.REVIEW:
                    release_submit_for_review(release=release, user=user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(
                request,
                f"Saved, but the status stays “{release.state_label}”: {actions.error_text(error)}",
                messages.ERROR,
            )
            return
        if release.status == Status.PUBLISHED:
            self._message_publication(request, release)

    def _message_publication(self, request, release: Release) -> None:
        for text in actions.publication_messages([release]):
            self.message_user(request, text, messages.SUCCESS)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            save_corrections(formset, release=form.instance, user=request.user)
            return
        ordered = formset.model in (ReleaseOrganization, ReleaseContact)
        if ordered:
            place_unnumbered_links(formset)
        super().save_formset(request, form, formset, change)
        if ordered:
            renumber_positions(formset.model, form.instance)

    # -- columns and read-only fields --------------------------------------------------

    def action_checkbox(self, release):
        # Same markup as Django's, without a widget template render per row (a fifth
        # of the changelist's time at 100 rows).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            release.pk,
            release,
        )

    @admin.display(description="currently")
    def current_state(self, release) -> str:
        return actions.state_note(release, with_utc=True) if release.pk else "New draft"

    @admin.display(description="release line")
    def release_line(self, release) -> str:
        return release.release_line

    @admin.display(description="image")
    def thumbnail(self, release) -> str:
        """The featured image's smallest rendition, from the row (no query, no file read)."""
        image = release.featured_image_set
        if not image:
            return ""
        thumbnail = image.thumbnail
        return format_html(
            '<img class="changelist-thumbnail" src="{}" width="48" height="{}" alt="" '
            'loading="lazy">',
            thumbnail.url,
            round(thumbnail.height * 48 / thumbnail.width),
        )

    @admin.display(description="issuer")
    def issuer(self, release) -> str:
        # Free: get_queryset prefetches the organizations in issuing order.
        organizations = issuing_organizations(release)
        issuer = organizations[0] if organizations else None
        if issuer is None:
            return "—"
        return format_html(
            '<span title="{}">{}</span>', issuer.name, issuer.short_name or issuer.name
        )

    @admin.display(description="boilerplate")
    def boilerplate_preview(self, release) -> str:
        if release.pk is None:
            return "Shown once the release is saved with its issuing organizations."
        organizations = [o for o in issuing_organizations(release) if o.boilerplate]
        if not organizations:
            return "None yet: add issuing organizations that have an “About” paragraph."
        return format_html_join(
            "",
            '<div class="boilerplate"><strong>About {}</strong>{}</div>',
            # Stored sanitized (Organization.save), as the release page prints it.
            ((o.name, mark_safe(o.boilerplate)) for o in organizations),  # noqa: S308
        )
