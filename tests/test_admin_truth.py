"""The admin tells the truth about when a release goes public, and in which time zone.

The releases published here pass the pre-publish checks (``ready_release``) and "Publish
now" is confirmed on its page (``apply``), as issue 8 asks; those steps have their own
tests in ``test_prepublish.py``.

Issue 7, point 8: “Publish now” on an embargoed release said “1 release published.”
while it stayed embargoed; the preview banner said “Goes live <a past time>” while the
embargo lifted later; and the admin showed times without their zone. Every time below
is fixed and far in the future, so the expected text is written out, in two zones with
summer time and in UTC.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from releases.models import Correction, Release, Status
from tests.factories import ReleaseFactory, ready_release
from tests.test_admin import CHANGELIST, change_url, messages_of, release_form_data, run_action

pytestmark = pytest.mark.django_db

# 10 and 11 June 2099, 07:00 UTC: summer time in Europe.
JUNE_10 = datetime(2099, 6, 10, 7, 0, tzinfo=UTC)
JUNE_11 = JUNE_10 + timedelta(days=1)

ZONES = {
    # zone: (how JUNE_10 reads there, how JUNE_11 reads there)
    "Europe/Berlin": ("10 June 2099, 09:00 CEST", "11 June 2099, 09:00 CEST"),
    "Europe/London": ("10 June 2099, 08:00 BST", "11 June 2099, 08:00 BST"),
    "UTC": ("10 June 2099, 07:00 UTC", "11 June 2099, 07:00 UTC"),
    # A zone with no abbreviation reads with its UTC offset.
    "Asia/Dubai": ("10 June 2099, 11:00 +04", "11 June 2099, 11:00 +04"),
}


@pytest.fixture(params=["Europe/Berlin", "UTC"])
def zone(request, settings):
    """The admin's time zone, and how JUNE_10 and JUNE_11 read in it."""
    settings.TIME_ZONE = request.param
    return request.param, *ZONES[request.param]


def hour_ago():
    return timezone.now() - timedelta(hours=1)


# -- one definition: Release.goes_public_at ----------------------------------------


@pytest.mark.parametrize(
    ("published_at", "embargoed_until", "expected"),
    [
        (JUNE_10, None, JUNE_10),
        (JUNE_10, JUNE_11, JUNE_11),
        (JUNE_11, JUNE_10, JUNE_11),
        (JUNE_10, JUNE_10, JUNE_10),
    ],
)
def test_a_published_release_goes_public_at_the_later_of_its_time_and_its_embargo(
    published_at, embargoed_until, expected
):
    release = Release(
        status=Status.PUBLISHED, published_at=published_at, embargoed_until=embargoed_until
    )
    assert release.goes_public_at == expected
    assert not release.is_published


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.WITHDRAWN])
def test_a_release_that_is_not_published_has_no_time_it_goes_public(status):
    release = Release(status=status, published_at=JUNE_10, embargoed_until=JUNE_11)
    assert release.goes_public_at is None


def test_the_embargoed_and_scheduled_states_follow_what_keeps_the_release_back():
    embargo_later = ReleaseFactory(published_at=JUNE_10, embargoed_until=JUNE_11)
    embargo_earlier = ReleaseFactory(published_at=JUNE_11, embargoed_until=JUNE_10)
    embargo_past_publication = ReleaseFactory(published_at=hour_ago(), embargoed_until=JUNE_10)
    assert embargo_later.state_label == "Embargoed"
    assert embargo_past_publication.state_label == "Embargoed"
    assert embargo_earlier.state_label == "Scheduled"


# -- 1. messages about publishing say when the release is public ------------------


def test_publish_now_on_an_embargoed_release_says_it_is_public_when_the_embargo_lifts(
    editor_client, zone
):
    _, june_10, _ = zone
    release = ready_release(headline="Merger agreed", draft=True, embargoed_until=JUNE_10)
    response = run_action(editor_client, "publish_now", [release], apply="Publish now")
    assert messages_of(response) == [
        f"“Merger agreed” published; public when the embargo lifts at {june_10}."
    ]
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert not release.is_published
    assert release.goes_public_at == JUNE_10


def test_publish_now_on_a_release_without_embargo_says_it_is_public_now(editor_client):
    release = ready_release(headline="Library opens", in_review=True)
    response = run_action(editor_client, "publish_now", [release], apply="Publish now")
    assert messages_of(response) == ["“Library opens” published; public now."]
    release.refresh_from_db()
    assert release.is_published


def test_schedule_says_when_the_release_goes_public(editor_client, zone):
    name, june_10, _ = zone
    release = ready_release(headline="Budget", draft=True)
    local = timezone.localtime(JUNE_10).strftime("%Y-%m-%dT%H:%M")
    response = run_action(
        editor_client, "schedule", [release], published_at=local, apply="Schedule"
    )
    assert messages_of(response) == [f"“Budget” scheduled for {june_10}."]
    release.refresh_from_db()
    assert release.published_at == JUNE_10, name


def test_schedule_before_the_embargo_says_the_embargo_decides(editor_client, zone):
    _, june_10, june_11 = zone
    plain = ready_release(headline="Plain", draft=True)
    embargoed = ready_release(headline="Held", draft=True, embargoed_until=JUNE_11)
    local = timezone.localtime(JUNE_10).strftime("%Y-%m-%dT%H:%M")
    response = run_action(
        editor_client, "schedule", [plain, embargoed], published_at=local, apply="Schedule"
    )
    assert messages_of(response) == [
        f"“Plain” scheduled for {june_10}.",
        f"“Held” published; public when the embargo lifts at {june_11}.",
    ]


def test_publish_now_on_a_mixed_selection_gives_one_counted_message_per_outcome(
    editor_client, zone
):
    _, june_10, june_11 = zone
    public_now = [ready_release(draft=True), ready_release(in_review=True)]
    first = ready_release(headline="First embargo", draft=True, embargoed_until=JUNE_10)
    second = ready_release(headline="Second embargo", draft=True, embargoed_until=JUNE_11)
    already_public = ready_release(headline="Old news")
    response = run_action(
        editor_client,
        "publish_now",
        [*public_now, first, second, already_public],
        apply="Publish now",
    )
    assert messages_of(response) == [
        "“Old news” is already public; its publication time is kept.",
        "2 releases published; public now.",
        "2 releases published; public when their embargoes lift: "
        f"“First embargo” at {june_10}, “Second embargo” at {june_11}.",
    ]
    assert not any(re.search(r"\b\d+ releases? published\.$", m) for m in messages_of(response))


def test_several_releases_under_one_embargo_share_one_message(editor_client, zone):
    _, june_10, _ = zone
    releases = [ready_release(draft=True, embargoed_until=JUNE_10) for _ in range(3)]
    response = run_action(editor_client, "publish_now", releases, apply="Publish now")
    assert messages_of(response) == [
        f"3 releases published; public when their embargoes lift at {june_10}."
    ]


def test_the_history_of_an_action_says_when_the_release_goes_public(editor_client, zone):
    _, june_10, _ = zone
    release = ready_release(draft=True, embargoed_until=JUNE_10)
    run_action(editor_client, "publish_now", [release], apply="Publish now")
    entry = LogEntry.objects.get(object_id=str(release.pk))
    assert entry.get_change_message() == (
        f"Published (action); public when the embargo lifts at {june_10}."
    )
    history = editor_client.get(reverse("admin:releases_release_history", args=[release.pk]))
    html = history.content.decode()
    assert f"public when the embargo lifts at {june_10}" in html
    # The time of the entry itself names the zone too.
    assert timezone.localtime(entry.action_time).tzname() in html


def test_saving_the_form_as_published_with_an_embargo_says_when_it_goes_public(editor_client, zone):
    _, june_10, _ = zone
    release = ready_release(headline="Merger agreed", draft=True)
    data = release_form_data(release, status=Status.PUBLISHED, embargoed_until=JUNE_10)
    response = editor_client.post(change_url(release), data, follow=True)
    assert f"“Merger agreed” published; public when the embargo lifts at {june_10}." in (
        messages_of(response)
    )
    release.refresh_from_db()
    assert release.state_label == "Embargoed"


def test_saving_the_form_as_published_with_a_future_time_says_it_is_scheduled(editor_client, zone):
    _, june_10, _ = zone
    release = ready_release(headline="Budget", draft=True)
    data = release_form_data(release, status=Status.PUBLISHED, published_at=JUNE_10)
    response = editor_client.post(change_url(release), data, follow=True)
    assert f"“Budget” scheduled for {june_10}." in messages_of(response)


def test_saving_the_form_as_published_without_a_time_says_it_is_public_now(editor_client):
    release = ready_release(headline="Library opens", draft=True)
    data = release_form_data(release, status=Status.PUBLISHED)
    response = editor_client.post(change_url(release), data, follow=True)
    assert "“Library opens” published; public now." in messages_of(response)


def test_adding_an_embargo_to_a_public_release_says_it_is_held_until_then(editor_client, zone):
    _, _, june_11 = zone
    release = ReleaseFactory(headline="Recalled", published_at=hour_ago())
    data = release_form_data(release, embargoed_until=JUNE_11)
    response = editor_client.post(change_url(release), data, follow=True)
    assert f"“Recalled” published; public when the embargo lifts at {june_11}." in (
        messages_of(response)
    )


# -- 2. the preview banner says why the release is not public and when it will be ---


def banner(response) -> str:
    match = re.search(r'<div class="preview-banner">(.*?)</div>', response.content.decode(), re.S)
    assert match, "no preview banner"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_the_banner_of_an_embargoed_release_gives_the_time_the_embargo_lifts(editor_client, zone):
    _, june_10, _ = zone
    published_at = hour_ago()
    release = ReleaseFactory(published_at=published_at, embargoed_until=JUNE_10)
    text = banner(editor_client.get(release.get_absolute_url()))
    assert text == (
        "EMBARGOED Staff preview — this release is not public: it is embargoed. "
        f"Goes live when the embargo lifts, {june_10}."
    )
    assert timezone.localtime(published_at).strftime("%H:%M") not in text


def test_the_banner_when_the_embargo_lifts_after_a_future_publication_time(editor_client, zone):
    _, _, june_11 = zone
    release = ReleaseFactory(published_at=JUNE_10, embargoed_until=JUNE_11)
    text = banner(editor_client.get(release.get_absolute_url()))
    assert text.startswith("EMBARGOED ")
    assert text.endswith(f"it is embargoed. Goes live when the embargo lifts, {june_11}.")


def test_the_banner_when_the_publication_time_is_after_the_embargo(editor_client, zone):
    _, june_10, june_11 = zone
    # The form refuses this order; imports and the shell can still store it.
    release = ReleaseFactory(published_at=JUNE_11, embargoed_until=JUNE_10)
    text = banner(editor_client.get(release.get_absolute_url()))
    assert text == (
        "SCHEDULED Staff preview — this release is not public: it is scheduled. "
        f"Goes live {june_11} (its embargo lifts earlier, at {june_10})."
    )


def test_the_banner_of_a_scheduled_release(editor_client, zone):
    _, june_10, _ = zone
    release = ReleaseFactory(published_at=JUNE_10)
    text = banner(editor_client.get(release.get_absolute_url()))
    assert text == (
        "SCHEDULED Staff preview — this release is not public: it is scheduled. "
        f"Goes live {june_10}."
    )


@pytest.mark.parametrize(
    ("trait", "expected"),
    [
        ("draft", "DRAFT Staff preview — this release is not public: it is a draft; "),
        ("in_review", "IN REVIEW Staff preview — this release is not public: it is in review; "),
    ],
)
def test_the_banner_of_an_unpublished_release_says_why(editor_client, trait, expected):
    release = ReleaseFactory(**{trait: True}, embargoed_until=JUNE_10)
    text = banner(editor_client.get(release.get_absolute_url()))
    assert text == f"{expected}it goes live once an editor publishes it."


def test_the_banner_gives_the_machine_readable_time_it_goes_live(editor_client):
    release = ReleaseFactory(published_at=hour_ago(), embargoed_until=JUNE_10)
    html = editor_client.get(release.get_absolute_url()).content.decode()
    assert f'<time datetime="{timezone.localtime(JUNE_10).isoformat()}">' in html


# -- 3. every time the admin shows names its zone ----------------------------------


@pytest.mark.parametrize("name", list(ZONES))
def test_the_changelist_shows_times_with_their_zone(editor_client, settings, name):
    settings.TIME_ZONE = name
    june_10, june_11 = ZONES[name]
    ReleaseFactory(headline="Scheduled one", published_at=JUNE_10)
    ReleaseFactory(headline="Embargoed one", published_at=JUNE_10, embargoed_until=JUNE_11)
    html = editor_client.get(CHANGELIST).content.decode()
    # The column adds UTC unless the site shows UTC (and the editor's own time, when their
    # browser said its zone).
    end = "</td>" if name == "UTC" else " ("
    assert f'<td class="field-goes_live">{june_10}{end}' in html
    assert f'<td class="field-goes_live">Embargo lifts {june_11}{end}' in html
    assert f"Scheduled for {june_10}" in html
    assert f"Embargoed until {june_11}" in html


def test_the_change_form_names_the_zone_of_its_time_inputs_and_values(editor_client, zone):
    name, _, june_11 = zone
    release = ReleaseFactory(published_at=JUNE_10, embargoed_until=JUNE_11)
    response = editor_client.get(change_url(release))
    html = response.content.decode()
    abbreviation = timezone.localtime().tzname()
    note = f"Times are in {name}." if name == "UTC" else f"Times are in {name} ({abbreviation})."
    fields = response.context["adminform"].form.fields
    for field in ("published_at", "embargoed_until"):
        assert fields[field].help_text.endswith(note), field
    assert html.count(note) >= 2
    # Read-only values: the state and the audit times.
    assert f"Embargoed until {june_11}" in html
    created = timezone.localtime(release.created_at)
    assert f"{created.strftime('%H:%M')} {created.tzname()}" in html
    # The corrections' time input, too.
    [corrections] = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.opts.model is Correction
    ]
    correction_field = corrections.formset.form.base_fields
    assert correction_field["noted_at"].help_text == note


def test_the_schedule_page_names_the_zone_of_its_input_and_of_each_release(editor_client, zone):
    name, _, june_11 = zone
    embargoed = ReleaseFactory(headline="Held", published_at=JUNE_10, embargoed_until=JUNE_11)
    draft = ReleaseFactory(headline="Draft one", draft=True)
    response = editor_client.post(
        CHANGELIST, {"action": "schedule", "_selected_action": [embargoed.pk, draft.pk]}
    )
    html = response.content.decode()
    assert f'Held <span class="quiet">(Embargoed until {june_11})</span>' in html
    assert 'Draft one <span class="quiet">(Draft)</span>' in html
    assert f"Times are in {name}" in html


def test_the_withdraw_page_gives_each_release_its_time_with_its_zone(editor_client, zone):
    release = ReleaseFactory(headline="Public one", published_at=JUNE_10 - timedelta(days=36500))
    response = editor_client.post(
        CHANGELIST, {"action": "withdraw", "_selected_action": [release.pk]}
    )
    when = timezone.localtime(release.published_at)
    assert f"Published, public since {when.strftime('%-d %B %Y, %H:%M')} {when.tzname()}" in (
        response.content.decode()
    )


def test_the_release_form_promises_no_embargo_link_that_does_not_exist(editor_client):
    """Embargo links for journalists are issue 8's work: until they exist, the form says
    what an embargo does today (nobody outside the staff reads the release)."""
    html = editor_client.get(reverse("admin:releases_release_add")).content.decode()

    assert "signed link" not in html
    assert "Not public until then" in html


def test_a_withdrawn_release_can_be_saved_with_a_new_correction(editor_client):
    """Withdrawn stays withdrawn when its form is saved; a correction can still be noted."""
    from tests.test_admin import management_form

    release = ReleaseFactory(withdrawn=True, withdrawal_reason="Wrong figures")
    data = release_form_data(release)
    data.update(management_form("corrections", total=1))
    data.update({"corrections-0-noted_at_0": "2025-06-10", "corrections-0-noted_at_1": "10:00:00"})
    data["corrections-0-note"] = "The withdrawal notice named the wrong quarter."

    response = editor_client.post(change_url(release), data)

    assert response.status_code == 302, response.context["errors"]
    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN
    assert release.withdrawal_reason == "Wrong figures"
    assert release.corrections.get().note == "The withdrawal notice named the wrong quarter."


def test_a_draft_still_cannot_be_saved_as_withdrawn(editor_client):
    release = ReleaseFactory(draft=True)
    response = editor_client.post(
        change_url(release), release_form_data(release, status=Status.WITHDRAWN)
    )
    assert response.status_code == 200
    release.refresh_from_db()
    assert release.status == Status.DRAFT


def test_a_correction_noted_in_the_future_is_refused_with_a_message(editor_client):
    from tests.test_admin import management_form

    release = ReleaseFactory()
    data = release_form_data(release)
    data.update(management_form("corrections", total=1))
    data.update({"corrections-0-noted_at_0": "2099-01-01", "corrections-0-noted_at_1": "10:00:00"})
    data["corrections-0-note"] = "Written ahead of time."

    response = editor_client.post(change_url(release), data)

    assert response.status_code == 200
    assert "A correction cannot be noted in the future." in response.content.decode()
    assert not release.corrections.exists()
