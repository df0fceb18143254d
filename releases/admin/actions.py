"""Lifecycle actions on the release changelist.

Every action calls a function of ``releases.services`` once per release and reports
each success and failure as a message: a release that cannot make the move is
skipped with its reason, never a server error. Hiding the editors' actions from
writers is a courtesy (``permissions=["publish"]``); the rule itself is enforced by
the services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from releases.checks import prepublish_problems
from releases.forms import PrepublishForm, ScheduleForm, WithdrawForm
from releases.models import Release, Status
from releases.services import (
    release_duplicate,
    release_publish,
    release_return_to_draft,
    release_schedule,
    release_submit_for_review,
    release_withdraw,
)
from releases.times import local_and_utc, local_time


def error_text(error: PermissionDenied | ValidationError) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You are not allowed to do that."


def publication_note(release: Release) -> str:
    """When a published release is public, with its time zone, for messages and the history.

    “public now”, “scheduled for 10 June 2025, 09:00 CEST” or “public when the embargo
    lifts at 12 June 2025, 09:00 CEST”; read from ``Release.goes_public_at``.
    """
    if release.is_published:
        return "public now"
    when = local_time(release.goes_public_at)
    if release.held_by_embargo:
        return f"public when the embargo lifts at {when}"
    return f"scheduled for {when}"


def publication_messages(releases: list[Release]) -> list[str]:
    """One message per outcome (public now, scheduled, held by an embargo), counted.

    A single release is named: “‘A’ published; public when the embargo lifts at …”.
    Several share the time when they can (“2 releases scheduled for …”), else each
    is listed with its own.
    """
    public = [r for r in releases if r.is_published]
    embargoed = [r for r in releases if not r.is_published and r.held_by_embargo]
    scheduled = [r for r in releases if not r.is_published and not r.held_by_embargo]
    texts = []
    if public:
        texts.append(f"{_subject(public)} published; public now.")
    if scheduled:
        texts.append(f"{_subject(scheduled)} scheduled{_times(scheduled, 'for')}.")
    if embargoed:
        lifts = "the embargo lifts" if len(embargoed) == 1 else "their embargoes lift"
        texts.append(
            f"{_subject(embargoed)} published; public when {lifts}{_times(embargoed, 'at')}."
        )
    return texts


def _subject(releases: list[Release]) -> str:
    if len(releases) == 1:
        return f"“{releases[0].headline}”"
    return f"{len(releases)} releases"


def _times(releases: list[Release], preposition: str) -> str:
    """“ at <time>” when the releases share it, else “: ‘A’ at <time>, ‘B’ at <time>”."""
    times = {release.goes_public_at for release in releases}
    if len(times) == 1:
        return f" {preposition} {local_time(times.pop())}"
    by_time = sorted(releases, key=lambda release: (release.goes_public_at, release.pk))
    each = ", ".join(
        f"“{release.headline}” {preposition} {local_time(release.goes_public_at)}"
        for release in by_time
    )
    return f": {each}"


def state_note(release: Release, *, with_utc: bool = False) -> str:
    """The state with its time and zone: “Embargoed until 12 June 2025, 09:00 CEST”,
    and ``with_utc`` “… 09:00 CEST (07:00 UTC)”."""
    show = local_and_utc if with_utc else local_time
    if release.status == Status.PUBLISHED and release.goes_public_at is not None:
        when = show(release.goes_public_at)
        if release.is_published:
            return f"Published, public since {when}"
        return f"Embargoed until {when}" if release.held_by_embargo else f"Scheduled for {when}"
    if release.status == Status.WITHDRAWN and release.withdrawn_at is not None:
        return f"Withdrawn on {show(release.withdrawn_at)}"
    return release.state_label


def apply_to_each(
    modeladmin,
    request,
    queryset,
    service: Callable[..., Release],
    *,
    verb: str,
    creates: bool = False,
    publishes: bool = False,
    **options,
) -> list[Release]:
    """Run ``service`` on each release; message the successes and each failure.

    ``verb`` completes “3 releases published.” and “… could not be published: …”.
    When the service ``publishes``, the successes are reported by when they become
    public (``publication_messages``) instead, since an embargo or a future time keeps
    a published release back. Each success is written to the admin history of the
    release (or of the new release when the service ``creates`` one). Returns what
    the service returned for the releases that succeeded.
    """
    done = []
    for release in queryset.order_by("pk"):
        try:
            result = service(release=release, user=request.user, **options)
        except (PermissionDenied, ValidationError) as error:
            modeladmin.message_user(
                request,
                f"“{release.headline}” could not be {verb}: {error_text(error)}",
                messages.ERROR,
            )
            continue
        done.append(result)
        if creates:
            modeladmin.log_addition(request, result, f"{capfirst(verb)} from #{release.pk}.")
        elif publishes:
            note = publication_note(result)
            modeladmin.log_change(request, result, f"{capfirst(verb)} (action); {note}.")
        else:
            modeladmin.log_change(request, result, f"{capfirst(verb)} (action).")
    if publishes:
        for text in publication_messages(done):
            modeladmin.message_user(request, text, messages.SUCCESS)
    elif done:
        noun = "release" if len(done) == 1 else "releases"
        modeladmin.message_user(request, f"{len(done)} {noun} {verb}.", messages.SUCCESS)
    return done


def intermediate_page(
    modeladmin,
    request,
    queryset,
    *,
    form,
    action: str,
    title: str,
    button: str,
    problems: dict | None = None,
):
    """A page asking for what an action needs (a time, a reason, a confirmation) before
    applying it; ``problems`` (release pk → pre-publish problems) are listed per release.

    The form posts back to the changelist with the same action and selection, plus
    ``apply``; Django's action machinery then calls the action again.
    """
    problems = problems or {}
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "notes": [
            (release, state_note(release), problems.get(release.pk, [])) for release in queryset
        ],
        "form": form,
        "action": action,
        "button": button,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/releases/release/action_form.html", context)


def prepublish_problems_of(releases, at=None) -> dict:
    """Release pk → its pre-publish problems (``releases.checks``), for those that have any."""
    # A withdrawn release is refused by the service whatever it holds: nothing to check.
    found = {
        release.pk: prepublish_problems(release, at)
        for release in releases
        if release.status != Status.WITHDRAWN
    }
    return {pk: problems for pk, problems in found.items() if problems}


@admin.action(description="Publish now…", permissions=["publish"])
def publish_now(modeladmin, request, queryset):
    # Publishing again would move a public release's date (and its place in every
    # list) to now: leave those alone.
    public = [release for release in queryset if release.is_published]
    to_publish = queryset.exclude(pk__in=[release.pk for release in public])
    problems = prepublish_problems_of(to_publish)
    # Asks first (the page is the confirmation), with the pre-publish problems listed.
    form = PrepublishForm(
        request.POST if "apply" in request.POST else None,
        problems=[p for found in problems.values() for p in found],
    )
    if not form.is_valid():
        return intermediate_page(
            modeladmin,
            request,
            queryset,
            form=form,
            action="publish_now",
            title="Publish releases now",
            button="Publish now",
            problems=problems,
        )
    for release in public:
        modeladmin.message_user(
            request,
            f"“{release.headline}” is already public; its publication time is kept.",
            messages.WARNING,
        )
    apply_to_each(
        modeladmin, request, to_publish, release_publish, verb="published", publishes=True
    )
    return None


@admin.action(description="Schedule…", permissions=["publish"])
def schedule(modeladmin, request, queryset):
    data = request.POST if "apply" in request.POST else None
    # Checked against the time asked for, once there is one (the embargo check needs it).
    probe = ScheduleForm(data)
    at = probe.cleaned_data.get("published_at") if probe.is_valid() else None
    problems = prepublish_problems_of(queryset, at)
    form = ScheduleForm(data, problems=[p for found in problems.values() for p in found])
    if form.is_valid():
        apply_to_each(
            modeladmin,
            request,
            queryset,
            release_schedule,
            verb="scheduled",
            publishes=True,
            at=form.cleaned_data["published_at"],
        )
        return None
    return intermediate_page(
        modeladmin,
        request,
        queryset,
        form=form,
        action="schedule",
        title="Schedule releases",
        button="Schedule",
        problems=problems,
    )


@admin.action(description="Submit for review", permissions=["change"])
def submit_for_review(modeladmin, request, queryset):
    apply_to_each(
        modeladmin, request, queryset, release_submit_for_review, verb="submitted for review"
    )


@admin.action(description="Return to draft", permissions=["change"])
def return_to_draft(modeladmin, request, queryset):
    apply_to_each(modeladmin, request, queryset, release_return_to_draft, verb="returned to draft")


@admin.action(description="Withdraw…", permissions=["publish"])
def withdraw(modeladmin, request, queryset):
    form = WithdrawForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        apply_to_each(
            modeladmin,
            request,
            queryset,
            release_withdraw,
            verb="withdrawn",
            reason=form.cleaned_data["reason"],
        )
        return None
    return intermediate_page(
        modeladmin,
        request,
        queryset,
        form=form,
        action="withdraw",
        title="Withdraw releases",
        button="Withdraw",
    )


@admin.action(description="Duplicate as new draft", permissions=["add"])
def duplicate(modeladmin, request, queryset):
    copies = apply_to_each(
        modeladmin, request, queryset, release_duplicate, verb="duplicated", creates=True
    )
    if copies:
        modeladmin.message_user(
            request,
            format_html(
                "New drafts: {}",
                format_html_join(
                    ", ",
                    '<a href="{}">{}</a>',
                    (
                        (reverse("admin:releases_release_change", args=[copy.pk]), copy.headline)
                        for copy in copies
                    ),
                ),
            ),
            messages.INFO,
        )
