"""Conditional GET for public pages: ETag / Last-Modified validators and the 304."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from releases.freshness import etag_for

# Short enough that a correction reaches readers quickly; revalidation is cheap (304).
PUBLIC_MAX_AGE = 60


@dataclass(frozen=True)
class Validators:
    """The validators of one public page: an ETag of ``parts``, and when it last changed."""

    etag: str
    last_modified: dt.datetime | None = None

    @classmethod
    def of(cls, *parts: object, last_modified: dt.datetime | None = None) -> Validators:
        return cls(quote_etag(etag_for(*parts)), last_modified)

    def apply(self, response: HttpResponse) -> HttpResponse:
        response.headers["ETag"] = self.etag
        if self.last_modified is not None:
            response.headers["Last-Modified"] = http_date(self.last_modified.timestamp())
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    def not_modified(self, request) -> HttpResponse | None:
        """The 304 (with these headers) when the client's copy is current; else None."""
        headers = self.apply(HttpResponse())
        response = get_conditional_response(
            request,
            etag=self.etag,
            last_modified=int(self.last_modified.timestamp()) if self.last_modified else None,
            response=headers,
        )
        return None if response is headers else response


def release_validators(release, *neighbours) -> Validators:
    """The validators of a public release page.

    The ETag covers what the page prints beyond the release row: its organizations'
    versions, and the people, tags, corrections and files it shows (none has a
    timestamp; all are prefetched, so this costs no query), and the neighbours it
    links to. No Last-Modified: a contact's new phone number has no date to compare.
    """
    organizations = [(o.pk, o.updated_at.isoformat()) for o in release.organizations.all()]
    author = release.author
    return Validators.of(
        release.pk,
        release.updated_at.isoformat(),
        organizations,
        author and (author.pk, author.name, author.slug, author.bio, str(author.photo)),
        [
            (c.pk, c.name, c.role, c.email, str(c.phone), c.organization and c.organization.name)
            for c in release.contacts.all()
        ],
        [(t.slug, t.name) for t in release.tags.all()],
        [(c.pk, c.noted_at.isoformat(), c.note) for c in release.corrections.all()],
        [
            (a.pk, a.title, a.description, str(a.file), a.content_type, a.size)
            for a in release.attachments.all()
        ],
        [n and (n.pk, n.slug, n.headline) for n in neighbours],
    )
