"""The release admin's revisions: recorded on every save, listed, compared and restored.

Pages (under the release's change URL): ``revisions/`` lists them (view permission),
``revisions/compare/?a=<id>&b=<id>`` shows the diff of any two, ``revisions/<id>/restore/``
asks for confirmation and restores (change permission, ``releases.revisions.restore``).
"""

from __future__ import annotations

import json

import reversion
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from releases.revisions.diff import diff_snapshots
from releases.revisions.record import record_baseline, record_revision
from releases.revisions.restore import release_restore
from releases.revisions.snapshots import live_snapshot, release_versions, version_snapshot
from releases.services import can_publish


def _change_message_text(message) -> str:
    if isinstance(message, list):
        message = json.dumps(message)
    return LogEntry(change_message=message).get_change_message()


# Revision ids are reversion's AutoField: a signed 32-bit integer on PostgreSQL.
MAX_REVISION_ID = 2**31 - 1


class ReleaseRevisionsMixin:
    """Mixed into ``ReleaseAdmin``: saving through its form records a revision."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A release from before revisions were kept gets its “before” recorded, so its
        # first change (and a conflict with it) can be shown.
        if (
            request.method == "POST"
            and str(object_id or "").isdigit()
            and self.model.objects.filter(pk=object_id).exists()
        ):
            record_baseline(int(object_id))
        with reversion.create_revision(manage_manually=True):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        # Joins the form's revision; on its own when an action logs (no form around it).
        with reversion.create_revision(manage_manually=True):
            record_revision(obj.pk, user=request.user, comment="Created.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        with reversion.create_revision(manage_manually=True):
            record_revision(obj.pk, user=request.user, comment=_change_message_text(message))
        return entry

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/revisions/", view(self.revisions_view), name=f"{name}_revisions"),
            path(
                "<int:object_id>/revisions/compare/",
                view(self.revision_compare_view),
                name=f"{name}_revision_compare",
            ),
            path(
                "<int:object_id>/revisions/<int:version_id>/restore/",
                view(self.revision_restore_view),
                name=f"{name}_revision_restore",
            ),
            *super().get_urls(),
        ]

    # -- views --------------------------------------------------------------------------

    def _release_for(self, request, object_id, *, change=False):
        release = self.get_object(request, str(object_id))
        if release is None:
            raise Http404("No such release.")
        allowed = (
            self.has_change_permission(request, release)
            if change
            else self.has_view_or_change_permission(request, release)
        )
        if not allowed:
            raise PermissionDenied
        return release

    def _context(self, request, release, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": release,
            "title": title,
            "subtitle": str(release),
            "change_url": reverse("admin:releases_release_change", args=[release.pk]),
            "revisions_url": reverse("admin:releases_release_revisions", args=[release.pk]),
            **extra,
        }

    def revisions_view(self, request, object_id):
        release = self._release_for(request, object_id)
        versions = list(release_versions(release))
        context = self._context(
            request,
            release,
            "Revisions",
            versions=versions,
            can_restore=self.has_change_permission(request, release),
        )
        return TemplateResponse(request, "admin/releases/release/revisions.html", context)

    def revision_compare_view(self, request, object_id):
        release = self._release_for(request, object_id)
        versions = release_versions(release)
        try:
            ids = sorted(int(request.GET[key]) for key in ("a", "b"))
        except (KeyError, ValueError):
            return HttpResponseBadRequest("Pick two revisions to compare (a and b).")
        # Beyond a database integer no revision exists (and the query itself would fail).
        if not all(0 < pk <= MAX_REVISION_ID for pk in ids):
            raise Http404("No such revision of this release.")
        found = versions.in_bulk(ids)
        if len(found) != len(set(ids)):
            raise Http404("No such revision of this release.")
        old, new = found[ids[0]], found[ids[-1]]
        context = self._context(
            request,
            release,
            "Compare revisions",
            old=old,
            new=new,
            rows=diff_snapshots(version_snapshot(old), version_snapshot(new)),
        )
        return TemplateResponse(request, "admin/releases/release/revision_compare.html", context)

    def revision_restore_view(self, request, object_id, version_id):
        release = self._release_for(request, object_id, change=True)
        version = release_versions(release).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such revision of this release.")
        if request.method == "POST":
            try:
                release_restore(
                    release=release, version=version, user=request.user, may_change=True
                )
            except ValidationError as error:
                self.message_user(
                    request, f"Not restored: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, "Revision restored as a new revision.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:releases_release_change", args=[release.pk]))
        context = self._context(
            request,
            release,
            "Restore this revision?",
            version=version,
            # What restoring changes: from the release now to the revision.
            rows=diff_snapshots(live_snapshot(release.pk), version_snapshot(version)),
            can_publish=can_publish(request.user),
        )
        return TemplateResponse(request, "admin/releases/release/revision_restore.html", context)
