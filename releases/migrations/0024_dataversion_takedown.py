"""Writes that take a release out of public view, marked in the data version log: the
page cache serves no page stored before the latest one in place of a page being
rendered (a release back to draft never shows, for a moment, on another reader's page)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0023_release_public_newest_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="takedown",
            field=models.BooleanField(default=False),
        ),
    ]
