"""Pre-publish checks: what a release should have before it is published or scheduled.

``prepublish_problems(release)`` lists what to fix, each with the field to fix it in.
The admin shows them before publishing, scheduling or approving (actions, the change
form, the review buttons) and lets an editor publish anyway with an explicit
confirmation; the services do not enforce them (an import or a script may publish an
incomplete release on purpose). Source of the list: issue 8, "Review".
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
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


# Names no reader outside the writer's network resolves: RFC 6761 (localhost), RFC 6762
# (.local, mDNS), RFC 8375 (home.arpa), and the .internal/.lan names of private networks.
LOCAL_SUFFIXES = (".localhost", ".local", ".home.arpa", ".internal", ".lan")
# RFC 6598's shared address space (carrier-grade NAT): reachable inside one ISP only.
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")


def is_local_host(host: str) -> bool:
    """Whether ``host`` names a machine only the writer's network reaches.

    The host is first read the way browsers read it (WHATWG URL): Unicode folded to ASCII
    (full-width letters, the ideographic full stop), a trailing dot dropped, and an IPv4
    address in any of the forms ``inet_aton`` accepts (``127.1``, ``0x7f000001``,
    ``2130706433``, ``0177.0.0.1``, ``0``). Local are ``localhost`` and its subdomains and
    the ``LOCAL_SUFFIXES``, and loopback, unspecified, link-local, private and shared
    (RFC 6598) addresses, IPv4 or IPv6.
    """
    with contextlib.suppress(UnicodeError):  # not a valid name: judged as written
        host = host.encode("idna").decode("ascii")
    host = host.lower().rstrip(".")
    if host in LOCAL_HOSTS or host.endswith(LOCAL_SUFFIXES):
        return True
    address = _address(host)
    if address is None:
        return False
    return (
        address.is_loopback
        or address.is_unspecified
        or address.is_link_local
        or address.is_private
        or address in SHARED_ADDRESS_SPACE
    )


def _address(host: str):
    """``host`` as an IP address (IPv6, or IPv4 in any ``inet_aton`` form), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(c in "0123456789abcdefx." for c in host):
        return None  # a name, not a number: inet_aton would not read it either
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


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
