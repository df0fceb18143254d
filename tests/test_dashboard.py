"""The admin index is a dashboard for the day (issue 8, "Review"): editors see what waits
for review, what is scheduled and embargoed (with the time and zone), what was recently
published and withdrawn; writers see what came back to them and their drafts. A fixed
number of queries whatever the data."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from releases import dashboard
from releases.services import release_send_back, release_submit_for_review
from tests.factories import ReleaseFactory, editor, writer

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
JUNE_10 = datetime(2099, 6, 10, 7, 0, tzinfo=UTC)
JUNE_11 = JUNE_10 + timedelta(days=1)


def section(html: str, key: str) -> str:
    start = html.index(f'id="dashboard-{key}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def berlin(settings):
    settings.TIME_ZONE = "Europe/Berlin"


def test_anonymous_users_get_the_login_page_not_the_dashboard(client):
    ReleaseFactory(in_review=True, headline="Secret merger")
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "Secret merger" not in client.get(response["Location"]).content.decode()


def test_editor_sees_each_section_with_times_in_the_zone(client, berlin):
    ReleaseFactory(in_review=True, headline="Waiting one")
    ReleaseFactory(headline="Later one", published_at=JUNE_10)
    ReleaseFactory(headline="Held one", published_at=JUNE_10, embargoed_until=JUNE_11)
    ReleaseFactory(headline="Public one")
    ReleaseFactory(
        headline="Gone one", withdrawn=True, withdrawn_at=JUNE_10 - timedelta(days=30000)
    )
    client.force_login(editor())
    html = client.get(INDEX).content.decode()
    assert "Waiting one" in section(html, "review")
    assert "Later one" in section(html, "scheduled")
    assert "goes live 10 June 2099, 09:00 CEST" in section(html, "scheduled")
    assert "Held one" in section(html, "embargoed")
    assert "embargo lifts 11 June 2099, 09:00 CEST" in section(html, "embargoed")
    assert "Held one" not in section(html, "scheduled")
    assert "Public one" in section(html, "published")
    assert "Gone one" in section(html, "withdrawn")
    # The app list stays below the dashboard.
    assert html.index('id="dashboard"') < html.index('id="content-main"')
    assert 'class="app-releases' in html


def test_editor_sees_nothing_about_links_when_no_app_counts_them(client):
    ReleaseFactory(headline="Held one", embargoed=True)
    counters = list(dashboard._link_counters)
    dashboard._link_counters.clear()
    try:
        client.force_login(editor())
        html = client.get(INDEX).content.decode()
    finally:
        dashboard._link_counters.extend(counters)
    assert "Held one" in section(html, "embargoed")
    assert "link" not in section(html, "embargoed").split("</h2>", 1)[1].replace("href", "")


def test_the_sharing_app_counts_the_live_embargo_links_of_each_release(client):
    from newsroom.sharing.services import RecipientData, revoke, share_release

    held = ReleaseFactory(headline="Held one", embargoed=True)
    ReleaseFactory(headline="Held two", embargoed=True)
    boss = editor()
    links = share_release(
        release=held,
        recipients=[
            RecipientData(name=f"Reporter {n}", email=f"r{n}@example.org") for n in (1, 2, 3)
        ],
        user=boss,
    )
    revoke(link=links[0].link, user=boss)
    client.force_login(boss)
    embargoed = section(client.get(INDEX).content.decode(), "embargoed")

    held_row, other_row = embargoed.split("Held two")[0], embargoed.split("Held two")[1]
    assert "2 links out" in held_row
    assert "0 links out" in other_row


def test_a_registered_counter_fills_the_links_out_of_each_embargoed_release(client):
    held = ReleaseFactory(headline="Held one", embargoed=True)

    def counter(ids):
        return {held.pk: 3}

    dashboard.register_embargo_link_counter(counter)
    try:
        client.force_login(editor())
        html = client.get(INDEX).content.decode()
    finally:
        dashboard.unregister_embargo_link_counter(counter)
    assert "3 links out" in section(html, "embargoed")


def test_headlines_on_the_dashboard_are_escaped(client):
    ReleaseFactory(in_review=True, headline="<img src=x onerror=alert(1)>")
    client.force_login(editor())
    html = client.get(INDEX).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in section(html, "review")


def test_writer_sees_what_came_back_and_their_drafts_not_the_editors_sections(client):
    author = writer()
    came_back = ReleaseFactory(draft=True, headline="Came back", created_by=author)
    release_submit_for_review(release=came_back, user=author, note="Please look.")
    release_send_back(release=came_back, user=editor(), comment="Add the <b>CEO</b> quote.")
    ReleaseFactory(draft=True, headline="My draft", created_by=author)
    ReleaseFactory(draft=True, headline="Someone else's draft")
    mine_in_review = ReleaseFactory(draft=True, headline="Mine in review", created_by=author)
    release_submit_for_review(release=mine_in_review, user=author)
    client.force_login(author)
    html = client.get(INDEX).content.decode()
    assert "Came back" in section(html, "came_back")
    assert "Add the &lt;b&gt;CEO&lt;/b&gt; quote." in section(html, "came_back")
    assert "My draft" in section(html, "drafts")
    assert "Came back" not in section(html, "drafts")
    assert "Mine in review" in section(html, "in_review")
    assert "Someone else's draft" not in html
    assert 'id="dashboard-review"' not in html
    assert 'id="dashboard-embargoed"' not in html


def test_a_resubmitted_draft_no_longer_counts_as_came_back(client):
    author = writer()
    release = ReleaseFactory(draft=True, headline="Round two", created_by=author)
    release_submit_for_review(release=release, user=author)
    release_send_back(release=release, user=editor(), comment="Fix it.")
    release_submit_for_review(release=release, user=author, note="Fixed.")
    client.force_login(author)
    html = client.get(INDEX).content.decode()
    assert "Round two" not in section(html, "came_back")
    assert "Round two" in section(html, "in_review")


def populate(count: int, author) -> None:
    now = timezone.now()
    for i in range(count):
        ReleaseFactory(in_review=True)
        ReleaseFactory(published_at=now + timedelta(days=i + 1))
        ReleaseFactory(embargoed_until=now + timedelta(days=i + 1))
        ReleaseFactory()
        ReleaseFactory(withdrawn=True)
        release = ReleaseFactory(draft=True, created_by=author)
        release_submit_for_review(release=release, user=author)
        release_send_back(release=release, user=editor(), comment="Again.")
        ReleaseFactory(draft=True, created_by=author)


@pytest.mark.parametrize("role", ["editor", "writer"])
def test_the_dashboard_costs_the_same_queries_whatever_the_data(
    client, role, django_assert_num_queries
):
    """Session, user, the user's and group permissions (2), Django's recent actions (1),
    and one query per dashboard section: 5 for an editor, 3 for a writer."""
    author = writer()
    user = editor() if role == "editor" else author
    client.force_login(user)
    populate(1, author)
    # The editor's embargoed section adds the sharing app's count of links out (1).
    with django_assert_num_queries(11 if role == "editor" else 8) as small:
        assert client.get(INDEX).status_code == 200
    populate(12, author)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(INDEX).content.decode()
    assert f"({dashboard.LIMIT})" in html
