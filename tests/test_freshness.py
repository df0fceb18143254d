from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from releases.freshness import (
    KEEP_SECONDS,
    data_changed,
    prune_data_versions,
    public_last_modified,
    public_version,
)
from releases.models import (
    Attachment,
    Correction,
    DataVersion,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
)
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory, editor


@pytest.mark.django_db
@pytest.mark.parametrize("with_organization", [True, False])
def test_a_scheduled_release_going_live_moves_the_stamp_without_any_write(with_organization):
    if with_organization:
        OrganizationFactory()
    now = timezone.now()
    ReleaseFactory(published_at=now - timedelta(days=3))
    goes_live = now + timedelta(hours=2)
    ReleaseFactory(published_at=goes_live)
    before = public_last_modified(now=now)
    assert before < goes_live
    assert public_last_modified(now=goes_live + timedelta(minutes=1)) == goes_live
    assert Organization.objects.exists() is with_organization


@pytest.mark.django_db
def test_an_embargo_lifting_moves_the_stamp():
    OrganizationFactory()
    now = timezone.now()
    lifts = now + timedelta(hours=1)
    ReleaseFactory(published_at=now - timedelta(days=1), embargoed_until=lifts)
    assert public_last_modified(now=now) < lifts
    assert public_last_modified(now=lifts + timedelta(seconds=1)) == lifts


@pytest.mark.django_db
def test_editing_an_organization_moves_the_stamp(django_assert_num_queries):
    organization = OrganizationFactory()
    ReleaseFactory(organizations=[organization])
    before = public_last_modified()
    organization.boilerplate = "New words."
    organization.save()
    with django_assert_num_queries(1):
        after = public_last_modified()
    assert after > before


@pytest.mark.django_db
def test_an_empty_newsroom_has_a_fixed_stamp():
    assert public_last_modified().year == 2000


# -- writes no surviving timestamp shows (issue 7, point 3) --------------------------------

# Every public surface that answers 304 (or names its Last-Modified) from the version.
VALIDATED_SURFACES = [
    "/releases/",
    "/",
    "/tags/harbours/",
    "/organizations/harbour-authority/",
    "/feeds/releases.atom",
    "/feeds/releases.rss",
    "/api/releases/",
    "/api/organizations/",
    "/api/tags/",
    "/sitemap-releases.xml",
    "/sitemap.xml",
]


@pytest.fixture
def harbour():
    authority = OrganizationFactory(
        name="Harbour Authority", short_name="", slug="harbour-authority"
    )
    # The deleted release is neither the last written nor the last to go live: nothing
    # the timestamps of the remaining rows show changes when it goes.
    doomed = ReleaseFactory(
        headline="Harbour dredging contract awarded",
        organizations=[authority],
        tags=["harbours"],
        published_at=timezone.now() - timedelta(days=2),
    )
    kept = ReleaseFactory(
        headline="Harbour opens the north quay",
        organizations=[authority],
        tags=["harbours"],
        published_at=timezone.now() - timedelta(days=1),
    )
    return kept, doomed


def _validators(client):
    etags = {}
    for url in VALIDATED_SURFACES:
        response = client.get(url)
        assert response.status_code == 200, url
        etags[url] = response
    return etags


def _assert_changed(client, before, *, gone=(), shown=()):
    for url, old in before.items():
        headers = {}
        if old.has_header("ETag"):
            headers["HTTP_IF_NONE_MATCH"] = old["ETag"]
            # The validator itself has changed, not just the answer to it.
            assert client.get(url)["ETag"] != old["ETag"], url
        if old.has_header("Last-Modified"):
            headers["HTTP_IF_MODIFIED_SINCE"] = old["Last-Modified"]
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        body = response.content.decode()
        for text in gone:
            assert text not in body, (url, text)
    for url, text in shown:
        assert text in client.get(url).content.decode(), (url, text)


def _delete_in_admin(client, release):
    client.force_login(editor())
    response = client.post(
        reverse("admin:releases_release_delete", args=[release.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    client.logout()


def _delete_selected_in_admin(client, release):
    client.force_login(editor())
    response = client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "delete_selected", "_selected_action": [release.pk], "post": "yes"},
    )
    assert response.status_code == 302
    client.logout()


def _delete_queryset(client, release):
    Release.objects.filter(pk=release.pk).delete()


def _delete_instance(client, release):
    release.delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "delete", [_delete_in_admin, _delete_selected_in_admin, _delete_queryset, _delete_instance]
)
def test_deleting_a_release_changes_every_validator(client, harbour, delete):
    _, doomed = harbour
    before = _validators(client)
    delete(client, doomed)
    assert not Release.objects.filter(pk=doomed.pk).exists()
    _assert_changed(client, before, gone=[doomed.headline, doomed.slug])


@pytest.mark.django_db
def test_renaming_a_tag_changes_every_validator_and_every_card(client, harbour):
    before = _validators(client)
    tag = Tag.objects.get(slug="harbours")
    tag.name = "Ports and harbours"
    tag.save()
    _assert_changed(
        client,
        {url: response for url, response in before.items() if url != "/tags/harbours/"},
        shown=[("/releases/", "Ports and harbours"), ("/", "Ports and harbours")],
    )
    # The cards printed the old name: they are rendered again.
    listed = client.get("/releases/").content.decode()
    assert ">harbours</a>" not in listed


@pytest.mark.django_db
def test_renaming_an_author_changes_every_validator(client, harbour):
    kept, _ = harbour
    before = _validators(client)
    author = kept.author
    author.name = "Renamed Reporter"
    author.save()
    _assert_changed(
        client,
        before,
        shown=[
            ("/feeds/releases.atom", "Renamed Reporter"),
            ("/api/releases/", "Renamed Reporter"),
        ],
    )


def _unlink_organization(release):
    release.organizations.clear()


def _unlink_organization_row(release):
    ReleaseOrganization.objects.filter(release=release).delete()


def _untag(release):
    release.tags.remove("harbours")


def _delete_tag(release):
    Tag.objects.filter(slug="harbours").delete()


def _remove_contact(release):
    release.contacts.clear()


def _delete_author(release):
    release.author.delete()


def _delete_correction(release):
    Correction.objects.filter(release=release).delete()


def _delete_attachment(release):
    Attachment.objects.filter(release=release).delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    [
        _unlink_organization,
        _unlink_organization_row,
        _untag,
        _delete_tag,
        _remove_contact,
        _delete_author,
        _delete_correction,
        _delete_attachment,
    ],
)
def test_every_unlink_or_delete_moves_the_version(harbour, write, django_assert_num_queries):
    _, release = harbour
    ReleaseContact.objects.create(release=release, contact=ContactFactory())
    Correction.objects.create(release=release, note="A figure was wrong.")
    Attachment.objects.create(release=release, title="Fact sheet", file="attachments/f.pdf")
    before = public_last_modified()
    write(release)
    with django_assert_num_queries(1):
        after = public_last_modified()
    assert after > before


@pytest.mark.django_db
def test_an_empty_log_falls_back_to_the_timestamps_and_the_next_write_fills_it():
    # As after a flush: the version is read from the rows' timestamps until a write.
    release = ReleaseFactory()
    DataVersion.objects.all().delete()
    assert public_last_modified() >= release.updated_at
    before = public_last_modified()
    Correction.objects.create(release=release, note="A date was wrong.")
    assert DataVersion.objects.exists()
    assert public_last_modified() > before


@pytest.mark.django_db
def test_pruning_the_log_keeps_the_version(client):
    release = ReleaseFactory(tags=["harbours"])
    for n in range(5):
        Correction.objects.create(release=release, note=f"Note {n}")
    version = public_version()
    assert DataVersion.objects.count() > 2
    # Entries of the last KEEP_SECONDS stay (the facets kept per block read them).
    recent = DataVersion.objects.filter(changed_at__gt=timezone.now() - timedelta(minutes=5))
    count = recent.count()
    prune_data_versions()
    assert recent.count() == count > 2
    # An hour on: every entry as old as that, in the same order.
    DataVersion.objects.update(changed_at=F("changed_at") - timedelta(seconds=KEEP_SECONDS + 60))
    version = public_version()
    assert prune_data_versions() > 0
    assert DataVersion.objects.count() == 2  # the newest, and the newest about tags
    assert public_version() == version


@pytest.mark.django_db
def test_the_log_keeps_longer_than_the_facet_blocks_go_without_a_full_count():
    from releases.facets import BLOCK_FULL_AGE, BLOCK_MARGIN

    assert timedelta(seconds=KEEP_SECONDS) > BLOCK_FULL_AGE + BLOCK_MARGIN


@pytest.mark.django_db
def test_writers_only_insert_into_the_log(django_assert_num_queries):
    # No row is updated in place: concurrent transactions never wait for each other.
    release = ReleaseFactory()
    with django_assert_num_queries(1) as queries:
        data_changed()
    assert queries.captured_queries[0]["sql"].startswith("INSERT")
    assert release.pk
