"""Integrity of a release: what the database refuses and what ``full_clean()`` explains."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from releases.models import Release, ReleaseOrganization, Status
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime(2024, 9, 1, 9, 0, tzinfo=UTC)


def _full_clean_errors(release) -> dict:
    with pytest.raises(ValidationError) as caught:
        release.full_clean()
    return caught.value.message_dict


# -- the database refuses ------------------------------------------------------------


def test_database_rejects_a_published_release_without_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(headline="No time", status=Status.PUBLISHED, published_at=None)


def test_database_rejects_a_withdrawn_release_without_withdrawal_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(
            headline="Gone", status=Status.WITHDRAWN, published_at=PUBLISHED_AT, withdrawn_at=None
        )


def test_database_rejects_a_featured_image_without_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(headline="Picture", featured_image="releases/2024/photo.jpg")


def test_database_rejects_publishing_an_existing_draft_without_a_time():
    release = ReleaseFactory(draft=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(status=Status.PUBLISHED)

    release.refresh_from_db()
    assert release.status == Status.DRAFT


def test_database_accepts_a_featured_image_with_alt_text_and_a_draft_without_time():
    Release.objects.create(
        headline="Picture",
        featured_image="releases/2024/photo.jpg",
        featured_image_alt="Two researchers at a bench",
    )
    Release.objects.create(headline="Draft", status=Status.DRAFT, published_at=None)

    assert Release.objects.count() == 2


# -- full_clean explains, field by field ------------------------------------------------


def test_full_clean_names_the_publication_time_of_a_published_release_without_one():
    release = Release(headline="No time", slug="no-time", status=Status.PUBLISHED)

    errors = _full_clean_errors(release)

    assert "published_at" in errors
    assert NON_FIELD_ERRORS not in errors


def test_full_clean_names_the_withdrawal_time_of_a_withdrawn_release_without_one():
    release = Release(
        headline="Gone", slug="gone", status=Status.WITHDRAWN, published_at=PUBLISHED_AT
    )

    errors = _full_clean_errors(release)

    assert "withdrawn_at" in errors
    assert NON_FIELD_ERRORS not in errors


@pytest.mark.parametrize("alt", ["", "   "])
def test_full_clean_names_the_alt_text_of_a_featured_image_without_one(alt):
    release = Release(
        headline="Picture", slug="picture", featured_image="releases/p.jpg", featured_image_alt=alt
    )

    errors = _full_clean_errors(release)

    assert "featured_image_alt" in errors
    assert NON_FIELD_ERRORS not in errors


def test_full_clean_names_an_embargo_that_lifts_before_publication():
    release = Release(
        headline="Early embargo",
        slug="early-embargo",
        status=Status.PUBLISHED,
        published_at=PUBLISHED_AT,
        embargoed_until=PUBLISHED_AT - timedelta(minutes=1),
    )

    errors = _full_clean_errors(release)

    assert list(errors) == ["embargoed_until"]


def test_full_clean_accepts_an_embargo_lifting_at_publication_time():
    release = Release(
        headline="Embargo at publication",
        slug="embargo-at-publication",
        status=Status.PUBLISHED,
        published_at=PUBLISHED_AT,
        embargoed_until=PUBLISHED_AT,
    )

    release.full_clean()


def test_full_clean_accepts_a_complete_withdrawn_release():
    release = Release(
        headline="Gone",
        slug="gone",
        status=Status.WITHDRAWN,
        published_at=PUBLISHED_AT,
        withdrawn_at=PUBLISHED_AT + timedelta(days=1),
    )

    release.full_clean()


# -- the parts of a release, derived from data ----------------------------------------------


def test_release_line_is_for_immediate_release_without_embargo():
    assert ReleaseFactory().release_line == "FOR IMMEDIATE RELEASE"


def test_release_line_names_the_embargo_time_and_zone():
    release = ReleaseFactory(
        published_at=PUBLISHED_AT, embargoed_until=datetime(2024, 9, 2, 6, 30, tzinfo=UTC)
    )

    assert release.release_line == "EMBARGOED UNTIL 2 September 2024, 06:30 UTC"


def test_dateline_reads_city_then_publication_date():
    release = ReleaseFactory(dateline="London", published_at=PUBLISHED_AT)

    assert release.formatted_dateline == "LONDON, 1 September 2024 —"


def test_issuer_is_the_first_organization_in_editorial_order_not_by_name():
    zeta, alpha = OrganizationFactory(name="Zeta Trust"), OrganizationFactory(name="Alpha Fund")
    release = ReleaseFactory(organizations=[zeta, alpha])

    assert release.issuer == zeta
    prefetched = Release.objects.with_parts().get(pk=release.pk)
    assert prefetched.issuer == zeta


def test_with_parts_keeps_organizations_and_contacts_in_editorial_order():
    zeta, alpha, mid = (OrganizationFactory(name=n) for n in ("Zeta", "Alpha", "Mid"))
    zoe, adam = ContactFactory(name="Zoe Zed"), ContactFactory(name="Adam Ant")
    first = ReleaseFactory(organizations=[zeta, alpha, mid], contacts=[zoe, adam])
    # Another release links the same rows in another order: no join may mix them up.
    second = ReleaseFactory(organizations=[alpha, zeta], contacts=[adam, zoe])
    ReleaseOrganization.objects.filter(release=first, organization=mid).update(position=1)
    ReleaseOrganization.objects.filter(release=first, organization=alpha).update(position=2)

    by_pk = {r.pk: r for r in Release.objects.with_parts().filter(pk__in=[first.pk, second.pk])}

    assert list(by_pk[first.pk].organizations.all()) == [zeta, mid, alpha]
    assert list(by_pk[first.pk].contacts.all()) == [zoe, adam]
    assert list(by_pk[second.pk].organizations.all()) == [alpha, zeta]
    assert list(by_pk[second.pk].contacts.all()) == [adam, zoe]


def test_organizations_without_positions_keep_the_order_they_were_added_in():
    # An admin inline may leave every position at its default of 0.
    release = ReleaseFactory()
    zeta, alpha = OrganizationFactory(name="Zeta"), OrganizationFactory(name="Alpha")
    ReleaseOrganization.objects.create(release=release, organization=zeta)
    ReleaseOrganization.objects.create(release=release, organization=alpha)

    assert release.issuer == zeta
    assert list(Release.objects.with_parts().get().organizations.all()) == [zeta, alpha]


def test_corrections_read_as_updated_date_and_note():
    release = ReleaseFactory(published_at=PUBLISHED_AT)
    correction = release.corrections.create(
        noted_at=datetime(2024, 9, 3, 12, 0, tzinfo=UTC), note="Corrected the figure."
    )

    assert str(correction) == "Updated 3 September 2024: Corrected the figure."


def test_created_and_updated_timestamps_are_set_on_save():
    before = timezone.now()
    release = ReleaseFactory()

    assert before <= release.created_at <= timezone.now()
    assert release.created_at <= release.updated_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("Москва открывает новый мост", "moskva-otkryvaet-novyy-most"),
        ("Αθήνα: νέο μετρό", "athina-neo-metro"),
        ("Förderung für den Hafen", "forderung-fur-den-hafen"),
    ],
)
def test_a_headline_in_any_script_gives_a_readable_slug(headline, slug):
    assert ReleaseFactory(headline=headline, slug="").slug == slug
