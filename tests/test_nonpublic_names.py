"""Nothing non-public is named anywhere public (issue 7, point 3).

An organization, author or tag whose only releases are drafts, in review, scheduled,
embargoed or withdrawn (a merger partner before the announcement) does not exist for
anonymous users: its page is a 404, a filter naming it is answered exactly as a filter
naming a slug that does not exist (400 "Unknown …", with no name), and no list, feed,
API answer, sitemap, facet or search result names it. Each case is checked against the
same kind made public, which every surface then names, so the tests can fail.
"""

from __future__ import annotations

import pytest
from taggit.models import Tag

from releases.models import Author, Organization
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

# Names found nowhere else in a page: a search for them in a body is a search for a leak.
NAMES = {
    "organization": "Quillforge Holdings",
    "author": "Ottoline Brackwater",
    "tag": "Quillforge merger",
}
SLUGS = {
    "organization": "quillforge-holdings",
    "author": "ottoline-brackwater",
    "tag": "quillforge-merger",
}
SHORT_NAME = "QFHX"  # an organization's acronym names it too (feed titles use it)
# No row has it; answers to it are compared with the subject's after replacing it.
UNKNOWN_SLUG = "noexistentslugzz"

STATES = {
    "draft": {"draft": True},
    "review": {"in_review": True},
    "scheduled": {"scheduled": True},
    "embargoed": {"embargoed": True},
    "withdrawn": {"withdrawn": True},
    "public": {},
}
NON_PUBLIC = [state for state in STATES if state != "public"]
# A word only the subject's release uses, for the search surfaces.
SECRET_WORD = "brumblewick"


def _make(kind: str, state: str) -> None:
    """A public release of someone else (so the pages have content), and a release in
    ``state`` carrying the ``kind`` under test."""
    ReleaseFactory(
        headline="Harbour authority opens the new quay",
        organizations=[OrganizationFactory(name="Harbour Authority")],
        tags=["harbours"],
    )
    subject = {
        "organization": lambda: {
            "organizations": [
                OrganizationFactory(name=NAMES[kind], short_name=SHORT_NAME, slug=SLUGS[kind])
            ]
        },
        "author": lambda: {"author": AuthorFactory(name=NAMES[kind])},
        "tag": lambda: {"tags": [NAMES[kind]]},
    }[kind]()
    ReleaseFactory(
        headline=f"Harbour Authority to merge, says {SECRET_WORD} memo",
        summary=f"The {SECRET_WORD} deal.",
        **STATES[state],
        **subject,
    )
    assert {
        "organization": Organization.objects.filter(slug=SLUGS[kind]),
        "author": Author.objects.filter(slug=SLUGS[kind]),
        "tag": Tag.objects.filter(slug=SLUGS[kind]),
    }[kind].exists()


def _page_url(kind: str, slug: str) -> str:
    return {"organization": "/organizations/", "author": "/authors/", "tag": "/tags/"}[kind] + (
        f"{slug}/"
    )


def _filtered_urls(kind: str, slug: str) -> list[str]:
    query = f"?{kind}={slug}"
    return [
        f"/releases/{query}",
        f"/releases/{query}&q=harbour",
        f"/feeds/releases.atom{query}",
        f"/feeds/releases.rss{query}",
        f"/api/releases/{query}",
    ]


# Everything an anonymous reader, crawler or client reads without naming the subject.
UNNAMED_URLS = [
    "/",
    "/releases/",
    "/tags/",
    "/feeds/releases.atom",
    "/feeds/releases.rss",
    "/api/releases/",
    "/api/organizations/",
    "/api/tags/",
    "/sitemap.xml",
    "/sitemap-tags.xml",
    "/sitemap-organizations.xml",
    "/sitemap-authors.xml",
    f"/releases/?q={SECRET_WORD}",
    "/releases/?q=merge",
    f"/api/releases/?q={SECRET_WORD}",
    f"/feeds/releases.atom?q={SECRET_WORD}",
]


def _assert_unnamed(response, kind):
    body = response.content.decode()
    assert NAMES[kind] not in body, response.request["PATH_INFO"]
    assert kind != "organization" or SHORT_NAME not in body, response.request["PATH_INFO"]
    # The slug gives the name away as well, except where the reader typed it.
    asked = response.request["PATH_INFO"] + response.request.get("QUERY_STRING", "")
    typed = SLUGS[kind] in asked
    assert typed or SLUGS[kind] not in body, response.request["PATH_INFO"]


@pytest.mark.parametrize("state", NON_PUBLIC)
@pytest.mark.parametrize("kind", NAMES)
def test_a_subject_of_non_public_releases_only_has_no_page(client, kind, state):
    _make(kind, state)
    response = client.get(_page_url(kind, SLUGS[kind]))
    assert response.status_code == 404
    _assert_unnamed(response, kind)


@pytest.mark.parametrize("state", NON_PUBLIC)
@pytest.mark.parametrize("kind", NAMES)
def test_a_filter_on_it_is_answered_as_a_slug_that_does_not_exist(client, kind, state):
    _make(kind, state)
    for url, unknown_url in zip(
        _filtered_urls(kind, SLUGS[kind]), _filtered_urls(kind, UNKNOWN_SLUG), strict=True
    ):
        response, unknown = client.get(url), client.get(unknown_url)
        assert response.status_code == 400, url
        _assert_unnamed(response, kind)
        # Byte for byte the answer to a typo, but for the slug the reader typed.
        assert response.content.decode() == unknown.content.decode().replace(
            UNKNOWN_SLUG, SLUGS[kind]
        ), url


@pytest.mark.parametrize("state", NON_PUBLIC)
@pytest.mark.parametrize("kind", NAMES)
def test_no_list_feed_api_sitemap_facet_or_search_names_it(client, kind, state):
    _make(kind, state)
    for url in UNNAMED_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_unnamed(response, kind)
    assert client.get(f"/api/organizations/{SLUGS['organization']}/").status_code == 404


@pytest.mark.parametrize("state", NON_PUBLIC)
@pytest.mark.parametrize("kind", NAMES)
def test_searching_for_its_name_finds_nothing(client, kind, state):
    _make(kind, state)
    for url in ("/releases/", "/api/releases/", "/feeds/releases.atom"):
        response = client.get(url, {"q": NAMES[kind].split()[0]})
        assert response.status_code == 200, url
        assert SECRET_WORD not in response.content.decode(), url
    assert client.get("/api/releases/", {"q": NAMES[kind]}).json()["count"] == 0


@pytest.mark.parametrize("kind", NAMES)
def test_once_public_every_surface_names_it(client, kind):
    _make(kind, "public")
    response = client.get(_page_url(kind, SLUGS[kind]))
    assert response.status_code == 200
    assert NAMES[kind] in response.content.decode()
    for url in _filtered_urls(kind, SLUGS[kind]):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert NAMES[kind] in body or SECRET_WORD in body, url
    named_in = {
        "organization": ["/", "/releases/", "/api/organizations/", "/sitemap-organizations.xml"],
        "author": ["/feeds/releases.atom", "/api/releases/", "/sitemap-authors.xml"],
        "tag": ["/", "/releases/", "/tags/", "/api/tags/", "/sitemap-tags.xml"],
    }[kind]
    for url in named_in:
        body = client.get(url).content.decode()
        assert NAMES[kind] in body or SLUGS[kind] in body, url
    searched = client.get(f"/releases/?q={SECRET_WORD}").content.decode()
    assert "Harbour Authority to merge" in searched
    if kind != "author":  # release text, tags and organizations are searched, not authors
        found = client.get("/api/releases/", {"q": NAMES[kind].split()[0]}).json()
        assert found["count"] == 1


def test_staff_export_may_filter_on_a_draft_only_organization():
    from releases.management.commands.export_releases import export_queryset

    _make("organization", "draft")
    options = {
        "status": "all",
        "tag": [],
        "organization": SLUGS["organization"],
        "author": None,
        "year": None,
        "month": None,
        "date_from": None,
        "date_to": None,
        "q": None,
    }
    (release,) = export_queryset(options)
    assert SECRET_WORD in release.headline
