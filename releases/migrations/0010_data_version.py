"""The data version log (``releases.models.version``), with one entry at the epoch so
that ``public_last_modified()`` always has a row to read; the first write adds the next."""

import datetime as dt

from django.db import migrations, models

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def first_entry(apps, schema_editor):
    DataVersion = apps.get_model("releases", "DataVersion")
    DataVersion.objects.using(schema_editor.connection.alias).create(changed_at=EPOCH)


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
                ("changed_at", models.DateTimeField()),
                ("tags", models.BooleanField(default=False)),
            ],
            options={
                "verbose_name": "data version",
                "indexes": [
                    models.Index(fields=["-changed_at"], name="dataversion_changed_idx"),
                    models.Index(
                        condition=models.Q(("tags", True)),
                        fields=["-changed_at"],
                        name="dataversion_tags_idx",
                    ),
                ],
            },
        ),
        migrations.RunPython(first_entry, migrations.RunPython.noop),
    ]
