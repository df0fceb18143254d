"""``manage.py load_demo``: the promised content, idempotent, and nothing leaks."""

import io
import posixpath
import re
import zipfile
from datetime import timedelta
from io import StringIO

import phonenumbers
import pypdf
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import CharField, Count
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from taggit.models import Tag, TaggedItem

from releases.demo import artwork, content, media
from releases.demo.loader import load_demo
from releases.images import made_for
from releases.models import (
    Attachment,
    Author,
    Contact,
    Correction,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    ReleaseSlug,
    Status,
)

ALL_MODELS = (
    Organization,
    Author,
    Contact,
    Release,
    ReleaseOrganization,
    ReleaseContact,
    ReleaseSlug,
    Correction,
    Tag,
    TaggedItem,
    Attachment,
)


def load() -> str:
    """The command's output: the whole demo, images and files included."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    """Every row's primary key, per model, and every stored file with its renditions:
    equal snapshots mean nothing was added, removed, recreated or drawn again."""
    rows = {
        model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in ALL_MODELS
    }
    rows["files"] = sorted(
        [
            *Release.objects.values_list("featured_image", "featured_image_renditions"),
            *Attachment.objects.values_list("file", "renditions"),
            *Organization.objects.values_list("logo", "logo_renditions"),
        ],
        key=repr,
    )
    return rows


def scheduled(now):
    return Release.objects.filter(status=Status.PUBLISHED, published_at__gt=now)


def embargoed(now):
    return Release.objects.filter(
        status=Status.PUBLISHED, published_at__lte=now, embargoed_until__gt=now
    )


@pytest.fixture
def demo(db, media_root):
    """The demo's rows without its images and files (drawing them is most of the time a
    load takes); the tests of the media load them (``full_demo``)."""
    return str(load_demo(with_media=False))


@pytest.fixture
def full_demo(db, media_root):
    return load()


def test_summary_line(full_demo):
    demo = full_demo
    assert demo.startswith(
        f"Loaded 5 organizations, 8 authors, 10 contacts, 20 tags, {len(content.RELEASES)} releases"
    )
    public = Release.objects.published().count()
    assert demo.rstrip().endswith(f"; {public} public.")


def test_promised_counts(demo):
    now = timezone.now()
    assert Organization.objects.count() == 5
    assert Author.objects.count() == 8
    assert Contact.objects.count() == 10
    assert Tag.objects.count() == 20
    assert Release.objects.count() >= 40
    assert Release.objects.filter(status=Status.DRAFT).count() >= 3
    assert Release.objects.filter(status=Status.REVIEW).count() == 2
    assert scheduled(now).count() == 2
    assert embargoed(now).count() == 2
    assert Release.objects.filter(status=Status.WITHDRAWN).count() == 2
    assert Correction.objects.values("release").distinct().count() == 2


def test_organizations_authors_and_contacts_are_complete(demo):
    for org in Organization.objects.all():
        assert org.short_name and org.boilerplate and org.location and org.slug
        assert org.website.startswith("https://") and ".example." in org.website
    for author in Author.objects.all():
        assert author.bio and author.organization_id
    for contact in Contact.objects.all():
        assert contact.role and contact.organization_id
        assert contact.email.split("@")[1].split(".")[-2] == "example"


def test_contact_phones_are_valid_and_stored_as_rfc_3966(demo):
    regions = set()
    # The column as stored, not the PhoneNumber object the field turns it into.
    stored = dict(
        Contact.objects.annotate(raw=Cast("phone", CharField())).values_list("name", "raw")
    )
    for contact in Contact.objects.all():
        number = phonenumbers.parse(stored[contact.name])
        assert phonenumbers.is_valid_number(number), contact.name
        # RFC 3966 (PHONENUMBER_DB_FORMAT): E.164 digits with room for an extension.
        assert stored[contact.name] == phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.RFC3966
        )
        regions.add(phonenumbers.region_code_for_number(number))
    assert len(regions) >= 4


def test_every_release_is_a_complete_release(demo):
    now = timezone.now()
    releases = Release.objects.annotate(
        n_orgs=Count("organizations", distinct=True),
        n_contacts=Count("contacts", distinct=True),
        n_tags=Count("tags", distinct=True),
    )
    for release in releases:
        assert release.headline and release.subheadline and release.dateline, release.slug
        assert release.summary and release.body.strip(), release.slug
        outside_quotes = re.sub(r"<blockquote>.*?</blockquote>", "", release.body, flags=re.S)
        assert 3 <= outside_quotes.count("<p>") <= 6, release.slug
        assert release.author_id and release.language == "en"
        assert 1 <= release.n_orgs <= 2 and 1 <= release.n_contacts <= 2, release.slug
        assert 2 <= release.n_tags <= 4, release.slug
        if release.published_at and release.published_at <= now:
            assert release.published_at >= now - timedelta(days=3 * 365), release.slug
    bodies = list(Release.objects.values_list("body", flat=True))
    assert sum("<blockquote>" in body for body in bodies) >= 10
    assert sum("<ul>" in body for body in bodies) >= 5
    assert sum('<a href="https://' in body for body in bodies) >= 10
    assert sum("<h2>" in body for body in bodies) >= 20


def test_headlines_summaries_and_slugs_are_distinct():
    for field in ("slug", "headline", "subheadline", "summary"):
        values = [getattr(item, field) for item in content.RELEASES]
        assert len(set(values)) == len(values), field


def test_every_tag_is_used(demo):
    assert set(Tag.objects.filter(taggit_taggeditem_items__isnull=False).distinct()) == set(
        Tag.objects.all()
    )


def test_lifecycle_invariants(demo):
    now = timezone.now()
    for release in Release.objects.filter(status=Status.WITHDRAWN):
        assert release.published_at < release.withdrawn_at <= now
        assert release.withdrawal_reason
    for release in embargoed(now):
        assert release.published_at <= now < release.embargoed_until
        assert release.release_line.startswith("EMBARGOED UNTIL")
    for release in Release.objects.exclude(status__in=[Status.PUBLISHED, Status.WITHDRAWN]):
        assert release.published_at is None
    for release in Release.objects.all():
        release.full_clean()
    for correction in Correction.objects.select_related("release"):
        assert correction.release.published_at < correction.noted_at <= now


def test_one_joint_release_with_ordered_issuers(demo):
    joint = Release.objects.annotate(n=Count("organizations")).filter(n=2)
    assert joint.count() == 1
    links = ReleaseOrganization.objects.filter(release=joint.get()).order_by("position")
    assert [link.position for link in links] == [0, 1]
    assert [link.organization.short_name for link in links] == ["CICOR", "WU"]


def test_public_set_excludes_everything_not_public(demo):
    now = timezone.now()
    public = set(Release.objects.published().values_list("slug", flat=True))
    hidden = (
        set(
            Release.objects.filter(
                status__in=[Status.DRAFT, Status.REVIEW, Status.WITHDRAWN]
            ).values_list("slug", flat=True)
        )
        | set(scheduled(now).values_list("slug", flat=True))
        | set(embargoed(now).values_list("slug", flat=True))
    )
    assert len(hidden) == 11
    assert public.isdisjoint(hidden)
    assert public | hidden == set(Release.objects.values_list("slug", flat=True))
    assert len(public) >= 30


def test_loading_twice_changes_nothing(full_demo, media_root):
    before = snapshot()
    files = sorted(media_root.rglob("*"))
    times = dict(Release.objects.values_list("slug", "published_at"))
    second = load()
    assert snapshot() == before
    assert sorted(media_root.rglob("*")) == files, "no file stored twice"
    assert dict(Release.objects.values_list("slug", "published_at")) == times
    assert second == full_demo


def test_loading_repairs_edited_demo_rows(demo):
    """A demo row changed by hand is put back, its extra links dropped, nothing added."""
    release = Release.objects.get(slug=content.RELEASES[0].slug)
    release.tags.add("Stray tag")
    ReleaseContact.objects.create(release=release, contact=Contact.objects.last(), position=5)
    Release.objects.filter(pk=release.pk).update(headline="Edited")
    load_demo(with_media=False)
    release.refresh_from_db()
    assert release.headline == content.RELEASES[0].headline
    assert "Stray tag" not in release.tags.names()
    assert release.contacts.count() == len(content.RELEASES[0].contacts)


# -- images and files ---------------------------------------------------------------


def test_demo_releases_have_featured_images_with_renditions(full_demo):
    with_image = Release.objects.exclude(featured_image="")
    assert set(with_image.values_list("slug", flat=True)) == set(media.FEATURED_IMAGES)
    sizes = set()
    for release in with_image:
        spec = media.FEATURED_IMAGES[release.slug]
        assert posixpath.basename(release.featured_image.name) == spec.filename
        assert release.featured_image_alt == spec.alt and release.featured_image_caption
        assert release.featured_image_credit
        assert default_storage.exists(release.featured_image.name)
        with default_storage.open(release.featured_image.name) as handle:
            sizes.add(Image.open(handle).size)
        records = release.featured_image_renditions
        assert made_for(records, release.featured_image.name), release.slug
        assert {record["type"] for record in records} >= {"image/webp"}
        assert all(default_storage.exists(record["name"]) for record in records)
    widths = [width for width, _ in sizes]
    assert max(widths) == 2400 and min(widths) <= 640
    assert any(w == h for w, h in sizes) and any(w < h for w, h in sizes)
    # Shown where readers look: an image on the public releases, one embargoed, one draft.
    public = Release.objects.published().exclude(featured_image="").count()
    assert public >= 6 and with_image.count() - public == 2


def test_attachments_and_logos_have_their_facts_recorded(full_demo):
    for organization in Organization.objects.all():
        assert organization.logo, organization.name
        assert made_for(organization.logo_renditions, organization.logo.name)
    attachments = Attachment.objects.select_related("release")
    assert {a.release.slug for a in attachments} == set(media.ATTACHMENTS)
    types = set()
    for attachment in attachments:
        assert attachment.title and attachment.description
        assert attachment.size == default_storage.size(attachment.file.name)
        types.add(attachment.content_type)
        if attachment.content_type == "application/pdf":
            with default_storage.open(attachment.file.name) as handle:
                reader = pypdf.PdfReader(io.BytesIO(handle.read()), strict=True)
            assert reader.metadata.title in reader.pages[0].extract_text()
        else:
            assert made_for(attachment.renditions, attachment.file.name)
    assert types == {"application/pdf", "image/jpeg", "image/png"}
    both = [
        slug
        for slug, items in media.ATTACHMENTS.items()
        if {item.filename.rsplit(".", 1)[1] for item in items} >= {"pdf", "jpg"}
    ]
    assert both, "a release with an image and a PDF in its media kit"


def test_media_kit_of_a_demo_release_holds_its_files(client, full_demo):
    slug = "calder-institute-opens-portishead-coastal-observatory"
    response = client.get(reverse("releases:download_media_kit", kwargs={"slug": slug}))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = {posixpath.basename(name) for name in archive.namelist()}
        captions = next(n for n in archive.namelist() if n.endswith("captions-and-credits.txt"))
        assert media.FEATURED_IMAGES[slug].alt in archive.read(captions).decode()
    assert {
        f"{slug}.pdf",
        f"{slug}.txt",
        "portishead-observatory.jpg",
        "observatory-fact-sheet.pdf",
        "observatory-at-dusk.jpg",
    } <= names


def test_demo_images_of_hidden_releases_stay_hidden(client, full_demo):
    for slug in (
        "night-bus-network-expands-to-24-routes",
        "arctic-sea-ice-free-septembers-decade-earlier",
    ):
        release = Release.objects.get(slug=slug)
        assert not Release.objects.published().filter(pk=release.pk).exists()
        assert client.get(release.featured_image.url).status_code == 404
        rendition = release.featured_image_renditions[0]["name"]
        assert client.get(default_storage.url(rendition)).status_code == 404
    shown = Release.objects.get(slug="dunmore-bank-offshore-wind-farm-first-power")
    assert client.get(shown.featured_image.url).status_code == 200


def test_a_demo_file_gone_from_storage_is_drawn_again(full_demo):
    release = Release.objects.get(slug="dunmore-bank-offshore-wind-farm-first-power")
    attachment = release.attachments.get()
    default_storage.delete(attachment.file.name)
    load()
    fresh = release.attachments.get()
    assert fresh.pk == attachment.pk and fresh.file.name != attachment.file.name
    assert default_storage.exists(fresh.file.name) and fresh.size


def test_artwork_is_the_same_on_every_load():
    assert artwork.scene("wind", (320, 200), seed="a") == artwork.scene(
        "wind", (320, 200), seed="a"
    )
    assert artwork.scene("wind", (320, 200), seed="a") != artwork.scene(
        "wind", (320, 200), seed="b"
    )
    assert artwork.fact_sheet_pdf("T", ["x"]) == artwork.fact_sheet_pdf("T", ["x"])
