"""Whatever the query string, a list page answers 200, 400 or 404, never a 500.

A hypothesis property test throws arbitrary query strings (the contract's keys plus
junk; text, numbers and dates as values) at every kind of list page, then explicit
cases pin down which invalid value gives which answer.
"""

from datetime import UTC, datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

PATHS = [
    "/releases/",
    "/releases/2024/",
    "/releases/2024/03/",
    "/tags/energy/",
    "/organizations/acme/",
    "/authors/ada/",
]
CONTRACT_KEYS = ["tag", "organization", "author", "year", "month", "from", "to", "q", "page"]
# Text a URL can carry: anything but lone surrogates (they cannot be UTF-8 encoded).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
VALUES = st.one_of(
    TEXT,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(["energy", "water", "acme", "ada", "2024", "3", "12", "13", "0", "-1"]),
    st.text("0123456789-.e+", max_size=12),
    st.just("x" * 5000),
)
QUERIES = st.dictionaries(
    st.one_of(st.sampled_from(CONTRACT_KEYS), TEXT),
    st.lists(VALUES, min_size=1, max_size=3),
    max_size=6,
)


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        acme = OrganizationFactory(name="Acme", slug="acme")
        ada = AuthorFactory(name="Ada", slug="ada")
        for day in (1, 15, 28):
            ReleaseFactory(
                published_at=datetime(2024, 3, day, 12, tzinfo=UTC),
                organizations=[acme],
                author=ada,
                tags=["energy", "water"],
            )
        ReleaseFactory(published_at=datetime(2023, 7, 1, 12, tzinfo=UTC), tags=["water"])
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _db(db, newsroom):
    """Every test here reads the shared newsroom."""


PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(query=QUERIES)
def test_arbitrary_query_strings_never_cause_a_server_error_on_the_list(client, query):
    response = client.get("/releases/", query)
    assert response.status_code in (200, 400, 404), query


@PROPERTY_SETTINGS
@given(path=st.sampled_from(PATHS[1:]), query=QUERIES)
def test_arbitrary_query_strings_never_cause_a_server_error_on_other_lists(client, path, query):
    response = client.get(path, query)
    assert response.status_code in (200, 400, 404), (path, query)


def test_the_pages_exist_for_the_property_test(client):
    for path in PATHS:
        assert client.get(path).status_code == 200, path


def assert_400_with_message(response, message):
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert message in html
    # The 400 is the list page itself: the form is there to correct the value.
    assert 'class="filter-form"' in html
    assert "[invalid name]" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "two"}, "The page number must be a whole number."),
        ({"page": "1.5"}, "The page number must be a whole number."),
        ({"month": "13", "year": "2024"}, "Month"),
        ({"month": "3"}, "Choose a year with the month."),
        ({"from": "2024-02-30"}, "Enter a valid date."),
        ({"to": "2024-13-01"}, "Enter a valid date."),
        ({"tag": "no-such-tag"}, "Unknown tag: no-such-tag."),
        ({"tag": ["energy", "nope"]}, "Unknown tag: nope."),
        ({"organization": "no-such-org"}, "Unknown organization: no-such-org."),
        ({"author": "no-such-author"}, "Unknown author: no-such-author."),
        ({"q": "x" * 5000}, "Ensure this value has at most 200 characters"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "The end date is before the start date."),
        ({"year": "2024.5"}, "Enter a whole number."),
        ({"year": "abc"}, "Enter a whole number."),
        ({"year": "1800"}, "Year"),
        ({"to": "9999-12-31"}, "Choose a date between 1900 and 2999."),
        ({"from": "0001-01-01"}, "Choose a date between 1900 and 2999."),
    ],
)
def test_invalid_values_answer_400_with_the_list_page_and_a_message(client, query, message):
    assert_400_with_message(client.get("/releases/", query), message)


def test_every_invalid_value_is_reported_at_once(client):
    response = client.get("/releases/", {"page": "x", "month": "3", "tag": "nope"})
    for message in (
        "The page number must be a whole number.",
        "Choose a year with the month.",
        "Unknown tag: nope.",
    ):
        assert_400_with_message(response, message)


def test_invalid_values_on_a_tag_page_answer_400_on_that_page(client):
    response = client.get("/tags/energy/", {"month": "3"})
    assert_400_with_message(response, "Choose a year with the month.")
    assert "<h1>energy</h1>" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "3", "99999999999999999999"])
def test_page_numbers_outside_the_list_are_404(client, page):
    assert client.get("/releases/", {"page": page}).status_code == 404


def test_page_one_and_an_empty_page_value_are_the_first_page(client):
    assert client.get("/releases/", {"page": "1"}).status_code == 200
    assert client.get("/releases/", {"page": ""}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/tags/no-such-tag/",
        "/organizations/no-such-org/",
        "/authors/no-such-author/",
        "/releases/1800/",
        "/releases/2022/",
        "/releases/2024/04/",
        "/releases/2024/13/",
    ],
)
def test_pages_for_things_that_do_not_exist_are_404(client, path):
    assert client.get(path).status_code == 404


def test_a_tag_that_only_drafts_carry_has_no_page(client):
    ReleaseFactory(draft=True, tags=["secret-merger"])
    assert client.get("/tags/secret-merger/").status_code == 404


def test_an_archive_emptied_by_its_filters_still_exists(client):
    response = client.get("/releases/2024/", {"tag": "water", "q": "nothing-matches-this"})
    assert response.status_code == 200
    assert response.context["total"] == 0


def test_the_url_wins_over_the_query_string_for_the_keys_it_fixes(client):
    response = client.get("/releases/2023/", {"year": "2024"})
    assert response.status_code == 200
    assert response.context["total"] == 1
    response = client.get("/organizations/acme/", {"organization": "nope"})
    assert response.status_code == 200
    assert response.context["total"] == 3


def test_junk_parameters_are_ignored(client):
    response = client.get("/releases/", {"utm_source": "x", "tag": "energy", "": "y"})
    assert response.status_code == 200
    assert response.context["total"] == 3
