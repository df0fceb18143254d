"""``manage.py load_demo``: the promised content, idempotent, and nothing leaks."""

import re
from datetime import timedelta
from io import StringIO

import phonenumbers
import pytest
from django.core.management import call_command
from django.db.models import CharField, Count
from django.db.models.functions import Cast
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from releases.demo import content
from releases.models import (
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
)


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[int]]:
    """Every row's primary key, per model: equal snapshots mean nothing was added,
    removed or recreated."""
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in ALL_MODELS
    }


def scheduled(now):
    return Release.objects.filter(status=Status.PUBLISHED, published_at__gt=now)


def embargoed(now):
    return Release.objects.filter(
        status=Status.PUBLISHED, published_at__lte=now, embargoed_until__gt=now
    )


@pytest.fixture
def demo(db):
    return load()


def test_summary_line(demo):
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


def test_loading_twice_changes_nothing(demo):
    before = snapshot()
    times = dict(Release.objects.values_list("slug", "published_at"))
    second = load()
    assert snapshot() == before
    assert dict(Release.objects.values_list("slug", "published_at")) == times
    assert second == demo


def test_loading_repairs_edited_demo_rows(demo):
    """A demo row changed by hand is put back, its extra links dropped, nothing added."""
    release = Release.objects.get(slug=content.RELEASES[0].slug)
    release.tags.add("Stray tag")
    ReleaseContact.objects.create(release=release, contact=Contact.objects.last(), position=5)
    Release.objects.filter(pk=release.pk).update(headline="Edited")
    load()
    release.refresh_from_db()
    assert release.headline == content.RELEASES[0].headline
    assert "Stray tag" not in release.tags.names()
    assert release.contacts.count() == len(content.RELEASES[0].contacts)
