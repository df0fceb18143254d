"""The public list's order and visibility columns over published rows (issue 11, deep
pages): OFFSET pages and the public count read this index alone on PostgreSQL."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0022_release_import_source"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="release",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-published_at", "-id", "embargoed_until"],
                name="release_public_newest_idx",
            ),
        ),
    ]
