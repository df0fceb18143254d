"""The admin index as a dashboard for the day (``templates/admin/index.html``).

Editors (``releases.publish_release``) see what waits for them: releases in review,
scheduled ones (with the time each goes live), embargoed ones (with the lift time),
the recently published and the recently withdrawn. Writers see what came back to them
(drafts whose last review note sends them back), their own drafts and what they have
in review. Each section is one query, capped at ``LIMIT`` rows, whatever the data.

Apps built on ``releases`` add to the embargoed section without ``releases``
importing them: ``register_embargo_link_counter(counter)`` where ``counter(ids)``
answers ``{release id: number of links out}`` in one query (the sharing app counts
its live embargo links). With no counter registered the dashboard says nothing
about links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from releases.models import Release, ReviewNote, Status
from releases.services import can_publish
from releases.times import local_and_utc

LIMIT = 10

LinkCounter = Callable[[list[int]], dict[int, int]]
_link_counters: list[LinkCounter] = []


def register_embargo_link_counter(counter: LinkCounter) -> LinkCounter:
    """Register ``counter(release_ids) -> {release_id: links out}`` (usable as a decorator).

    Registered once per process (``AppConfig.ready``); registering the same function
    again is a no-op. Each counter costs its own queries on every dashboard view.
    """
    if counter not in _link_counters:
        _link_counters.append(counter)
    return counter


def unregister_embargo_link_counter(counter: LinkCounter) -> None:
    if counter in _link_counters:
        _link_counters.remove(counter)


def embargo_link_counts(release_ids: list[int]) -> dict[int, int] | None:
    """Links out per release, summed over the registered counters; ``None`` without any."""
    if not _link_counters:
        return None
    counts = dict.fromkeys(release_ids, 0)
    if release_ids:
        for counter in _link_counters:
            for release_id, count in counter(release_ids).items():
                if release_id in counts:
                    counts[release_id] += count
    return counts


@dataclass(frozen=True)
class Row:
    """One line of a section: the release, a note (a time with its zone, a comment),
    and, for embargoed releases when a counter is registered, the links out."""

    release: Release
    note: str = ""
    links: int | None = None

    @property
    def url(self) -> str:
        return reverse("admin:releases_release_change", args=[self.release.pk])


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: list[Row]
    empty: str


def _latest_note(field: str) -> Subquery:
    notes = ReviewNote.objects.filter(release=OuterRef("pk")).order_by("-created_at", "-id")
    return Subquery(notes.values(field)[:1])


def _rows(queryset: Iterable[Release], note: Callable[[Release], str]) -> list[Row]:
    return [Row(release, note(release)) for release in queryset]


def dashboard_sections(user, now=None) -> list[Section]:
    """The sections ``user`` sees, in order. One query per section (``LIMIT`` rows each),
    plus the registered link counters' for editors."""
    now = now or timezone.now()
    releases = Release.objects.only(
        "pk", "headline", "status", "published_at", "embargoed_until", "withdrawn_at"
    )
    if can_publish(user):
        return _editor_sections(releases, now)
    return _writer_sections(releases, user)


def _editor_sections(releases, now) -> list[Section]:
    held_by_embargo = Q(embargoed_until__gte=F("published_at"))
    waiting = releases.filter(status=Status.REVIEW).annotate(
        submitted_at=_latest_note("created_at")
    )
    scheduled = releases.scheduled(now).exclude(held_by_embargo).order_by("published_at", "pk")
    embargoed = releases.scheduled(now).filter(held_by_embargo).order_by("embargoed_until", "pk")
    published = releases.published(now).order_by("-published_at", "-pk")
    withdrawn = releases.withdrawn().order_by("-withdrawn_at", "-pk")

    embargoed = list(embargoed[:LIMIT])
    counts = embargo_link_counts([release.pk for release in embargoed])
    embargoed_rows = [
        Row(
            release,
            f"embargo lifts {local_and_utc(release.goes_public_at)}",
            None if counts is None else counts.get(release.pk, 0),
        )
        for release in embargoed
    ]
    return [
        Section(
            "review",
            "Waiting for review",
            _rows(
                waiting.order_by(F("submitted_at").asc(nulls_last=True), "pk")[:LIMIT],
                lambda r: f"submitted {local_and_utc(r.submitted_at)}" if r.submitted_at else "",
            ),
            "Nothing waits for review.",
        ),
        Section(
            "scheduled",
            "Scheduled",
            _rows(scheduled[:LIMIT], lambda r: f"goes live {local_and_utc(r.published_at)}"),
            "Nothing scheduled.",
        ),
        Section("embargoed", "Embargoed", embargoed_rows, "Nothing under embargo."),
        Section(
            "published",
            "Recently published",
            _rows(published[:LIMIT], lambda r: f"public since {local_and_utc(r.goes_public_at)}"),
            "Nothing published yet.",
        ),
        Section(
            "withdrawn",
            "Recently withdrawn",
            _rows(withdrawn[:LIMIT], lambda r: f"withdrawn {local_and_utc(r.withdrawn_at)}"),
            "Nothing withdrawn.",
        ),
    ]


def _writer_sections(releases, user) -> list[Section]:
    drafts = releases.filter(status=Status.DRAFT).annotate(
        last_kind=_latest_note("kind"), last_text=_latest_note("text")
    )
    came_back = drafts.filter(last_kind=ReviewNote.Kind.SENT_BACK).filter(
        Q(created_by=user)
        | Q(review_notes__author=user, review_notes__kind=ReviewNote.Kind.SUBMITTED)
    )
    # Spelled out: NOT (last_kind = 'sent_back') is NULL, not true, for a draft without notes.
    own_drafts = drafts.filter(created_by=user).filter(
        Q(last_kind__isnull=True) | ~Q(last_kind=ReviewNote.Kind.SENT_BACK)
    )
    in_review = releases.filter(status=Status.REVIEW).filter(
        Q(created_by=user)
        | Q(review_notes__author=user, review_notes__kind=ReviewNote.Kind.SUBMITTED)
    )
    return [
        Section(
            "came_back",
            "Came back to you",
            _rows(
                came_back.distinct().order_by("-updated_at", "-pk")[:LIMIT], lambda r: r.last_text
            ),
            "Nothing came back to you.",
        ),
        Section(
            "drafts",
            "Your drafts",
            _rows(own_drafts.order_by("-updated_at", "-pk")[:LIMIT], lambda r: ""),
            "No drafts of yours.",
        ),
        Section(
            "in_review",
            "Yours in review",
            _rows(in_review.distinct().order_by("-updated_at", "-pk")[:LIMIT], lambda r: ""),
            "Nothing of yours in review.",
        ),
    ]
