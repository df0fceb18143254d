"""Pre-publish checks: what a release should have before it is published or scheduled.

``prepublish_problems(release)`` lists what to fix, each with the field to fix it in.
The admin shows them before publishing, scheduling or approving (actions, the change
form, the review buttons) and lets an editor publish anyway with an explicit
confirmation; the services do not enforce them (an import or a script may publish an
incomplete release on purpose). Source of the list: issue 8, "Review".
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.utils import timezone

from releases.models import Release, ReleaseContact, ReleaseOrganization

# Hosts that only exist on the machine that wrote the link.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})  # noqa: S104 (a name, not a bind)


@dataclass(frozen=True)
class Problem:
    """One thing to fix: ``field`` names the release field (or inline) to fix it in."""

    field: str
    message: str


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))


def bad_links(body: str) -> list[str]:
    """The ``href``s of ``body`` that lead nowhere a reader can go: empty, or local hosts.

    A missing ``href`` counts as empty (an ``<a>`` without one is a dead link to a reader).
    """
    collector = _LinkCollector()
    collector.feed(body or "")
    bad = []
    for href in collector.hrefs:
        value = (href or "").strip()
        if not value or value == "#":
            bad.append(value)
            continue
        try:
            host = urlsplit(value).hostname or ""
        except ValueError:  # an unbalanced "[" in the host: no reader can follow it
            bad.append(value)
            continue
        if is_local_host(host):
            bad.append(value)
    return bad


def is_local_host(host: str) -> bool:
    """Whether ``host`` names a machine only the writer's network reaches: ``localhost``
    and its subdomains (RFC 6761 §6.3), written with a trailing dot or not, in any case,
    and loopback, unspecified, link-local and private addresses (IPv4 or IPv6)."""
    host = host.lower().rstrip(".")
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (
        address.is_loopback or address.is_unspecified or address.is_link_local or address.is_private
    )


def prepublish_problems(release: Release, at: datetime | None = None) -> list[Problem]:
    """What to fix before ``release`` goes out, in the order of the form; ``[]`` when none.

    ``at`` is the publication time about to be set (default: the release's own, else
    now). Costs two queries (organization and contact links) for a saved release.
    """
    at = at or release.published_at or timezone.now()
    problems = []
    if not release.headline.strip():
        problems.append(Problem("headline", "Add a headline."))
    if not release.summary.strip():
        problems.append(Problem("summary", "Add a summary (the lede used in lists and feeds)."))
    if not release.dateline.strip():
        problems.append(Problem("dateline", "Add a dateline (the city the release comes from)."))
    has_organization = (
        release.pk is not None
        and ReleaseOrganization.objects.filter(release_id=release.pk).exists()
    )
    if not has_organization:
        problems.append(Problem("organizations", "Add at least one issuing organization."))
    has_contact = (
        release.pk is not None and ReleaseContact.objects.filter(release_id=release.pk).exists()
    )
    if not has_contact:
        problems.append(Problem("contacts", "Add at least one media contact."))
    if release.featured_image and not release.featured_image_alt.strip():
        problems.append(Problem("featured_image_alt", "Describe the featured image (alt text)."))
    if release.embargoed_until and release.embargoed_until < at:
        problems.append(
            Problem("embargoed_until", "The embargo must lift at or after the publication time.")
        )
    links = bad_links(release.body)
    if links:
        shown = ", ".join(f"“{href}”" if href else "an empty link" for href in links[:5])
        problems.append(
            Problem("body", f"Fix the links in the body that lead nowhere for readers: {shown}.")
        )
    return problems
