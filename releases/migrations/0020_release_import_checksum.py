# Issue 10, plain text: a release file sent again under another name is the same release.
# The slot numbered 0019 comes after 0020: 0020 (ninjs) was written on 0018 first, and
# one line of migrations keeps the graph without a merge.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("releases", "0019_organization_name_per_uri")]

    operations = [
        migrations.AddField(
            model_name="release",
            name="import_checksum",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
    ]
