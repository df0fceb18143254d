# Issue 10: what an importer guessed, kept on the imported release for the editor.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("releases", "0016_attachment_facts")]

    operations = [
        migrations.AddField(
            model_name="release",
            name="import_warnings",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
    ]
