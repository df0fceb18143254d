"""The API does what ``/api/schema/`` says (issue 7 §4): a property-based run of every
operation of the schema, positive and negative data, through the real WSGI app.

schemathesis generates requests from the schema and checks each answer: no 5xx, a
documented status code, the documented content type, headers and body; valid requests
accepted, invalid ones refused. Examples are bounded (``max_examples``) so the run stays
within seconds.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.generation import GenerationMode
from taggit.models import Tag

from releases.models import Author, Organization
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


# Loaded once, at collection: generating the schema reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def newsroom(db):
    """Public releases for the examples to find, and connections kept open.

    Django closes a connection that is not in autocommit at the end of each request; the
    test database's transaction must survive the requests, so (as Django's own test
    client does) connections are left open while the examples run.
    """
    organization = OrganizationFactory(name="Zeta Trust")
    ReleaseFactory(
        tags=["Health", "🚀", "économie"],
        organizations=[organization, OrganizationFactory(name="新闻社")],
        author=AuthorFactory(name="!!!"),
    )
    ReleaseFactory(tags=["Health"], organizations=[organization])
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "tag": list(Tag.objects.values_list("slug", flat=True)),
        "organization": list(Organization.objects.values_list("slug", flat=True)),
        "author": list(Author.objects.values_list("slug", flat=True)),
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def valid_in_data(case, slugs: dict[str, list[str]]) -> None:
    """Make a positive case of the release list valid for the data too.

    What the parameters' types cannot say (the operation's description says it): a slug
    must name a public tag, organization or author, ``month`` needs ``year``, ``from``
    is not after ``to``. Generated values become real slugs, chosen by the generated
    text, so every kind of slug (ASCII, other scripts, the fallback ``tag``) is asked.
    """
    query = case.query
    if query is None:
        return
    for key, known in slugs.items():
        if key in query:
            values = query[key] if isinstance(query[key], list) else [query[key]]
            chosen = [known[len(str(value)) % len(known)] for value in values]
            query[key] = chosen if key == "tag" else chosen[0]
    if "month" in query and "year" not in query:
        query["year"] = 2024
    if "from" in query and "to" in query and str(query["from"]) > str(query["to"]):
        query["from"], query["to"] = query["to"], query["from"]


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_the_schema_says(newsroom, case):
    if case.meta.generation.mode is GenerationMode.POSITIVE and case.path == "/api/releases/":
        valid_in_data(case, newsroom)
    # Identity: the WSGI transport does not decompress, and the API compresses.
    case.call_and_validate(headers={"Host": "testserver", "Accept-Encoding": "identity"})


@pytest.fixture
def keep_connections(db):
    """As in ``newsroom``: the test database's transaction survives the WSGI requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call_and_validate(operation_path: str, **path_parameters):
    """One request of the schema's GET ``operation_path``, checked against the schema."""
    case = schema[operation_path]["GET"].Case(path_parameters=path_parameters)
    return case.call_and_validate(headers={"Host": "testserver", "Accept-Encoding": "identity"})


def test_blank_urls_of_releases_and_organizations_are_what_the_schema_allows(keep_connections):
    """The admin leaves ``source_url`` and ``website`` blank: ``""`` is in the schema."""
    organization = OrganizationFactory(slug="no-site", website="")
    ReleaseFactory(slug="no-source", source_url="", organizations=[organization])

    detail = call_and_validate("/api/releases/{slug}/", slug="no-source")
    organizations = call_and_validate("/api/organizations/")

    assert detail.status_code == 200
    assert detail.json()["source_url"] == ""
    assert detail.json()["organizations"][0]["website"] == ""
    assert organizations.status_code == 200


def test_a_withdrawn_release_that_was_public_is_410_as_its_page_is(keep_connections, client):
    withdrawn = ReleaseFactory(slug="recalled", withdrawn=True, withdrawal_reason="Wrong figures")
    # Withdrawn while still scheduled: the public never knew it.
    never_public = ReleaseFactory(
        slug="never-out", withdrawn=True, published_at=timezone.now() + timedelta(days=1)
    )

    gone = call_and_validate("/api/releases/{slug}/", slug="recalled")

    assert gone.status_code == 410
    assert gone.json()["reason"] == "Wrong figures"
    assert client.get(withdrawn.get_absolute_url()).status_code == 410
    assert client.get("/api/releases/never-out/").status_code == 404
    assert client.get(never_public.get_absolute_url()).status_code == 404
