"""Give the editorial groups the permissions of the ordered link tables.

Writers and Editors edit a release's issuing organizations and media contacts through
inlines over ReleaseOrganization and ReleaseContact; 0002 did not grant those models.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LINKS = ["releaseorganization", "releasecontact"]
GRANTS = {
    "Writers": [
        f"{action}_{model}" for model in LINKS for action in ("add", "change", "view", "delete")
    ],
    "Editors": [
        f"{action}_{model}" for model in LINKS for action in ("add", "change", "view", "delete")
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("releases")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="releases", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="releases", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("releases", "0003_release_search")]

    operations = [migrations.RunPython(grant, revoke)]
