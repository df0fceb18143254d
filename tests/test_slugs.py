"""Release slugs: generated, unique, never a bare number, and old URLs keep working."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse

from releases.models import Release, ReleaseSlug
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def _rename(release, slug):
    release.slug = slug
    release.save()
    return release


def test_slug_is_generated_from_the_headline():
    release = ReleaseFactory(headline="WHO reports: Measles cases fall by 40%")

    assert release.slug == "who-reports-measles-cases-fall-by-40"
    assert release.get_absolute_url() == f"/releases/{release.slug}/"


def test_two_releases_with_the_same_headline_get_distinct_slugs():
    first = ReleaseFactory(headline="Annual report")
    second = ReleaseFactory(headline="Annual report")
    third = ReleaseFactory(headline="Annual report")

    assert (first.slug, second.slug, third.slug) == (
        "annual-report",
        "annual-report-2",
        "annual-report-3",
    )


def test_generated_slug_avoids_a_slug_another_release_used_to_have():
    moved = ReleaseFactory(headline="Annual report")
    _rename(moved, "annual-report-2024")

    newcomer = ReleaseFactory(headline="Annual report")

    assert newcomer.slug == "annual-report-2"


@pytest.mark.parametrize("headline", ["2024", "2024 12", "1 000 000"])
def test_a_numeric_headline_gets_a_slug_with_a_letter(headline):
    release = ReleaseFactory(headline=headline)

    assert not release.slug.replace("-", "").isdigit()
    assert any(character.isalpha() for character in release.slug)
    assert resolve(release.get_absolute_url()).url_name == "detail"


def test_a_headline_without_latin_letters_still_gets_a_slug():
    release = ReleaseFactory(headline="« — »")

    assert release.slug == "release"


def test_a_hand_written_all_digit_slug_is_refused_by_full_clean():
    release = ReleaseFactory()
    release.slug = "2024"

    with pytest.raises(ValidationError) as caught:
        release.full_clean()

    assert "slug" in caught.value.message_dict


def test_a_hand_written_slug_that_another_release_used_to_have_is_refused_by_full_clean(client):
    moved = ReleaseFactory(headline="Budget")
    _rename(moved, "budget-2025")
    other = ReleaseFactory(headline="Spending")
    other.slug = "budget"

    with pytest.raises(ValidationError) as caught:
        other.full_clean()

    assert "slug" in caught.value.message_dict
    assert client.get("/releases/budget/")["Location"] == "/releases/budget-2025/"


def test_full_clean_accepts_going_back_to_the_release_s_own_old_slug():
    release = ReleaseFactory(headline="Original name")
    _rename(release, "interim-name")
    release.slug = "original-name"

    release.full_clean()


def test_changing_the_headline_keeps_the_slug():
    release = ReleaseFactory(headline="First headline")
    release.headline = "Second headline"
    release.save()

    release.refresh_from_db()
    assert release.slug == "first-headline"
    assert not release.old_slugs.exists()


def test_changing_the_slug_records_the_old_one(client):
    release = ReleaseFactory(headline="Old name")
    _rename(release, "new-name")

    assert list(release.old_slugs.values_list("slug", flat=True)) == ["old-name"]
    response = client.get(reverse("releases:detail", kwargs={"slug": "old-name"}))
    assert response.status_code == 301
    assert response["Location"] == release.get_absolute_url() == "/releases/new-name/"


def test_changing_the_slug_twice_keeps_both_old_urls_working(client):
    release = ReleaseFactory(headline="First name")
    _rename(release, "second-name")
    _rename(release, "third-name")

    assert set(release.old_slugs.values_list("slug", flat=True)) == {"first-name", "second-name"}
    for old in ("first-name", "second-name"):
        response = client.get(f"/releases/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/releases/third-name/"
    assert client.get("/releases/third-name/").status_code == 200


def test_changing_back_to_an_old_slug_works_and_does_not_loop(client):
    release = ReleaseFactory(headline="Original name")
    _rename(release, "interim-name")
    _rename(release, "original-name")

    release.refresh_from_db()
    assert release.slug == "original-name"
    assert list(release.old_slugs.values_list("slug", flat=True)) == ["interim-name"]
    assert client.get("/releases/original-name/").status_code == 200
    response = client.get("/releases/interim-name/", follow=True)
    assert response.redirect_chain == [("/releases/original-name/", 301)]
    assert response.status_code == 200


def test_swapping_back_and_forth_many_times_keeps_one_row_per_old_slug(client):
    release = ReleaseFactory(headline="Ping")
    for slug in ("pong", "ping", "pong", "ping", "pong"):
        _rename(release, slug)

    assert list(release.old_slugs.values_list("slug", flat=True)) == ["ping"]
    assert client.get("/releases/ping/")["Location"] == "/releases/pong/"


def test_an_old_slug_is_not_taken_over_by_a_new_release(client):
    moved = ReleaseFactory(headline="Budget")
    _rename(moved, "budget-2025")
    newcomer = ReleaseFactory(headline="Budget")

    assert newcomer.slug != "budget"
    assert client.get("/releases/budget/")["Location"] == "/releases/budget-2025/"


def test_deleting_a_release_forgets_its_old_slugs(client):
    release = ReleaseFactory(headline="Short lived")
    _rename(release, "renamed")
    release.delete()

    assert not ReleaseSlug.objects.exists()
    assert client.get("/releases/short-lived/").status_code == 404


def test_saving_without_a_slug_change_records_nothing():
    release = ReleaseFactory()
    release.summary = "A new lede."
    release.save()
    release.save(update_fields=["summary"])

    assert not ReleaseSlug.objects.exists()
    assert Release.objects.get(pk=release.pk).summary == "A new lede."
