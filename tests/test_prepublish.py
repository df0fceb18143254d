"""Pre-publish checks (issue 8, "Review"): what a release should have before it goes out,
listed with what to fix before "Publish now", "Schedule", approving or publishing from the
form; an editor may publish anyway, only with an explicit confirmation."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from releases.checks import bad_links, prepublish_problems
from releases.models import Release, ReleaseContact, ReleaseOrganization, Status
from tests.factories import ReleaseFactory, ready_release
from tests.test_admin import change_url, messages_of, release_form_data, run_action

pytestmark = pytest.mark.django_db


def fields_of(release, **kwargs):
    return [problem.field for problem in prepublish_problems(release, **kwargs)]


# -- each check -------------------------------------------------------------------------


def test_a_complete_release_has_no_problems():
    assert prepublish_problems(ready_release(draft=True)) == []


@pytest.mark.parametrize("field", ["headline", "summary", "dateline"])
def test_an_empty_text_part_is_a_problem_on_its_field(field):
    release = ready_release(draft=True, **{field: "   "})
    assert fields_of(release) == [field]


def test_no_issuing_organization_is_a_problem():
    release = ready_release(draft=True)
    ReleaseOrganization.objects.filter(release=release).delete()
    assert fields_of(release) == ["organizations"]


def test_no_media_contact_is_a_problem():
    release = ready_release(draft=True)
    ReleaseContact.objects.filter(release=release).delete()
    assert fields_of(release) == ["contacts"]


def test_an_unsaved_release_lacks_organizations_and_contacts():
    release = Release(headline="H", summary="S", dateline="Paris")
    assert fields_of(release) == ["organizations", "contacts"]


def test_an_image_without_alt_text_is_a_problem():
    release = ready_release(draft=True)
    # The database refuses an image without alt text; the check covers an unsaved edit.
    release.featured_image = SimpleUploadedFile("photo.jpg", b"x")
    release.featured_image_alt = " "
    assert fields_of(release) == ["featured_image_alt"]


def test_an_embargo_before_the_publication_time_is_a_problem():
    now = timezone.now()
    release = ready_release(draft=True, embargoed_until=now + timedelta(hours=1))
    assert fields_of(release, at=now + timedelta(hours=2)) == ["embargoed_until"]
    assert fields_of(release, at=now) == []


@pytest.mark.parametrize(
    "href",
    [
        "",
        " ",
        "#",
        "http://localhost:8000/x",
        "https://127.0.0.1/a",
        "http://[::1]/",
        "http://app.localhost/",
        "http://LOCALHOST./q",
        "http://app.LocalHost./",
        "http://127.0.1.1:8080/",
        "http://0.0.0.0/",
        "http://192.168.1.20/intranet",
        "http://10.0.0.5/",
        "http://169.254.1.1/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::1/",
        "http://127.1/a",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0/",
        "http://ｌｏｃａｌｈｏｓｔ/",
        "http://127。0。0。1/",
        "http://printer.local/",
        "http://wiki.internal/",
        "http://nas.home.arpa/",
        "http://100.64.0.1/",
    ],
)
def test_a_link_leading_nowhere_for_readers_is_a_problem(href):
    release = ready_release(draft=True, body=f'<p><a href="{href}">see</a></p>')
    assert fields_of(release) == ["body"]


def test_an_anchor_without_href_is_a_problem_and_real_links_are_not():
    assert bad_links("<a>no href</a>") == [""]
    assert bad_links('<a href="https://example.org/">ok</a> <a href="/releases/">ok</a>') == []
    assert (
        bad_links('<a href="http://8.8.8.8/">ok</a> <a href="https://localhost.example/">ok</a>')
        == []
    )


def test_each_problem_says_what_to_fix():
    release = ready_release(draft=True, summary="", body='<a href="http://localhost/">x</a>')
    messages = [problem.message for problem in prepublish_problems(release)]
    assert messages == [
        "Add a summary (the lede used in lists and feeds).",
        "Fix the links in the body that lead nowhere for readers: “http://localhost/”.",
    ]


# -- "Publish now" asks first ----------------------------------------------------------------


def test_publish_now_shows_a_confirmation_page_and_changes_nothing(editor_client):
    release = ready_release(draft=True)
    page = run_action(editor_client, "publish_now", [release])
    assert page.status_code == 200
    assert 'value="Publish now"' in page.content.decode()
    release.refresh_from_db()
    assert release.status == Status.DRAFT


def test_publish_now_lists_the_problems_and_does_not_publish_without_confirmation(editor_client):
    release = ReleaseFactory(draft=True, summary="")
    page = run_action(editor_client, "publish_now", [release])
    content = page.content.decode()
    assert "Add a summary" in content
    assert "Add at least one media contact." in content
    assert 'name="publish_anyway"' in content

    response = run_action(editor_client, "publish_now", [release], apply="Publish now")
    assert response.status_code == 200
    assert "tick “Publish anyway”" in response.content.decode()
    release.refresh_from_db()
    assert (release.status, release.published_at) == (Status.DRAFT, None)


def test_publish_now_publishes_anyway_with_the_confirmation(editor_client):
    release = ReleaseFactory(draft=True, summary="")
    response = run_action(
        editor_client, "publish_now", [release], apply="Publish now", publish_anyway="on"
    )
    assert f"“{release.headline}” published; public now." in messages_of(response)
    release.refresh_from_db()
    assert release.is_published


def test_schedule_with_problems_needs_the_confirmation(editor_client):
    release = ReleaseFactory(draft=True, dateline="")
    when = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = run_action(editor_client, "schedule", [release], apply="Schedule", published_at=when)
    assert "Add a dateline" in response.content.decode()
    release.refresh_from_db()
    assert release.status == Status.DRAFT

    run_action(
        editor_client,
        "schedule",
        [release],
        apply="Schedule",
        published_at=when,
        publish_anyway="on",
    )
    release.refresh_from_db()
    assert release.state_label == "Scheduled"


# -- the change form and the approve page ------------------------------------------------------


def test_publishing_from_the_form_with_problems_saves_and_goes_to_the_publish_page(
    editor_client,
):
    release = ReleaseFactory(draft=True)
    data = release_form_data(release, status="published", headline="New headline")
    response = editor_client.post(change_url(release), data)
    publish_page = reverse("admin:releases_release_review", args=[release.pk, "publish"])
    assert response.status_code == 302
    assert response["Location"].startswith(publish_page)
    release.refresh_from_db()
    assert (release.headline, release.status) == ("New headline", Status.DRAFT)

    page = editor_client.get(response["Location"]).content.decode()
    assert "Add at least one issuing organization." in page
    editor_client.post(publish_page, {"published_at": ""})
    release.refresh_from_db()
    assert release.status == Status.DRAFT

    editor_client.post(publish_page, {"published_at": "", "publish_anyway": "on"})
    release.refresh_from_db()
    assert release.is_published


def test_approving_with_problems_needs_the_confirmation(editor_client):
    release = ReleaseFactory(in_review=True, body='<a href="">x</a>')
    approve = reverse("admin:releases_release_review", args=[release.pk, "approve"])
    page = editor_client.get(approve).content.decode()
    assert "lead nowhere for readers" in page
    editor_client.post(approve, {"published_at": ""})
    release.refresh_from_db()
    assert release.status == Status.REVIEW

    editor_client.post(approve, {"published_at": "", "publish_anyway": "on"})
    release.refresh_from_db()
    assert release.is_published
