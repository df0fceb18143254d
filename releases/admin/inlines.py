"""Inlines of the release form: ordered organizations and contacts, attachments, corrections.

Organizations, contacts and attachments are ordered by dragging their rows (or with the
“first”/“last” arrows), with django-admin-sortable2: its formset keeps ``position`` in
a hidden input that its script renumbers, and ``ReleaseAdmin`` carries its
``SortableAdminBase``. Every row's inputs are named for screen readers
(``releases.widgets.name_row_inputs``).
"""

from __future__ import annotations

from adminsortable2.admin import CustomInlineFormSet, SortableTabularInline
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst

from releases.image_use import IMAGE_IN_BODY, images_used_in, stored_image_urls
from releases.kept_uploads import KeepUploadsModelForm
from releases.models import (
    Attachment,
    Contact,
    Correction,
    Release,
    ReleaseContact,
    ReleaseOrganization,
)
from releases.services import correction_add
from releases.templatetags.contacts import file_facts
from releases.times import zone_note
from releases.widgets import name_row_inputs


class NamedRowsMixin:
    """Formset mixin: each row's inputs are named “<Verbose name> <n>: <field>” (“New
    <verbose name>” for the template of added rows): a tabular inline labels its
    columns only visually."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        verbose_name = capfirst(str(self.model._meta.verbose_name))
        row = f"New {verbose_name.lower()}" if index is None else f"{verbose_name} {index + 1}"
        name_row_inputs(form, row)


class NamedRowsFormSet(NamedRowsMixin, BaseInlineFormSet):
    pass


class SortableNamedRowsFormSet(NamedRowsMixin, CustomInlineFormSet):
    pass


class ReleasePartInline:
    """An inline whose rows are part of the release: editable when the release is.

    ``after_fieldset`` names the fieldset the inline is shown after (see the
    release's ``change_form.html``), so the form reads in the order of a release.
    """

    after_fieldset = ""
    # The link models (organizations, contacts) have no permissions of their own in
    # the editorial groups: they follow the release's. Attachments and corrections
    # also need their own model's permission.
    check_own_permissions = True

    def _release_permission(self, request, obj) -> bool:
        release_admin = self.admin_site.get_model_admin(Release)
        if obj is None:
            return release_admin.has_add_permission(request)
        return release_admin.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        release_admin = self.admin_site.get_model_admin(Release)
        if not self.check_own_permissions:
            return release_admin.has_view_or_change_permission(request, obj)
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._release_permission(request, obj) and (
            not self.check_own_permissions or super().has_add_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return self._release_permission(request, obj) and (
            not self.check_own_permissions or super().has_change_permission(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return self._release_permission(request, obj) and (
            not self.check_own_permissions or super().has_delete_permission(request, obj)
        )


class SortablePartInline(ReleasePartInline, SortableTabularInline):
    """Rows ordered by dragging; ``position`` is a hidden input. A row sent without a
    position (a new one) goes after the others (``place_unnumbered_links``, or
    adminsortable2's ``save_new``)."""

    formset = SortableNamedRowsFormSet
    ordering = ["position", "id"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            kwargs.update(required=False, initial=None)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class OrderedLinkInline(SortablePartInline):
    """An ordered link (organization, contact)."""

    fields = ["position"]
    extra = 1
    check_own_permissions = False


class ReleaseOrganizationInline(OrderedLinkInline):
    model = ReleaseOrganization
    fields = ["organization", "position"]
    autocomplete_fields = ["organization"]
    verbose_name = "issuing organization"
    verbose_name_plural = "issuing organizations (in order; the first is the issuer)"
    after_fieldset = "Body"


class ReleaseContactInline(OrderedLinkInline):
    model = ReleaseContact
    fields = ["contact", "position"]
    autocomplete_fields = ["contact"]
    verbose_name = "media contact"
    verbose_name_plural = "media contacts (in order)"
    after_fieldset = "Boilerplate preview"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact":
            # The selected contacts are labelled with their organization.
            kwargs["queryset"] = Contact.objects.select_related("organization")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AttachmentForm(KeepUploadsModelForm):
    """An attachment row; a chosen file survives a form sent back with errors.

    ``stored_urls``: the URLs the body may show the stored file by (none for a new
    row), read before the submitted file replaces it on the instance.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.pk is not None
        self.stored_urls = (
            stored_image_urls(self.instance.file, self.instance.renditions) if stored else set()
        )


class AttachmentFormSet(SortableNamedRowsFormSet):
    """The attachment rows. A row whose file the release's body shows (by the body as
    submitted with it) may not be deleted nor have its file replaced
    (``releases.image_use.IMAGE_IN_BODY``): the error is on the row, and named above the
    rows, since Django ignores the errors of a row ticked for deletion."""

    def clean(self):
        super().clean()
        # The release form's cleaned body: the admin builds this formset on the release
        # the form has just written its data onto.
        body = self.instance.body if self.instance is not None else ""
        refused = []
        for number, form in enumerate(self.initial_forms, start=1):
            deleting = self.can_delete and self._should_delete_form(form)
            replacing = "file" in form.changed_data
            if not (deleting or replacing) or not images_used_in(body, form.stored_urls):
                continue
            form.add_error(
                None if deleting else "file",
                ValidationError(IMAGE_IN_BODY, code="image_in_body"),
            )
            refused.append(f"Attachment {number} (“{form.instance.title}”)")
        if refused:
            raise ValidationError(
                "%(rows)s: %(problem)s",
                params={"rows": ", ".join(refused), "problem": IMAGE_IN_BODY},
                code="image_in_body",
            )


class AttachmentInline(SortablePartInline):
    model = Attachment
    form = AttachmentForm
    formset = AttachmentFormSet
    fields = ["title", "description", "file", "facts", "position"]
    readonly_fields = ["facts"]
    extra = 0
    verbose_name_plural = "attachments (media kit)"
    after_fieldset = "Media"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "description":
            # A sentence or two in a table row, not a full-page text box.
            field.widget.attrs.update(rows=2, cols=40)
        return field

    @admin.display(description="type and size")
    def facts(self, attachment: Attachment) -> str:
        """Recorded when the file is saved (``Attachment.record_facts``); "" for a new row."""
        return file_facts(attachment) if attachment.pk else ""


class CorrectionInline(ReleasePartInline, admin.TabularInline):
    model = Correction
    formset = NamedRowsFormSet
    fields = ["noted_at", "note"]
    extra = 0
    after_fieldset = "Media"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "noted_at":
            # Like every time input of the admin, read in the current time zone.
            field.help_text = zone_note()
        return field


def save_corrections(formset, *, release: Release, user) -> None:
    """Save the correction inline: new notes through ``correction_add`` (which tells the
    apps on ``release_action``, e.g. the audit log), edits and deletions as usual."""
    corrections = formset.save(commit=False)
    for correction in formset.deleted_objects:
        correction.delete()
    for correction in corrections:
        if correction.pk is None:
            correction_add(
                release=release, user=user, note=correction.note, noted_at=correction.noted_at
            )
        else:
            correction.save()


def place_unnumbered_links(formset) -> None:
    """Put the rows saved without a position after the others, in form order."""
    positions = [f.cleaned_data.get("position") for f in formset.forms if f.cleaned_data]
    last = max((p for p in positions if p is not None), default=-1)
    for form in formset.forms:
        if form.cleaned_data and form.cleaned_data.get("position") is None:
            last += 1
            form.instance.position = last


def renumber_positions(link_model, release: Release) -> None:
    """Number a release's links 0, 1, 2… in their order (position, then age)."""
    changed = []
    for i, link in enumerate(link_model.objects.filter(release=release)):
        if link.position != i:
            link.position = i
            changed.append(link)
    link_model.objects.bulk_update(changed, ["position"])
