import pytest
from django.contrib.auth.models import Group


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["Writers", "Editors"])
def test_editorial_groups_may_edit_the_ordered_links_of_a_release(group):
    codenames = set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))
    for model in ("releaseorganization", "releasecontact"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}"} <= codenames


@pytest.mark.django_db
def test_only_editors_hold_the_publish_permission():
    holders = Group.objects.filter(permissions__codename="publish_release")
    assert list(holders.values_list("name", flat=True)) == ["Editors"]
