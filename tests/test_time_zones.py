"""Times entered in a chosen zone, shown with their zone and in UTC (issue 8, "Times")."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from releases.models import Status
from releases.times import EDITOR_ZONE_COOKIE
from tests.factories import ReleaseFactory, editor, ready_release, writer
from tests.test_admin import CHANGELIST, change_url, release_form_data, run_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    client.force_login(editor())
    return client


def save_at(client, release, day, time, zone=None, field="published_at"):
    times = {f"{field}_0": day, f"{field}_1": time}
    data = release_form_data(release, status=Status.PUBLISHED, **times)
    if zone is not None:
        data["time_zone"] = zone
    return client.post(change_url(release), data)


@pytest.mark.parametrize(
    ("zone", "utc_hour"), [("Europe/Berlin", 7), ("America/New_York", 13), (None, 7)]
)
def test_a_time_entered_in_a_zone_is_stored_in_utc(editor_client, zone, utc_hour):
    # None: the select left out, so TIME_ZONE (Europe/Berlin) reads it.
    release = ready_release(draft=True)
    response = save_at(editor_client, release, "2030-06-10", "09:00", zone)
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.published_at == datetime(2030, 6, 10, utc_hour, 0, tzinfo=UTC)


def test_the_embargo_is_read_in_the_chosen_zone_too(editor_client):
    release = ready_release(draft=True)
    save_at(editor_client, release, "2030-06-10", "09:00", "America/New_York", "embargoed_until")
    release.refresh_from_db()
    assert release.embargoed_until == datetime(2030, 6, 10, 13, 0, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_a_form_error(editor_client):
    release = ready_release(draft=True)
    response = save_at(editor_client, release, "2030-03-31", "02:30", "Europe/Berlin")
    assert response.status_code == 200
    assert "31 March 2030, 02:30 does not exist in Europe/Berlin" in response.content.decode()
    release.refresh_from_db()
    assert release.status == Status.DRAFT


def test_a_time_that_happens_twice_is_its_first_occurrence(editor_client):
    release = ready_release(draft=True)
    save_at(editor_client, release, "2030-10-27", "02:30", "Europe/Berlin")
    release.refresh_from_db()
    assert release.published_at == datetime(2030, 10, 27, 0, 30, tzinfo=UTC)  # CEST


def test_the_zone_select_defaults_to_time_zone_and_explains_repeated_times(editor_client):
    html = editor_client.get(change_url(ready_release(draft=True))).content.decode()
    assert '<option value="Europe/Berlin" selected>Europe/Berlin</option>' in html
    assert "read as its first occurrence" in html


def test_a_writer_has_no_zone_select(client):
    client.force_login(writer())
    html = client.get(change_url(ready_release(draft=True))).content.decode()
    assert 'name="time_zone"' not in html


def test_the_schedule_page_reads_its_time_in_the_chosen_zone(editor_client):
    release = ready_release(draft=True)
    run_action(
        editor_client,
        "schedule",
        [release],
        published_at="2030-06-10T09:00",
        time_zone="America/New_York",
        apply="Schedule",
    )
    release.refresh_from_db()
    assert release.published_at == datetime(2030, 6, 10, 13, 0, tzinfo=UTC)


def test_the_schedule_page_refuses_a_time_the_clocks_skip(editor_client):
    release = ready_release(draft=True)
    response = run_action(
        editor_client,
        "schedule",
        [release],
        published_at="2030-03-31T02:30",
        time_zone="Europe/Berlin",
        apply="Schedule",
    )
    assert "does not exist in Europe/Berlin" in response.content.decode()
    release.refresh_from_db()
    assert release.published_at is None


def test_the_admin_shows_a_time_with_its_zone_and_in_utc(editor_client):
    release = ReleaseFactory(published_at=datetime(2030, 6, 10, 7, 0, tzinfo=UTC))
    expected = "Scheduled for 10 June 2030, 09:00 CEST (07:00 UTC)"
    assert expected in editor_client.get(CHANGELIST).content.decode()
    assert expected in editor_client.get(change_url(release)).content.decode()


def test_the_admin_adds_the_editors_own_time_when_their_browser_says_its_zone(editor_client):
    """static/js/editor_zone.js writes the browser's zone in a cookie."""
    release = ReleaseFactory(published_at=datetime(2030, 6, 10, 7, 0, tzinfo=UTC))
    editor_client.cookies[EDITOR_ZONE_COOKIE] = "America/New_York"

    expected = "Scheduled for 10 June 2030, 09:00 CEST (07:00 UTC; 03:00 EDT your time)"
    assert expected in editor_client.get(CHANGELIST).content.decode()
    assert expected in editor_client.get(change_url(release)).content.decode()


def test_the_editors_time_names_its_date_when_it_is_another_day(editor_client):
    ReleaseFactory(published_at=datetime(2030, 6, 10, 23, 0, tzinfo=UTC))
    editor_client.cookies[EDITOR_ZONE_COOKIE] = "America%2FLos_Angeles"  # as the script writes it

    html = editor_client.get(CHANGELIST).content.decode()

    assert (
        "11 June 2030, 01:00 CEST (10 June 2030, 23:00 UTC; 10 June 2030, 16:00 PDT your time)"
        in html
    )


@pytest.mark.parametrize("cookie", ["Europe/Berlin", "Not/AZone", "../../etc", "", "UTC" * 40])
def test_a_zone_like_the_sites_or_unknown_adds_nothing(editor_client, cookie):
    ReleaseFactory(published_at=datetime(2030, 6, 10, 7, 0, tzinfo=UTC))
    editor_client.cookies[EDITOR_ZONE_COOKIE] = cookie

    html = editor_client.get(CHANGELIST).content.decode()

    assert "Scheduled for 10 June 2030, 09:00 CEST (07:00 UTC)" in html
    assert "your time" not in html


def test_every_admin_page_loads_the_script_that_tells_the_editors_zone(editor_client):
    html = editor_client.get(CHANGELIST).content.decode()
    assert "js/editor_zone.js" in html
    script = finders.find("js/editor_zone.js")
    assert EDITOR_ZONE_COOKIE in Path(script).read_text(encoding="utf-8")


def test_the_dashboard_changelist_column_and_share_links_add_utc_and_the_editors_time(
    editor_client,
):
    from newsroom.sharing.services import RecipientData, share_release

    held = ReleaseFactory(
        headline="Held one",
        published_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC),
        embargoed_until=datetime(2030, 6, 10, 7, 0, tzinfo=UTC),
    )
    share_release(release=held, recipients=[RecipientData(email="j@x.example")], user=editor())
    editor_client.cookies[EDITOR_ZONE_COOKIE] = "America/New_York"
    both = "10 June 2030, 09:00 CEST (07:00 UTC; 03:00 EDT your time)"

    dashboard = editor_client.get("/admin/").content.decode()
    changelist = editor_client.get(CHANGELIST).content.decode()
    form = editor_client.get(change_url(held)).content.decode()

    assert f"embargo lifts {both}" in dashboard
    assert f'<td class="field-goes_live">Embargo lifts {both}</td>' in changelist
    assert both in form  # the links inline: when the link stops working


def test_a_site_in_utc_does_not_say_utc_twice(editor_client, settings):
    settings.TIME_ZONE = "UTC"
    ReleaseFactory(published_at=datetime(2030, 6, 10, 7, 0, tzinfo=UTC))

    plain = editor_client.get(CHANGELIST).content.decode()
    editor_client.cookies[EDITOR_ZONE_COOKIE] = "America/New_York"
    with_editor = editor_client.get(CHANGELIST).content.decode()

    assert '<td class="field-goes_live">10 June 2030, 07:00 UTC</td>' in plain
    assert "10 June 2030, 07:00 UTC (03:00 EDT your time)</td>" in with_editor
