"""Editors read the audit log (view permission); nobody is granted add/change/delete:
the log is written by the receiver of ``releases.signals.release_action`` only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("audit")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="audit", codename="view_auditevent")
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="audit", codename="view_auditevent")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("releases", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
