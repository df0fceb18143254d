"""Crawl the demo newsroom as an anonymous reader, from the home page, by links alone.

Every page reached answers 200 (or redirects within the site), every URL of the
contract is reachable without typing an address, and no response anywhere contains
the headline of a release that is not public.

Facet links multiply (each filtered page links to narrower ones), so the crawl follows
every link of the unfiltered pages (pagination counts as unfiltered), and of the links
that add a filter it fetches two per page and kind of filter, without reading theirs.
Per-release downloads (PDF) are sampled the same way: two of them.
"""

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from releases.models import Release

SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")
HOSTS = ("", "testserver")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        href = attrs.get("href")
        if not href:
            return
        if tag == "a" or (tag == "link" and attrs.get("rel") in ("alternate", "canonical")):
            self.hrefs.append(href)


def same_site(base, href):
    """The path and query of ``href`` when it points into this site; else None."""
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http", "https") or url.hostname not in (None, *HOSTS):
        return None
    if url.path.startswith(SKIPPED_PREFIXES):
        return None
    return f"{url.path}?{url.query}" if url.query else url.path


def filters_of(url):
    return [key for key, _ in parse_qsl(urlsplit(url).query) if key != "page"]


SAMPLES = 2
# Downloads rendered per release (a PDF takes most of a second; a media kit holds one):
# sampled like filters.
SAMPLED_DOWNLOADS = (".pdf", ".zip")


def sample_kind(url):
    """What ``url`` is one of many of, when only a few of them are fetched; else None."""
    path = urlsplit(url).path
    if path.endswith(SAMPLED_DOWNLOADS):
        return path.rsplit(".", 1)[-1]
    kinds = filters_of(url)
    return (path, tuple(sorted(kinds))) if kinds else None


def crawl(client):
    """BFS from "/": {url: response} of every page fetched."""
    seen, queue, responses = {"/"}, deque(["/"]), {}
    samples = Counter()
    while queue:
        url = queue.popleft()
        response = client.get(url)
        responses[url] = response
        if response.status_code in (301, 302):
            target = same_site(url, response["Location"])
            assert target is not None, f"{url} redirects off the site"
            if target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if not response["Content-Type"].startswith("text/html") or filters_of(url):
            continue
        parser = LinkParser()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = same_site(url, href)
            if not target or target in seen:
                continue
            kind = sample_kind(target)
            if kind:
                if samples[kind] >= SAMPLES:
                    continue
                samples[kind] += 1
            seen.add(target)
            queue.append(target)
    return responses


def optional_reverse(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.fixture(scope="module")
def crawled(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import Client

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        cache.clear()
        hidden = list(
            Release.objects.exclude(pk__in=Release.objects.published()).values_list(
                "headline", flat=True
            )
        )
        yield crawl(Client()), hidden
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def _db(db):
    """The crawl's data stays in its module-wide transaction."""


def test_every_page_reached_by_links_answers_200_or_a_same_site_redirect(crawled):
    responses, _ = crawled
    failures = {
        url: response.status_code
        for url, response in responses.items()
        if response.status_code not in (200, 301, 302)
    }
    assert not failures
    assert len(responses) > 150


def test_every_url_of_the_contract_is_reached_by_links_alone(crawled):
    responses, _ = crawled
    urls = [url.split("?")[0] for url, r in responses.items() if r.status_code == 200]
    patterns = {
        "home": r"/",
        "list": r"/releases/",
        "year archive": r"/releases/\d{4}/",
        "month archive": r"/releases/\d{4}/\d{2}/",
        "tag index": r"/tags/",
        "tag page": r"/tags/[\w-]+/",
        "organization page": r"/organizations/[\w-]+/",
        "author page": r"/authors/[\w-]+/",
        "corrections log": r"/corrections/",
        "release detail": r"/releases/(?!\d{4}/)[\w-]*[a-z][\w-]*/",
        "a second page of the list": None,
    }
    for name, pattern in patterns.items():
        if pattern is None:
            continue
        assert any(re.fullmatch(pattern, url) for url in urls), f"no {name} reached"
    assert "/releases/?page=2" in responses
    for name in ("releases:feed_atom", "releases:feed_rss", "releases:feed_corrections"):
        feed = optional_reverse(name)
        if feed:  # the feeds are another part of the site; checked once they exist
            assert feed in urls, f"{feed} not reached"


def test_no_response_contains_a_release_that_is_not_public(crawled):
    responses, hidden = crawled
    assert hidden, "the demo content should include drafts, scheduled releases…"
    for url, response in responses.items():
        # The media kit is streamed; its text member is deflated, its PDF not searchable
        # here: tests/test_media_kit.py checks what it holds.
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode(errors="replace")
        for headline in hidden:
            for form in {headline, headline.replace("&", "&amp;").replace("'", "&#x27;")}:
                assert form not in body, f"{url} shows the hidden release “{headline}”"
