"""Review in the release admin: the thread of notes and one page per decision.

Pages, under ``<release id>/review/<step>/`` (``admin:releases_release_review``):

- ``submit``: a writer (or editor) sends a draft for review, with a note;
- ``send-back``: an editor returns it to draft with a comment (required);
- ``approve``: an editor publishes it now or schedules it (``?schedule=1``);
- ``publish``: an editor publishes a draft or release in review from its change form
  (the form's save lands here when pre-publish checks found something);
- ``withdraw``: an editor takes a published release down, with a reason (required).

Every page that publishes lists the pre-publish problems (``releases.checks``) and
needs the "publish anyway" box ticked while there are any. Each decision goes through
``releases.services`` (which enforces the permission; the views refuse earlier, 403,
for a clear page), and is written to the admin history.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from releases.admin.actions import error_text, publication_messages, state_note
from releases.checks import prepublish_problems
from releases.forms import PrepublishForm
from releases.models import Release, ReviewNote, Status
from releases.services import (
    can_publish,
    release_approve,
    release_publish,
    release_send_back,
    release_submit_for_review,
    release_withdraw,
)
from releases.times import zone_note


class PublicationTimeForm(PrepublishForm):
    """A publication time: empty = now (unless ``schedule``: then a future time is required)."""

    published_at = forms.DateTimeField(
        label="Publication time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    field_order = ["published_at", "publish_anyway"]

    def __init__(self, *args, schedule=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule = schedule
        field = self.fields["published_at"]
        field.required = schedule
        if schedule:
            field.help_text = f"It goes live by itself at this time. {zone_note()}"
        else:
            field.help_text = f"Empty = now; a future time schedules it. {zone_note()}"

    def clean_published_at(self):
        published_at = self.cleaned_data["published_at"]
        if self.schedule and published_at and published_at <= timezone.now():
            raise forms.ValidationError("Pick a time in the future to schedule it.", code="past")
        return published_at


class SubmitForm(forms.Form):
    note = forms.CharField(
        label="Note for the editor",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Optional: what to look at, what changed since the last review.",
    )


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What must change",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Required. The writer sees it at the top of the draft.",
    )


class WithdrawReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Required. Kept with the release for the record.",
    )


STEPS = {
    # step: (title, button, editor only, statuses it applies to)
    "submit": ("Submit for review", "Submit for review", False, {Status.DRAFT}),
    "send-back": ("Send back to the writer", "Send back", True, {Status.REVIEW}),
    "approve": ("Approve and publish", "Approve and publish", True, {Status.REVIEW}),
    "publish": ("Publish", "Publish", True, {Status.DRAFT, Status.REVIEW}),
    "withdraw": ("Withdraw", "Withdraw", True, {Status.PUBLISHED}),
}


def review_url(release: Release, step: str, **query) -> str:
    url = reverse("admin:releases_release_review", args=[release.pk, step])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def came_back_note(release: Release, thread: list[ReviewNote]) -> ReviewNote | None:
    """The comment a draft was sent back with, while it is still the last word."""
    if release.status == Status.DRAFT and thread and thread[-1].kind == ReviewNote.Kind.SENT_BACK:
        return thread[-1]
    return None


class ReviewAdminMixin:
    """Adds the review pages, the thread and the review buttons to ``ReleaseAdmin``."""

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/review/<slug:step>/",
                self.admin_site.admin_view(self.review_view),
                name="releases_release_review",
            )
        ]
        return urls + super().get_urls()

    # -- the change form ----------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        release = self.get_object(request, object_id)
        if release is not None:
            extra_context.update(self.review_context(request, release))
        return super().change_view(request, object_id, form_url, extra_context)

    def review_context(self, request, release: Release) -> dict:
        """The thread (oldest first), the comment a draft came back with, the buttons."""
        thread = list(release.review_notes.select_related("author"))
        editor = can_publish(request.user)
        buttons = []
        if release.status == Status.DRAFT and self.has_change_permission(request, release):
            buttons.append((review_url(release, "submit"), "Submit for review…"))
        if editor and release.status == Status.REVIEW:
            buttons += [
                (review_url(release, "approve"), "Approve and publish…"),
                (review_url(release, "approve", schedule=1), "Approve and schedule…"),
                (review_url(release, "send-back"), "Send back…"),
            ]
        if editor and release.status == Status.PUBLISHED:
            buttons.append((review_url(release, "withdraw"), "Withdraw…"))
        return {
            "review_thread": thread,
            "review_came_back": came_back_note(release, thread),
            "review_buttons": buttons,
        }

    # -- publishing from the change form goes through the checks -----------------------

    def hold_for_checks(self, request, release: Release, at) -> bool:
        """True (and the form's response becomes the publish page) when pre-publish
        checks found problems: the content is saved, the status is left as it was.

        Only for a release going out: a new time for one already published is not checked
        again (it went out with its checks, or with an editor's confirmation)."""
        if release.status == Status.PUBLISHED or not prepublish_problems(release, at):
            return False
        query = {"at": timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")} if at else {}
        request.review_redirect = review_url(release, "publish", **query)
        self.message_user(
            request,
            "Saved, not published yet: the pre-publish checks found problems.",
            messages.WARNING,
        )
        return True

    def response_change(self, request, obj):
        if getattr(request, "review_redirect", None):
            return HttpResponseRedirect(request.review_redirect)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "review_redirect", None):
            return HttpResponseRedirect(request.review_redirect)
        return super().response_add(request, obj, post_url_continue)

    # -- the pages ------------------------------------------------------------------------

    def review_view(self, request, object_id, step):
        if step not in STEPS:
            raise Http404("No such review step.")
        title, button, editor_only, statuses = STEPS[step]
        release = self.get_object(request, object_id)
        if release is None:
            raise Http404("No such release.")
        if editor_only and not can_publish(request.user):
            raise PermissionDenied
        if not editor_only and not self.has_change_permission(request, release):
            raise PermissionDenied
        change_url = reverse("admin:releases_release_change", args=[release.pk])
        if release.status not in statuses:
            self.message_user(
                request,
                f"“{release.headline}” is {release.state_label.lower()}: "
                f"“{title}” does not apply to it.",
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        schedule = step == "approve" and request.GET.get("schedule") == "1"
        if schedule:
            title = button = "Approve and schedule"
        data = request.POST if request.method == "POST" else None
        problems = []
        if step == "submit":
            form = SubmitForm(data)
        elif step == "send-back":
            form = SendBackForm(data)
        elif step == "withdraw":
            form = WithdrawReasonForm(data)
        else:
            initial = {"published_at": _parse_local(request.GET.get("at", ""))}
            at_posted = _parse_local(request.POST.get("published_at", "")) if data else None
            problems = prepublish_problems(release, at_posted or initial["published_at"])
            form = PublicationTimeForm(data, initial=initial, problems=problems, schedule=schedule)
        if data is not None and form.is_valid():
            try:
                done = self._apply_step(request, release, step, form.cleaned_data)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, error_text(error), messages.ERROR)
            else:
                self.log_change(request, done, f"{title}.")
                if done.status == Status.PUBLISHED:
                    for text in publication_messages([done]):
                        self.message_user(request, text, messages.SUCCESS)
                else:
                    self.message_user(
                        request, f"“{done.headline}”: {title.lower()} done.", messages.SUCCESS
                    )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            "original": release,
            "state": state_note(release),
            "problems": problems,
            "thread": list(release.review_notes.select_related("author")),
            "form": form,
            "button": button,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/releases/release/review_step.html", context)

    def _apply_step(self, request, release: Release, step: str, data: dict) -> Release:
        user = request.user
        if step == "submit":
            return release_submit_for_review(release=release, user=user, note=data["note"])
        if step == "send-back":
            return release_send_back(release=release, user=user, comment=data["comment"])
        if step == "withdraw":
            return release_withdraw(release=release, user=user, reason=data["reason"])
        at = data.get("published_at")
        if release.status == Status.REVIEW:
            # Publishing a release in review is approving it, whichever page it came from.
            return release_approve(release=release, user=user, at=at)
        return release_publish(release=release, user=user, at=at)


def _parse_local(value: str):
    """A ``YYYY-MM-DDTHH:MM`` time in the current zone, or None for anything else."""
    try:
        parsed = parse_datetime(value.strip()) if value else None
    except ValueError:
        return None
    if parsed is None:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
