"""Fixtures shared by the whole suite."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import editor


@pytest.fixture
def media_root(settings, tmp_path):
    """``MEDIA_ROOT`` in a fresh folder of this test's own (a ``Path``): files it stores
    are gone after it. Modules that store files use it for every test
    (``pytest.mark.usefixtures("media_root")``)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def editor_client(client):
    """The test client, logged in as a member of the Editors group."""
    client.force_login(editor())
    return client


def warm_query_count(client, url: str) -> int:
    """The queries of a second GET of ``url`` (the first warms caches that are not the
    page's own): for comparing two pages that should cost the same."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)
