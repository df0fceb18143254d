"""Every named public route reverses and resolves back to itself; archives beat slugs."""

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from releases.views import corrections, detail, lists, pages

ROUTES = [
    ("releases:home", {}, "/", pages.home),
    ("releases:list", {}, "/releases/", lists.release_list),
    ("releases:archive_year", {"year": 2024}, "/releases/2024/", lists.archive_year),
    (
        "releases:archive_month",
        {"year": 2024, "month": 3},
        "/releases/2024/03/",
        lists.archive_month,
    ),
    (
        "releases:detail",
        {"slug": "2024-results"},
        "/releases/2024-results/",
        detail.release_detail,
    ),
    ("releases:tags", {}, "/tags/", pages.tag_index),
    ("releases:tag", {"slug": "energy"}, "/tags/energy/", lists.tag_detail),
    (
        "releases:organization",
        {"slug": "who"},
        "/organizations/who/",
        lists.organization_detail,
    ),
    ("releases:author", {"slug": "ada-lovelace"}, "/authors/ada-lovelace/", lists.author_detail),
    ("releases:corrections", {}, "/corrections/", corrections.corrections_log),
]


@pytest.mark.parametrize(("name", "kwargs", "path", "view"), ROUTES)
def test_named_route_round_trips(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.func == view
    assert match.kwargs == kwargs


def test_slug_that_starts_with_a_year_is_a_release():
    match = resolve("/releases/2024-results/")
    assert match.view_name == "releases:detail"
    assert match.kwargs == {"slug": "2024-results"}


def test_four_digits_are_a_year_archive_not_a_slug():
    match = resolve("/releases/2024/")
    assert match.view_name == "releases:archive_year"
    assert match.kwargs == {"year": 2024}


def test_month_archive_takes_two_digit_months_only():
    assert resolve("/releases/2024/12/").kwargs == {"year": 2024, "month": 12}
    for path in ("/releases/2024/13/", "/releases/2024/00/", "/releases/2024/3/"):
        with pytest.raises(Resolver404):
            resolve(path)


def test_years_and_months_are_zero_padded_when_reversed():
    assert reverse("releases:archive_year", kwargs={"year": 999}) == "/releases/0999/"
    assert reverse("releases:archive_month", args=[2024, 1]) == "/releases/2024/01/"


def test_a_five_digit_year_is_not_an_archive():
    assert resolve("/releases/20245/").view_name == "releases:detail"
    with pytest.raises(NoReverseMatch):
        reverse("releases:archive_month", kwargs={"year": 2024, "month": 13})


@pytest.mark.django_db
def test_release_urls_follow_the_script_prefix_the_site_is_mounted_under():
    from django.urls import clear_script_prefix, set_script_prefix

    from tests.factories import ReleaseFactory

    release = ReleaseFactory(headline="Mounted elsewhere")
    set_script_prefix("/newsroom/")
    try:
        assert release.get_absolute_url() == "/newsroom/releases/mounted-elsewhere/"
    finally:
        clear_script_prefix()
    assert release.get_absolute_url() == "/releases/mounted-elsewhere/"
