"""The data version row (``releases.models.version``), created empty: the first write
after the upgrade stamps it."""

from django.db import migrations, models


def create_row(apps, schema_editor):
    DataVersion = apps.get_model("releases", "DataVersion")
    DataVersion.objects.using(schema_editor.connection.alias).get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0009_tag_slugs"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("changed_at", models.DateTimeField(blank=True, null=True)),
                ("tags_changed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"verbose_name": "data version"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
