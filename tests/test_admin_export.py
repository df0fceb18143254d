"""Exports from the release admin: the "Export…" action and "Export these"."""

import csv
import io
import json

import feedparser
import openpyxl
import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.http import StreamingHttpResponse
from django.urls import reverse

from releases.exports.stream import FORMATS
from tests.factories import ReleaseFactory, UserFactory, editor, writer

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:releases_release_changelist")
EXPORT = reverse("admin:releases_release_export")


def download(response) -> bytes:
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return b"".join(response.streaming_content)


def slugs_in(content: bytes) -> list[str]:
    return [item["slug"] for item in json.loads(content)]


@pytest.fixture
def newsroom():
    return {
        "public": ReleaseFactory(slug="budget-public", headline="Budget approved"),
        "budget_draft": ReleaseFactory(slug="budget-draft", headline="Budget draft", draft=True),
        "other_draft": ReleaseFactory(slug="parks-draft", headline="Parks plan", draft=True),
        "review": ReleaseFactory(slug="budget-review", headline="Budget review", in_review=True),
    }


@pytest.fixture
def staff_client(client):
    client.force_login(writer())
    return client


# -- "Export these" --------------------------------------------------------------------


def test_changelist_links_to_export_what_it_shows(staff_client, newsroom):
    response = staff_client.get(CHANGELIST, {"state": "draft", "q": "budget", "p": "1"})

    assert response.status_code == 200
    assert response.context["export_url"] == f"{EXPORT}?state=draft&q=budget"
    assert f'href="{EXPORT}?state=draft&amp;q=budget"' in response.content.decode()


def test_export_these_exports_exactly_the_filtered_changelist(staff_client, newsroom):
    response = staff_client.get(EXPORT, {"status__exact": "draft", "q": "budget", "format": "json"})

    assert slugs_in(download(response)) == ["budget-draft"]


def test_export_these_follows_the_state_filter_and_the_changelist_order(staff_client, newsroom):
    response = staff_client.get(EXPORT, {"state": "draft", "format": "json"})

    # The changelist's order: undated drafts first, newest (highest id) first.
    assert slugs_in(download(response)) == ["parks-draft", "budget-draft"]


def test_export_these_covers_every_page(staff_client):
    ReleaseFactory.create_batch(105)

    response = staff_client.get(EXPORT, {"p": "2", "format": "ndjson"})

    assert len(download(response).splitlines()) == 105


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_export_these_in_every_format(staff_client, newsroom, format_name):
    response = staff_client.get(EXPORT, {"state": "draft", "format": format_name})

    content = download(response)
    assert response["Content-Type"] == FORMATS[format_name].content_type
    assert response["Content-Disposition"].endswith(f'.{FORMATS[format_name].extension}"')
    if format_name == "csv":
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))
        assert {row["slug"] for row in rows} == {"budget-draft", "parks-draft"}
    elif format_name == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Releases"]
        assert sheet.max_row == 3
    elif format_name == "atom":
        feed = feedparser.parse(content)
        assert not feed.bozo
        assert len(feed.entries) == 2
        assert feed.entries[0].link.startswith("http://testserver/releases/")
    elif format_name == "ndjson":
        assert len(content.splitlines()) == 2
    else:
        assert len(json.loads(content)) == 2


def test_export_these_without_a_format_asks_for_one(staff_client, newsroom):
    response = staff_client.get(EXPORT, {"state": "draft", "q": "budget"})

    assert response.status_code == 200
    assert response.context["count"] == 1
    page = response.content.decode()
    assert '<input type="hidden" name="state" value="draft">' in page
    assert '<input type="hidden" name="q" value="budget">' in page
    assert 'value="ninjs"' in page


def test_submitting_the_format_page_downloads(staff_client, newsroom):
    # What the browser sends from the page: the hidden filters, the format, the button.
    response = staff_client.get(
        EXPORT, {"state": "draft", "q": "budget", "format": "csv", "apply": "Download"}
    )

    assert b"budget-draft" in download(response)


def test_unknown_format_is_a_400(staff_client, newsroom):
    assert staff_client.get(EXPORT, {"format": "pdf"}).status_code == 400


def test_invalid_changelist_filter_is_a_400(staff_client, newsroom):
    response = staff_client.get(EXPORT, {"published_at__gte": "not a date", "format": "csv"})
    assert response.status_code == 400


# -- the action ------------------------------------------------------------------------


def action_data(*releases, **extra) -> dict:
    return {
        "action": "export_selected",
        helpers.ACTION_CHECKBOX_NAME: [release.pk for release in releases],
        **extra,
    }


def test_export_action_asks_for_the_format(staff_client, newsroom):
    response = staff_client.post(CHANGELIST, action_data(newsroom["public"], newsroom["review"]))

    assert response.status_code == 200
    assert response.context["count"] == 2
    page = response.content.decode()
    assert f'name="{helpers.ACTION_CHECKBOX_NAME}" value="{newsroom["public"].pk}"' in page
    assert 'name="action" value="export_selected"' in page


def test_export_action_downloads_the_selected_releases(staff_client, newsroom):
    response = staff_client.post(
        CHANGELIST,
        action_data(newsroom["public"], newsroom["review"], format="json", apply="Download"),
    )

    assert sorted(slugs_in(download(response))) == ["budget-public", "budget-review"]


def test_export_action_with_select_all_exports_every_match(staff_client, newsroom):
    response = staff_client.post(
        f"{CHANGELIST}?state=draft",
        action_data(newsroom["budget_draft"], select_across="1", format="ndjson", apply="Download"),
    )

    assert len(download(response).splitlines()) == 2


# -- who may export --------------------------------------------------------------------


def test_editor_may_export(client, newsroom):
    client.force_login(editor())
    assert download(client.get(EXPORT, {"format": "csv"}))


def test_staff_without_the_view_permission_gets_403(client, newsroom):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_author"))
    client.force_login(user)

    assert client.get(EXPORT, {"format": "csv"}).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_view_permission_alone_is_enough(client, newsroom):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_release"))
    client.force_login(user)

    assert b"budget-public" in download(client.get(EXPORT, {"format": "csv"}))


def test_anonymous_is_sent_to_the_login_page(client, newsroom):
    response = client.get(EXPORT, {"format": "csv"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_export_query_count_does_not_grow_with_releases(
    staff_client, django_assert_max_num_queries
):
    ReleaseFactory.create_batch(3, tags=["a"])
    # Session, user, permissions; the changelist's filter choices and count; the
    # releases, their four kinds of links, and the authors, organizations, contacts
    # and tags they link.
    with django_assert_max_num_queries(16) as few:
        download(staff_client.get(EXPORT, {"format": "json"}))
    ReleaseFactory.create_batch(30, tags=["b"])
    with django_assert_max_num_queries(len(few)):
        download(staff_client.get(EXPORT, {"format": "json"}))
