"""Write the demo content to the database, idempotently.

Every row is keyed on a natural key (organization name, author name, contact name and
email, release slug, tag name, correction note), so loading twice updates rows in
place and never duplicates them. The loader writes through the ORM directly, not
through ``releases.services``: it is a setup tool, not an editor, and so needs no
user. It still respects the lifecycle invariants the models enforce. Images and
attachments (``releases.demo.media``) are drawn once and kept on later loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from releases.demo import content, media
from releases.demo.content import DemoRelease
from releases.models import (
    Attachment,
    Author,
    Contact,
    Correction,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    Status,
)


@dataclass(frozen=True)
class LoadResult:
    organizations: int
    authors: int
    contacts: int
    tags: int
    releases: int
    drafts: int
    in_review: int
    scheduled: int
    embargoed: int
    withdrawn: int
    public: int
    corrections: int
    images: int
    attachments: int

    def __str__(self) -> str:
        return (
            f"Loaded {self.organizations} organizations, {self.authors} authors, "
            f"{self.contacts} contacts, {self.tags} tags, {self.releases} releases "
            f"({self.drafts} drafts, {self.in_review} in review, {self.scheduled} scheduled, "
            f"{self.embargoed} embargoed, {self.withdrawn} withdrawn), "
            f"{self.corrections} corrections, {self.images} featured images, "
            f"{self.attachments} attachments; {self.public} public."
        )


def local_time(now: datetime, days: int, hhmm: str) -> datetime:
    """``hhmm`` local time on the day ``days`` from ``now`` (negative = in the past).

    Whole days and fixed clock times keep a second load on the same day from moving
    any timestamp.
    """
    local = timezone.localtime(now)
    hours, minutes = (int(part) for part in hhmm.split(":"))
    day = local.date() + timedelta(days=days)
    return datetime.combine(day, time(hours, minutes), tzinfo=local.tzinfo)


def release_times(item: DemoRelease, now: datetime) -> dict:
    """Status and the times that go with it, honouring the model's check constraints."""
    times = {
        "status": item.status,
        "published_at": None,
        "embargoed_until": None,
        "withdrawn_at": None,
        "withdrawal_reason": "",
    }
    if item.status in (Status.DRAFT, Status.REVIEW):
        return times
    if item.days_ahead is not None:
        times["published_at"] = local_time(now, item.days_ahead, item.at)
    else:
        times["published_at"] = local_time(now, -item.days_ago, item.at)
    if item.embargo_days_ahead is not None:
        times["embargoed_until"] = local_time(now, item.embargo_days_ahead, item.embargo_at)
    if item.status == Status.WITHDRAWN:
        times["withdrawn_at"] = local_time(now, -item.withdrawn_days_ago, "16:00")
        times["withdrawal_reason"] = item.withdrawal_reason
    return times


def render_body(item: DemoRelease) -> str:
    """The body as a release reads and the editor shows it: the lede, paragraphs, a
    quote, subheadings (h2) over the key facts (a list) and the closing link."""
    parts = [f"<p>{escape(item.summary)}</p>", f"<p>{item.paragraphs[0]}</p>"]
    if item.quote:
        words, speaker = item.quote
        parts.append(f"<blockquote><p>“{words}”</p><p>— {speaker}</p></blockquote>")
    parts.extend(f"<p>{paragraph}</p>" for paragraph in item.paragraphs[1:])
    if item.bullets:
        lead_in, items = item.bullets
        parts.append("<h2>Key facts</h2>")
        parts.append(f"<p>{lead_in}</p>")
        parts.append("<ul>" + "".join(f"<li>{entry}</li>" for entry in items) + "</ul>")
    if item.closing:
        parts.append("<h2>More information</h2>")
        parts.append(f"<p>{item.closing}</p>")
    return "\n".join(parts)


def _sync_ordered(through, release: Release, field: str, targets: list) -> None:
    """Make ``release``'s ordered through-rows exactly ``targets``, updating in place."""
    through.objects.filter(release=release).exclude(
        **{f"{field}__in": [target.pk for target in targets]}
    ).delete()
    for position, target in enumerate(targets):
        through.objects.update_or_create(
            release=release, **{field: target}, defaults={"position": position}
        )


def _tag(name: str) -> Tag:
    # Case-insensitive, like the project's TAGGIT_CASE_INSENSITIVE setting.
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)


@transaction.atomic
def load_demo(now: datetime | None = None, *, with_media: bool = True) -> LoadResult:
    """Load (or repair) the demo rows. ``with_media=False`` skips drawing images and
    files (``releases.demo.media``, most of the time taken) and leaves those already
    stored as they are."""
    now = now or timezone.now()

    organizations = {}
    for org in content.ORGANIZATIONS:
        organizations[org.short_name], _ = Organization.objects.update_or_create(
            name=org.name,
            defaults={
                "short_name": org.short_name,
                "boilerplate": org.boilerplate,
                "website": org.website,
                "location": org.location,
            },
        )
        if with_media:
            media.sync_logo(organizations[org.short_name])

    authors = {}
    for person in content.AUTHORS:
        authors[person.name], _ = Author.objects.update_or_create(
            name=person.name,
            defaults={"bio": person.bio, "organization": organizations[person.organization]},
        )

    contacts = {}
    for person in content.CONTACTS:
        contacts[person.email], _ = Contact.objects.update_or_create(
            name=person.name,
            email=person.email,
            defaults={
                "role": person.role,
                "organization": organizations[person.organization],
                "phone": person.phone,
            },
        )

    tags = {name: _tag(name) for name in content.TAGS}

    for item in content.RELEASES:
        release, _ = Release.objects.update_or_create(
            slug=item.slug,
            defaults={
                "headline": item.headline,
                "subheadline": item.subheadline,
                "dateline": item.dateline,
                "summary": item.summary,
                "body": render_body(item),
                "author": authors[item.author],
                "language": item.language,
                **release_times(item, now),
            },
        )
        _sync_ordered(
            ReleaseOrganization,
            release,
            "organization",
            [organizations[name] for name in item.organizations],
        )
        _sync_ordered(
            ReleaseContact, release, "contact", [contacts[email] for email in item.contacts]
        )
        release.tags.set([tags[name] for name in item.tags])
        _sync_corrections(release, item)
        if with_media:
            media.sync_featured_image(release)
            media.sync_attachments(release)

    return summarize(now)


def _sync_corrections(release: Release, item: DemoRelease) -> None:
    notes = [note for _, note in item.corrections]
    release.corrections.exclude(note__in=notes).delete()
    for days_after, note in item.corrections:
        Correction.objects.update_or_create(
            release=release,
            note=note,
            defaults={"noted_at": release.published_at + timedelta(days=days_after)},
        )


def summarize(now: datetime) -> LoadResult:
    """Count what the demo put in the database (only the demo's own rows)."""
    releases = Release.objects.filter(slug__in=[item.slug for item in content.RELEASES])
    published = releases.filter(status=Status.PUBLISHED)
    return LoadResult(
        organizations=Organization.objects.filter(
            name__in=[org.name for org in content.ORGANIZATIONS]
        ).count(),
        authors=Author.objects.filter(name__in=[a.name for a in content.AUTHORS]).count(),
        contacts=Contact.objects.filter(email__in=[c.email for c in content.CONTACTS]).count(),
        tags=Tag.objects.filter(name__in=content.TAGS).count(),
        releases=releases.count(),
        drafts=releases.filter(status=Status.DRAFT).count(),
        in_review=releases.filter(status=Status.REVIEW).count(),
        scheduled=published.filter(published_at__gt=now).count(),
        embargoed=published.filter(published_at__lte=now, embargoed_until__gt=now).count(),
        withdrawn=releases.filter(status=Status.WITHDRAWN).count(),
        public=releases.published(now).count(),
        corrections=Correction.objects.filter(release__in=releases).count(),
        images=releases.exclude(featured_image="").count(),
        attachments=Attachment.objects.filter(release__in=releases).count(),
    )
