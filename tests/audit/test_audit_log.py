"""The audit log: every publishing action recorded once, with user, time and release;
readable by editors in the admin, exported as CSV; kept when the release is deleted."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsroom.audit.models import AuditEvent
from releases import services
from releases.importers.text import import_text_file
from releases.models import Release
from releases.signals import ACTIONS, send_release_action
from tests.factories import ReleaseFactory, editor, writer
from tests.test_admin import change_url, management_form, release_form_data

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 10, 8, 0, tzinfo=UTC)
CHANGELIST = reverse("admin:audit_auditevent_changelist")
EXPORT = reverse("admin:audit_auditevent_export")


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    # The services and the audit receiver read ``timezone.now()`` when they act.
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def only_event(release=None) -> AuditEvent:
    events = list(
        AuditEvent.objects.filter(release=release) if release else AuditEvent.objects.all()
    )
    assert len(events) == 1, events
    return events[0]


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_sent_by_a_service_is_recorded_once_with_user_time_and_release(action):
    user, release = editor(), ReleaseFactory(headline="Merger agreed")
    send_release_action(release=release, user=user, action=action, note="why")
    event = only_event(release)
    assert (event.action, event.user, event.username) == (action, user, user.username)
    assert (event.at, event.release_headline, event.release_slug, event.note) == (
        NOW,
        "Merger agreed",
        release.slug,
        "why",
    )


def test_the_lifecycle_services_record_submit_publish_schedule_unpublish_withdraw():
    user = editor()
    release = ReleaseFactory(draft=True)
    services.release_submit_for_review(release=release, user=user)
    services.release_publish(release=release, user=user)
    services.release_withdraw(release=release, user=user, reason="Wrong figures")
    services.release_return_to_draft(release=release, user=user)
    services.release_schedule(release=release, user=user, at=NOW + timedelta(days=1))
    actions = list(
        AuditEvent.objects.filter(release=release).order_by("id").values_list("action", "note")
    )
    assert actions == [
        ("submit", ""),
        ("publish", ""),
        ("withdraw", "Wrong figures"),
        ("unpublish", ""),
        ("schedule", ""),
    ]


def test_a_refused_action_leaves_no_record():
    release = ReleaseFactory(draft=True)
    with pytest.raises(services.PermissionDenied):
        services.release_publish(release=release, user=writer())
    assert not AuditEvent.objects.exists()


def test_a_correction_added_in_the_admin_is_recorded_as_the_editor(client):
    user = editor()
    client.force_login(user)
    release = ReleaseFactory()
    data = release_form_data(release)
    data.update(management_form("corrections", total=1))
    data.update({"corrections-0-noted_at_0": "2025-06-10", "corrections-0-noted_at_1": "07:00:00"})
    data["corrections-0-note"] = "The figure for 2024 was 12%, not 21%."
    response = client.post(change_url(release), data)
    assert response.status_code == 302, response.context["errors"]
    event = only_event(release)
    assert (event.action, event.user, event.note) == (
        "correction",
        user,
        "The figure for 2024 was 12%, not 21%.",
    )
    assert release.corrections.get().note == "The figure for 2024 was 12%, not 21%."


def test_saving_a_release_with_an_unchanged_correction_records_nothing(client):
    client.force_login(editor())
    release = ReleaseFactory()
    correction = release.corrections.create(note="Fixed a name.", noted_at=NOW)
    data = release_form_data(release)
    data.update(management_form("corrections", total=1, initial=1))
    local = timezone.localtime(correction.noted_at)
    data.update(
        {
            "corrections-0-id": correction.pk,
            "corrections-0-release": release.pk,
            "corrections-0-noted_at_0": local.strftime("%Y-%m-%d"),
            "corrections-0-noted_at_1": local.strftime("%H:%M:%S"),
            "corrections-0-note": "Fixed a name.",
        }
    )
    assert client.post(change_url(release), data).status_code == 302
    assert not AuditEvent.objects.exists()


def test_correction_add_refuses_a_writer_on_a_published_release():
    with pytest.raises(services.PermissionDenied):
        services.correction_add(release=ReleaseFactory(), user=writer(), note="x")
    assert not AuditEvent.objects.exists()


def test_an_import_records_each_imported_release_once_with_no_user(tmp_path):
    path = tmp_path / "release.txt"
    path.write_text("Council opens new library\n\nLONDON, 1 June 2025 — The library opened.\n")
    result = import_text_file(path)
    event = only_event()
    assert (event.action, event.user, event.username) == ("import", None, "")
    assert event.release == result.created[0]
    import_text_file(path)  # unchanged: nothing imported, nothing recorded
    assert AuditEvent.objects.count() == 1


def test_the_record_survives_the_deletion_of_the_release_and_the_user():
    user, release = editor(), ReleaseFactory(headline="Merger agreed")
    services.release_withdraw(release=release, user=user, reason="Called off")
    slug = release.slug
    Release.objects.filter(pk=release.pk).delete()
    user.delete()
    event = only_event()
    assert (event.release, event.user) == (None, None)
    assert (event.release_headline, event.release_slug, event.username) == (
        "Merger agreed",
        slug,
        user.username,
    )


# -- the admin -----------------------------------------------------------------------


def test_editor_reads_the_log_filtered_by_action(client):
    client.force_login(editor())
    release = ReleaseFactory(headline="Merger agreed")
    send_release_action(release=release, user=None, action="publish")
    send_release_action(release=release, user=None, action="withdraw", note="Called off")
    response = client.get(CHANGELIST, {"action__exact": "withdraw"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Called off" in page and "Export CSV" in page
    assert list(response.context["cl"].result_list.values_list("action", flat=True)) == ["withdraw"]


def test_the_log_cannot_be_changed_or_deleted_even_by_a_superuser(admin_client):
    send_release_action(release=ReleaseFactory(), user=None, action="publish")
    event = AuditEvent.objects.get()
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    response = admin_client.post(url, {"note": "rewritten"})
    assert response.status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get().note == ""


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("writer", 403), ("editor", 200)])
def test_only_staff_with_the_view_permission_read_and_export_the_log(client, role, status):
    if role != "anonymous":
        client.force_login(writer() if role == "writer" else editor())
    assert client.get(EXPORT).status_code == status
    assert client.get(CHANGELIST).status_code == status


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_export_has_one_row_per_event_with_time_user_and_release(client):
    user = editor(username="ed")
    client.force_login(user)
    release = ReleaseFactory(headline="Merger agreed")
    send_release_action(release=release, user=user, action="publish")
    rows = read_csv(client.get(EXPORT))
    assert rows == [
        ["at", "action", "user", "release_id", "headline", "slug", "note"],
        [
            "2025-06-10T08:00:00+00:00",
            "publish",
            "ed",
            str(release.pk),
            "Merger agreed",
            release.slug,
            "",
        ],
    ]


def test_the_csv_export_keeps_the_changelist_filters(client):
    client.force_login(editor())
    release = ReleaseFactory()
    send_release_action(release=release, user=None, action="publish")
    send_release_action(release=release, user=None, action="withdraw")
    rows = read_csv(client.get(EXPORT, {"action__exact": "withdraw"}))
    assert [row[1] for row in rows[1:]] == ["withdraw"]


@pytest.mark.parametrize(
    "query", [{"at__gte": "garbage"}, {"at__gte": "2025-13-45"}, {"user__id__exact": "x"}]
)
def test_bad_filters_on_the_csv_export_are_a_400_not_a_500(client, query):
    client.force_login(editor())
    response = client.get(EXPORT, query)
    assert response.status_code == 400
    assert b"not valid" in response.content


def test_the_csv_export_neutralizes_cells_a_spreadsheet_would_run_as_formulas(client):
    client.force_login(editor())
    release = ReleaseFactory(headline='=HYPERLINK("http://evil.example","x")')
    send_release_action(release=release, user=None, action="withdraw", note="+1 234")
    row = read_csv(client.get(EXPORT))[1]
    assert row[4] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[6] == "'+1 234"
