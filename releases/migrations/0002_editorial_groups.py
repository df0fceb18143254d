"""Create the Writers and Editors groups with their permissions.

Writers draft and edit releases and the people behind them but cannot publish,
schedule, withdraw or delete releases. Editors can do everything on releases.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["release", "organization", "author", "contact", "attachment", "correction"]
WRITER = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")] + [
    "view_releaseslug",
    "add_taggeditem", "change_taggeditem", "view_taggeditem",
    "add_tag", "view_tag",
]  # fmt: skip
EDITOR = [
    *WRITER,
    *[f"delete_{model}" for model in MODELS],
    "publish_release",
    "change_tag",
    "delete_tag",
    "delete_taggeditem",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Writers", WRITER), ("Editors", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label__in=["releases", "taggit"], codename__in=codenames
        )
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Writers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
