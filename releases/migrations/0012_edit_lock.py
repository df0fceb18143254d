# Issue 8: optimistic concurrency. Release.edit_version moves on every save; the release
# form carries the value it was opened at (releases.revisions).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("releases", "0011_embargo_help_text")]

    operations = [
        migrations.AddField(
            model_name="release",
            name="edit_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
