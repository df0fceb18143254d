"""The JSON bodies of webhook deliveries (docs/webhooks.md shows them).

Every body is ``{"id", "type", "occurred_at", "release"}``: the event id, its kind, when
it happened (ISO 8601, UTC, ``Z``) and the release. For ``release.published`` and
``release.updated`` the release is what the public API says of it in a list (``RELEASE_
FIELDS``), built only from a release that is public (``public_release``); for
``release.withdrawn`` it is its identifiers only (``id``, ``slug``, ``url``), and a ping
has no release. Links are absolute on ``NEWSROOM_BASE_URL`` (root-relative paths when it is
not set). Bodies are compact JSON in UTF-8, keys in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.urls import reverse

from releases.exports.serialize import absolute_url
from releases.models import Release

RELEASE_FIELDS = (
    "id", "slug", "headline", "subheadline", "summary", "language", "url", "api_url",
    "ninjs_url", "published_at", "updated_at", "organizations", "tags",
)  # fmt: skip


def iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def site_url(path: str) -> str:
    base = settings.NEWSROOM_BASE_URL
    return absolute_url(base, path) if base else path


def public_release(release_id: int) -> Release | None:
    """The release with this id if it is public now (``published_q``), with its
    organizations in editorial order and its tags; ``None`` otherwise."""
    return (
        Release.objects.published()
        .with_organizations()
        .prefetch_related("tags")
        .filter(pk=release_id)
        .first()
    )


def release_content(release: Release) -> dict:
    """The public description of a public release (``RELEASE_FIELDS``)."""
    tags = sorted(release.tags.all(), key=lambda tag: (tag.name.casefold(), tag.pk))
    return {
        "id": release.pk,
        "slug": release.slug,
        "headline": release.headline,
        "subheadline": release.subheadline,
        "summary": release.summary,
        "language": release.language,
        "url": site_url(release.get_absolute_url()),
        "api_url": site_url(reverse("api:release-detail", kwargs={"slug": release.slug})),
        "ninjs_url": site_url(reverse("releases:download_ninjs", kwargs={"slug": release.slug})),
        "published_at": iso(release.published_at),
        "updated_at": iso(release.updated_at),
        "organizations": [
            {"name": org.name, "slug": org.slug, "url": site_url(org.get_absolute_url())}
            for org in release.organizations.all()
        ],
        "tags": [{"name": tag.name, "slug": tag.slug} for tag in tags],
    }


def release_identifiers(release_id: int, slug: str) -> dict:
    """What a withdrawal says of the release: its id, slug and (former) page URL."""
    url = site_url(reverse("releases:detail", kwargs={"slug": slug})) if slug else None
    return {"id": release_id, "slug": slug, "url": url}


def body(event_id: str, kind: str, occurred_at: dt.datetime, release: dict | None) -> str:
    """The delivery's body as text (sent as its UTF-8 bytes)."""
    payload = {"id": event_id, "type": kind, "occurred_at": iso(occurred_at)}
    if release is not None:
        payload["release"] = release
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
