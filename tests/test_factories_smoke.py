import pytest

from releases.models import Release
from tests.factories import ReleaseFactory, editor, writer


@pytest.mark.django_db
def test_factories_build_roles_and_a_public_release():
    release = ReleaseFactory(tags=["health"])
    assert Release.objects.published().get() == release
    assert editor().has_perm("releases.publish_release")
    assert not writer().has_perm("releases.publish_release")
