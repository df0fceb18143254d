"""Every list filter, alone and with every other, returns exactly the releases it should.

A small fixed newsroom (three organizations, three tags, two authors, dates across two
years with releases on the year and month boundaries) plus one release in every
non-public state carrying every tag, organization and author. Each response's result
set is compared with the same filter computed in Python over the model objects.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from releases.filters import FoundTag
from releases.models import Release, Status
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory


@dataclass(frozen=True)
class Row:
    """What the test knows about a public release, to filter it in Python."""

    pk: int
    headline: str
    published_at: datetime
    organizations: frozenset
    tags: frozenset
    author: str | None


PUBLIC = [
    # headline, published (UTC), organizations, tags, author
    ("Acme kelp survey", (2023, 1, 15, 9), "acme", "alpha", "xu"),
    ("Borealis wind report", (2023, 3, 10, 9), "borealis", "beta", "yates"),
    ("Joint kelp study", (2023, 3, 25, 9), "acme borealis", "alpha beta", "xu"),
    ("Cobalt grid upgrade", (2023, 7, 1, 9), "cobalt", "gamma", None),
    ("Acme annual results", (2023, 12, 31, 23, 30), "acme", "", "yates"),
    ("Borealis hires director", (2024, 1, 1, 0, 0), "borealis", "alpha gamma", "xu"),
    ("Kelp forests recover", (2024, 2, 29, 12), "cobalt acme", "alpha beta gamma", "yates"),
    ("Cobalt storage pilot", (2024, 3, 1, 0, 0), "cobalt", "beta", "xu"),
    ("Acme opens kelp lab", (2024, 3, 15, 9), "acme", "alpha", None),
    ("Borealis partnership", (2024, 3, 31, 23, 59), "borealis cobalt", "beta gamma", "yates"),
    ("Untagged notice", (2024, 6, 10, 9), "", "", None),
    ("Quiet update", (2024, 11, 5, 9), "acme", "gamma", "xu"),
]

HIDDEN_STATES = ["draft", "in_review", "scheduled", "embargoed", "withdrawn"]


def build_newsroom():
    """The fixed data set; returns the public rows (hidden releases are not returned)."""
    organizations = {
        slug: OrganizationFactory(name=f"{slug.title()} Ltd", short_name="", slug=slug)
        for slug in ("acme", "borealis", "cobalt")
    }
    authors = {slug: AuthorFactory(name=slug.title(), slug=slug) for slug in ("xu", "yates")}
    rows = []
    for headline, when, orgs, tags, author in PUBLIC:
        release = ReleaseFactory(
            headline=headline,
            published_at=datetime(*when, tzinfo=UTC),
            organizations=[organizations[slug] for slug in orgs.split()],
            tags=tags.split(),
            author=authors[author] if author else None,
        )
        rows.append(
            Row(
                release.pk,
                headline,
                release.published_at,
                frozenset(orgs.split()),
                frozenset(tags.split()),
                author,
            )
        )
    now = timezone.now()
    for state in HIDDEN_STATES:
        extra = {state: True}
        if state in ("embargoed", "withdrawn"):
            extra["published_at"] = datetime(2024, 3, 10, 9, tzinfo=UTC)
        if state == "scheduled":
            extra["published_at"] = now + timedelta(days=10)
        ReleaseFactory(
            headline=f"Hidden {state} kelp release",
            organizations=list(organizations.values()),
            tags=["alpha", "beta", "gamma"],
            author=authors["xu"],
            **extra,
        )
    return rows


# Each kind of filter with the values it is tried with (query-string dicts).
KINDS = {
    "tag": [{"tag": ["alpha"]}, {"tag": ["gamma"]}],
    "tags (all of)": [{"tag": ["alpha", "beta"]}, {"tag": ["beta", "gamma"]}],
    "organization": [{"organization": "acme"}, {"organization": "cobalt"}],
    "author": [{"author": "xu"}, {"author": "yates"}],
    "year": [{"year": "2023"}, {"year": "2024"}],
    "month": [{"year": "2024", "month": "3"}, {"year": "2023", "month": "12"}],
    "from": [{"from": "2024-01-01"}, {"from": "2023-03-25"}],
    "to": [{"to": "2023-12-31"}, {"to": "2024-03-01"}],
    "q": [{"q": "kelp"}],
}


def merge(*queries):
    merged = {}
    for query in queries:
        for key, value in query.items():
            if key == "tag":
                merged["tag"] = list(dict.fromkeys([*merged.get("tag", []), *value]))
            else:
                merged[key] = value
    return merged


def expected(rows, query):
    """The pks the filters should keep, or None when the combination is invalid (400)."""
    start = date.fromisoformat(query["from"]) if "from" in query else None
    end = date.fromisoformat(query["to"]) if "to" in query else None
    if start and end and start > end:
        return None

    def keeps(row):
        day = row.published_at.astimezone(UTC).date()
        return (
            set(query.get("tag", [])) <= row.tags
            and ("organization" not in query or query["organization"] in row.organizations)
            and ("author" not in query or row.author == query["author"])
            and ("year" not in query or day.year == int(query["year"]))
            and ("month" not in query or day.month == int(query["month"]))
            and (start is None or day >= start)
            and (end is None or day <= end)
            and ("q" not in query or query["q"].lower() in row.headline.lower())
        )

    return {row.pk for row in rows if keeps(row)}


def combinations():
    """Every kind alone and every pair of kinds that do not set the same key twice."""
    for size in (1, 2):
        for kinds in itertools.combinations(KINDS, size):
            keys = [set(KINDS[kind][0]) for kind in kinds]
            if size == 2 and (keys[0] & keys[1]) - {"tag"}:
                continue  # "year" with "month": one year at a time
            yield kinds


def result_pks(response):
    return {release.pk for release in response.context["page_obj"].object_list}


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at its end.

    Read-only tests share it; each still runs in its own (nested) transaction.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_newsroom()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _db(db):
    """Every test here reads the database."""


@pytest.fixture(autouse=True, params=["join", "semi-join"])
def tag_shape(request, monkeypatch):
    """Every test runs with each tag condition's two shapes (``releases.filters
    .FoundTag.dense``): a join on the tag's rows, and the semi-join a tag on many
    releases gets; both must keep exactly the same releases."""
    dense = request.param == "semi-join"
    monkeypatch.setattr(FoundTag, "dense", property(lambda tag: dense))
    return request.param


@pytest.mark.parametrize("kinds", list(combinations()), ids=" + ".join)
def test_filter_combination_returns_exactly_the_matching_public_releases(client, newsroom, kinds):
    selected_something = False
    for values in itertools.product(*(KINDS[kind] for kind in kinds)):
        query = merge(*values)
        want = expected(newsroom, query)
        response = client.get("/releases/", query)
        if want is None:
            assert response.status_code == 400, query
            continue
        assert response.status_code == 200, query
        assert result_pks(response) == want, query
        assert response.context["total"] == len(want), query
        selected_something = selected_something or bool(want)
    # Otherwise the comparison would prove little: the data set must exercise the filters.
    assert selected_something, f"no value of {kinds} selects anything"


def test_no_filter_lists_every_public_release_and_nothing_else(client, newsroom):
    response = client.get("/releases/")
    assert result_pks(response) == {row.pk for row in newsroom}
    assert b"Hidden" not in response.content


def test_repeated_tag_means_all_of_them_not_any(client, newsroom):
    response = client.get("/releases/", {"tag": ["alpha", "beta", "gamma"]})
    assert [r.headline for r in response.context["page_obj"].object_list] == [
        "Kelp forests recover"
    ]


@pytest.mark.parametrize(
    ("path", "fixed"),
    [
        ("/tags/alpha/", {"tag": ["alpha"]}),
        ("/organizations/acme/", {"organization": "acme"}),
        ("/authors/yates/", {"author": "yates"}),
        ("/releases/2024/", {"year": "2024"}),
        ("/releases/2024/03/", {"year": "2024", "month": "3"}),
    ],
)
def test_pages_with_a_filter_in_the_url_equal_the_list_with_that_filter(
    client, newsroom, path, fixed
):
    for kind, values in KINDS.items():
        for value in values:
            if (set(value) & set(fixed)) - {"tag"}:
                continue
            query = merge(fixed, value)
            want = expected(newsroom, query)
            response = client.get(path, value)
            if want is None:
                assert response.status_code == 400, (path, value)
                continue
            if not want and path.startswith("/releases/20"):
                # An archive exists only with releases in it, but filters may empty it.
                assert response.status_code == 200, (path, value)
            assert response.status_code == 200, (path, kind, value)
            assert result_pks(response) == want, (path, value)


def test_hidden_states_really_exist_in_the_data_set(newsroom):
    from releases.models import Release

    hidden = Release.objects.exclude(pk__in=[row.pk for row in newsroom])
    assert hidden.count() == len(HIDDEN_STATES)
    assert set(hidden.values_list("status", flat=True)) == {
        Status.DRAFT,
        Status.REVIEW,
        Status.PUBLISHED,
        Status.WITHDRAWN,
    }
    assert not Release.objects.published().filter(pk__in=hidden)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field",
    [
        ({"to": "9999-12-31"}, "to"),
        ({"from": "0001-01-01"}, "from"),
        ({"year": "2024.5"}, "year"),
        ({"year": "2024", "month": "1.5"}, "month"),
    ],
)
def test_the_filterset_itself_refuses_values_it_cannot_mean(data, field):
    from releases.filters import ReleaseFilter

    filterset = ReleaseFilter(data, queryset=Release.objects.published())
    assert not filterset.is_valid()
    assert field in filterset.errors
