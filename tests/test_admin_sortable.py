"""The release form's ordered rows (organizations, contacts, attachments) are ordered by
dragging (django-admin-sortable2), and its tags picked in an autocomplete box (issue 9).

What the browser does is in ``tests/browser/test_admin_axe.py``; here, what the server
receives from it: hidden positions renumbered 1, 2, 3… in the dragged order, and tag
names, one per value.
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from releases.models import Attachment, Release, ReleaseOrganization
from tests.factories import (
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    UserFactory,
    writer,
)
from tests.test_admin import change_url, management_form, release_form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
TAG_NAMES = reverse("admin:taggit_tag_names")
TAGS_OF_RELEASES = {"app_label": "releases", "model_name": "release", "field_name": "tags"}


def with_attachments(data: dict, release: Release, positions: dict[Attachment, int]) -> dict:
    """``data`` plus the attachment rows of ``release``, each at the position given."""
    for i, (attachment, position) in enumerate(positions.items()):
        data[f"attachments-{i}-id"] = attachment.pk
        data[f"attachments-{i}-release"] = release.pk
        data[f"attachments-{i}-title"] = attachment.title
        data[f"attachments-{i}-description"] = attachment.description
        data[f"attachments-{i}-position"] = position
    data.update(management_form("attachments", total=len(positions), initial=len(positions)))
    return data


def attachment(release: Release, title: str, position: int) -> Attachment:
    item = Attachment(release=release, title=title, position=position)
    item.file.save(f"{title}.pdf", ContentFile(PDF))
    return item


def test_the_form_keeps_positions_in_hidden_inputs_of_sortable_rows(editor_client):
    release = ReleaseFactory(
        draft=True, organizations=[OrganizationFactory()], contacts=[ContactFactory()]
    )
    attachment(release, "Fact sheet", 0)
    page = editor_client.get(change_url(release)).content.decode()

    for prefix in ("releaseorganization_set", "releasecontact_set", "attachments"):
        assert f'type="hidden" name="{prefix}-0-position"' in page, prefix
        assert f'type="number" name="{prefix}-0-position"' not in page, prefix
    assert page.count('class="module sortable') == 3
    assert "adminsortable2/js/adminsortable2" in page


def test_rows_sent_in_a_dragged_order_are_shown_in_that_order_on_the_public_page(
    editor_client,
):
    alpha, zeta = OrganizationFactory(name="Alpha Lab"), OrganizationFactory(name="Zeta Council")
    ann, bob = ContactFactory(name="Ann Press"), ContactFactory(name="Bob Media")
    release = ReleaseFactory(organizations=[alpha, zeta], contacts=[ann, bob])
    first, second = attachment(release, "Fact sheet", 0), attachment(release, "Annual report", 1)

    # What adminsortable2's script sends after Zeta, Bob and the report were dragged up:
    # the rows in their old order, their hidden positions renumbered from 1.
    data = release_form_data(release)
    data["releaseorganization_set-0-position"] = 2
    data["releaseorganization_set-1-position"] = 1
    data["releasecontact_set-0-position"] = 2
    data["releasecontact_set-1-position"] = 1
    with_attachments(data, release, {first: 2, second: 1})
    response = editor_client.post(change_url(release), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert release.issuer == zeta  # the first organization is the issuer
    page = editor_client.get(release.get_absolute_url()).content.decode()
    assert page.index("About Zeta Council") < page.index("About Alpha Lab")
    assert page.index("Bob Media") < page.index("Ann Press")
    assert page.index("Annual report") < page.index("Fact sheet")
    # Stored numbered from 0 again, in that order.
    links = ReleaseOrganization.objects.filter(release=release)
    assert [(link.organization, link.position) for link in links] == [(zeta, 0), (alpha, 1)]


def test_a_row_added_without_a_position_goes_after_the_dragged_ones(editor_client):
    alpha, zeta, added = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    release = ReleaseFactory(draft=True, organizations=[alpha, zeta])
    data = release_form_data(release, organizations=[(added, "")])
    data["releaseorganization_set-0-position"] = 2
    data["releaseorganization_set-1-position"] = 1
    response = editor_client.post(change_url(release), data)
    assert response.status_code == 302

    links = ReleaseOrganization.objects.filter(release=release)
    assert [link.organization for link in links] == [zeta, alpha, added]


def test_a_writer_cannot_reorder_the_rows_of_a_published_release(client):
    alpha, zeta = OrganizationFactory(), OrganizationFactory()
    release = ReleaseFactory(organizations=[alpha, zeta])
    client.force_login(writer())
    data = release_form_data(release)
    data["releaseorganization_set-0-position"] = 2
    data["releaseorganization_set-1-position"] = 1

    response = client.post(change_url(release), data)

    assert response.status_code == 403
    assert release.issuer == alpha


# -- tags -----------------------------------------------------------------------------


def test_picked_and_typed_tags_are_saved_together_each_picked_name_as_one_tag(editor_client):
    release = ReleaseFactory(draft=True, tags=["water"])
    data = release_form_data(release, tags='health "Harbour City"')
    data["tags_picked"] = ["water", "rates, fees", 'Say "hi"']

    response = editor_client.post(change_url(release), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(release.tags.names()) == [
        "Harbour City",
        'Say "hi"',
        "health",
        "rates, fees",
        "water",
    ]


def test_a_tag_unpicked_is_removed_and_nothing_picked_clears_the_tags(editor_client):
    release = ReleaseFactory(draft=True, tags=["water", "health"])
    data = release_form_data(release, tags="")
    data["tags_picked"] = ["health"]
    editor_client.post(change_url(release), data)
    assert list(release.tags.names()) == ["health"]

    editor_client.post(change_url(release), release_form_data(release, tags=""))
    assert list(release.tags.names()) == []


def test_an_unclosed_quote_in_the_new_tags_is_a_form_error_that_keeps_every_tag(
    editor_client,
):
    release = ReleaseFactory(draft=True, tags=["water"])
    data = release_form_data(release, tags='news, "Say hi')
    data["tags_picked"] = ["water"]

    response = editor_client.post(change_url(release), data)

    assert response.status_code == 200
    assert "never closed" in response.context["adminform"].form.errors["tags"][0]
    # Shown back in the text box, the picked tag with the typed text, to be fixed.
    assert 'value="water, news, &quot;Say hi"' in response.content.decode()
    assert list(release.tags.names()) == ["water"]


def test_the_form_shows_the_tags_in_the_box_and_names_its_inputs(editor_client):
    release = ReleaseFactory(draft=True, tags=["water", "rates, fees"])
    page = editor_client.get(change_url(release)).content.decode()

    assert '<label for="id_tags_picked">Tags:</label>' in page
    assert '<option value="rates, fees" selected>rates, fees</option>' in page
    assert 'data-ajax--url="/admin/taggit/tag/names/"' in page
    assert 'data-tags="true"' in page
    assert '<label for="id_tags">New tags:</label>' in page
    assert '<input type="text" name="tags" class="vTextField vLargeTextField" ' in page
    assert 'aria-describedby="id_tags_picked_helptext"' in page
    assert 'id="id_tags_picked_helptext"' in page
    # The date and time inputs are named for screen readers (axe: label).
    assert 'aria-label="Publication time: date"' in page
    assert 'aria-label="Embargoed until: time"' in page


def test_the_tag_search_answers_names_to_writers(client):
    ReleaseFactory(tags=["water", "waterways", "health"])
    client.force_login(writer())

    response = client.get(TAG_NAMES, {**TAGS_OF_RELEASES, "term": "wat"})

    assert response.status_code == 200
    assert json.loads(response.content)["results"] == [
        {"id": "water", "text": "water"},
        {"id": "waterways", "text": "waterways"},
    ]


@pytest.mark.parametrize(
    ("who", "params", "status"),
    [
        ("anonymous", TAGS_OF_RELEASES, 302),  # to the login page
        ("staff without release rights", TAGS_OF_RELEASES, 403),
        ("writer", {**TAGS_OF_RELEASES, "field_name": "author"}, 403),
        ("writer", {"app_label": "releases"}, 403),
    ],
)
def test_the_tag_search_refuses_other_people_and_other_fields(client, who, params, status):
    if who == "writer":
        client.force_login(writer())
    elif who != "anonymous":
        client.force_login(UserFactory(is_staff=True))
    assert client.get(TAG_NAMES, params).status_code == status
