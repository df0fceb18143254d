"""The release page: public, 404, 410, 301 from an old slug, and the staff preview.

Roles: anonymous, a logged-in reader (not staff), staff without admin rights, writer,
editor.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.models import Release
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    UserFactory,
    editor,
    writer,
)

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime(2024, 9, 1, 9, 0, tzinfo=UTC)
ROLES = {
    "anonymous": None,
    "reader": UserFactory,
    "staff without rights": lambda: UserFactory(is_staff=True),
}
NOT_PUBLIC = {
    # trait → the state banner staff see in the preview
    "draft": "DRAFT",
    "in_review": "IN REVIEW",
    "scheduled": "SCHEDULED",
    "embargoed": "EMBARGOED",
}


def _client_as(client, role):
    user = ROLES[role]() if ROLES[role] else None
    if user is not None:
        client.force_login(user)
    return client


def _article(response) -> str:
    """The release's own markup, without <head> and site chrome that repeat its text."""
    html = response.content.decode()
    start = html.index("<article")
    return html[start : html.index("</article>", start)]


@pytest.fixture
def full_release():
    zeta = OrganizationFactory(name="Zeta Trust", boilerplate="Zeta Trust funds research.")
    alpha = OrganizationFactory(name="Alpha Fund", boilerplate="Alpha Fund backs founders.")
    author = AuthorFactory(name="Sam Author", bio="Sam covers science policy.")
    contact = ContactFactory(
        name="Jane Roe", role="Head of press", organization=zeta, phone="+442079460000"
    )
    return ReleaseFactory(
        headline="Zeta and Alpha launch a fund",
        subheadline="Ten million for early research",
        dateline="London",
        body="<p>The first paragraph.</p><blockquote><p>A quote.</p></blockquote>",
        published_at=PUBLISHED_AT,
        organizations=[zeta, alpha],
        contacts=[contact],
        author=author,
        tags=["research"],
    )


# -- public -----------------------------------------------------------------------------


def test_public_release_shows_all_nine_parts_in_order(client, full_release):
    response = client.get(full_release.get_absolute_url())

    assert response.status_code == 200
    article = _article(response)
    parts = [
        "FOR IMMEDIATE RELEASE",
        "Zeta and Alpha launch a fund",
        "Ten million for early research",
        # The date is a left-to-right run of its own (see test_languages).
        "<bdi>LONDON</bdi>, ",
        'dir="ltr">1 September 2024</time> —',
        "<p>The first paragraph.</p>",
        "<blockquote><p>A quote.</p></blockquote>",
        "About Zeta Trust",
        "Zeta Trust funds research.",
        "About Alpha Fund",
        "Alpha Fund backs founders.",
        "###",
        "Jane Roe",
        "Head of press",
        "+44 20 7946 0000",
        "Sam Author",
        "Sam covers science policy.",
    ]
    positions = [article.index(part) for part in parts]
    assert positions == sorted(positions), "the parts are out of order"


def test_public_release_answers_for_anyone(client, full_release):
    for role in ROLES:
        client.logout()
        response = _client_as(client, role).get(full_release.get_absolute_url())
        assert response.status_code == 200, role
        assert "preview" not in _article(response).lower()


def test_public_release_is_not_marked_as_a_preview(client, full_release):
    response = client.get(full_release.get_absolute_url())

    assert "no-store" not in response.get("Cache-Control", "")
    assert "X-Robots-Tag" not in response
    assert "Staff preview" not in response.content.decode()


def test_embargoed_release_shows_its_release_line_once_the_embargo_lifts(client):
    release = ReleaseFactory(
        published_at=PUBLISHED_AT, embargoed_until=datetime(2024, 9, 2, 6, 30, tzinfo=UTC)
    )

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert "EMBARGOED UNTIL 2 September 2024, 06:30 UTC" in _article(response)


def test_detail_query_count_does_not_grow_with_the_parts(client):
    def queries_for(count):
        release = ReleaseFactory(
            organizations=OrganizationFactory.create_batch(count),
            contacts=ContactFactory.create_batch(count),
            tags=[f"tag{n}" for n in range(count)],
        )
        for n in range(count):
            release.corrections.create(note=f"Fixed {n}.")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(release.get_absolute_url()).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(4)


# -- not public: 404 for the public, a preview for staff ---------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("trait", NOT_PUBLIC)
def test_release_that_is_not_public_is_404_for_anyone_but_staff(client, role, trait):
    release = ReleaseFactory(**{trait: True})

    response = _client_as(client, role).get(release.get_absolute_url())

    assert response.status_code == 404
    assert release.headline not in response.content.decode()


@pytest.mark.parametrize("make_staff", [editor, writer], ids=["editor", "writer"])
@pytest.mark.parametrize(("trait", "banner"), NOT_PUBLIC.items())
def test_staff_preview_a_release_that_is_not_public_under_a_state_banner(
    client, make_staff, trait, banner
):
    release = ReleaseFactory(**{trait: True})
    client.force_login(make_staff())

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert response.context["preview"] is True
    html = response.content.decode()
    assert f">{banner}<" in html
    assert release.headline in _article(response)
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control
    assert "no-store" in cache_control
    assert "noindex" in response["X-Robots-Tag"]


def test_scheduled_release_becomes_public_by_itself_when_its_time_comes(client):
    release = ReleaseFactory(published_at=timezone.now() + timedelta(days=1))
    assert client.get(release.get_absolute_url()).status_code == 404

    Release.objects.filter(pk=release.pk).update(published_at=timezone.now() - timedelta(seconds=1))

    assert client.get(release.get_absolute_url()).status_code == 200


# -- withdrawn: 410 ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_withdrawn_release_is_410_with_headline_and_date_but_no_body(client, role):
    release = ReleaseFactory(
        headline="Figures we got wrong",
        body="<p>The withdrawn text.</p>",
        published_at=PUBLISHED_AT,
        withdrawn=True,
        withdrawn_at=datetime(2024, 9, 5, 12, 0, tzinfo=UTC),
    )

    response = _client_as(client, role).get(release.get_absolute_url())

    assert response.status_code == 410
    html = response.content.decode()
    assert "Figures we got wrong" in html
    assert "5 September 2024" in html
    assert "The withdrawn text." not in html


def test_withdrawn_release_is_410_for_staff_too(client):
    release = ReleaseFactory(withdrawn=True, body="<p>The withdrawn text.</p>")
    client.force_login(editor())

    response = client.get(release.get_absolute_url())

    assert response.status_code == 410
    assert "The withdrawn text." not in response.content.decode()


@pytest.mark.parametrize("trait", ["scheduled", "embargoed"])
def test_release_withdrawn_before_it_went_public_stays_404_for_the_public(client, trait):
    release = ReleaseFactory(headline="Never went out", withdrawn=True, **{trait: True})

    response = client.get(release.get_absolute_url())

    assert response.status_code == 404
    assert "Never went out" not in response.content.decode()
    client.force_login(editor())
    assert client.get(release.get_absolute_url()).status_code == 410


# -- unknown and old slugs ------------------------------------------------------------------


def test_unknown_slug_is_404(client):
    ReleaseFactory(headline="Something else")

    response = client.get(reverse("releases:detail", kwargs={"slug": "no-such-release"}))

    assert response.status_code == 404


def test_old_slug_answers_301_to_the_current_url(client, full_release):
    full_release.slug = "zeta-alpha-fund"
    full_release.save()

    response = client.get("/releases/zeta-and-alpha-launch-a-fund/")

    assert response.status_code == 301
    assert response["Location"] == "/releases/zeta-alpha-fund/"


def test_old_slug_of_a_withdrawn_release_leads_to_the_410(client):
    release = ReleaseFactory(headline="Old name", withdrawn=True)
    release.slug = "new-name"
    release.save()

    response = client.get("/releases/old-name/", follow=True)

    assert response.redirect_chain == [("/releases/new-name/", 301)]
    assert response.status_code == 410


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("trait", NOT_PUBLIC)
def test_old_slug_of_a_release_that_is_not_public_does_not_reveal_the_new_one(client, role, trait):
    release = ReleaseFactory(headline="Secret merger talks", **{trait: True})
    release.slug = "acme-buys-globex"
    release.save()

    response = _client_as(client, role).get("/releases/secret-merger-talks/")

    assert response.status_code == 404
    assert "acme-buys-globex" not in response.get("Location", "")
    assert "acme-buys-globex" not in response.content.decode()


def test_old_slug_of_a_release_that_is_not_public_redirects_staff(client):
    release = ReleaseFactory(headline="Secret merger talks", draft=True)
    release.slug = "acme-buys-globex"
    release.save()
    client.force_login(editor())

    response = client.get("/releases/secret-merger-talks/")

    assert response.status_code == 301
    assert response["Location"] == "/releases/acme-buys-globex/"
