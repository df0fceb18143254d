# Issue 10: where a text import came from (the server's file:// URI) is private; it
# moves out of the public source_url into Release.import_source.
from django.db import migrations, models


def move_file_sources(apps, schema_editor):
    Release = apps.get_model("releases", "Release")
    # One UPDATE: its right-hand sides read the row as it was.
    Release.objects.filter(source_url__istartswith="file:").update(
        import_source=models.F("source_url"), source_url=""
    )


def restore_file_sources(apps, schema_editor):
    Release = apps.get_model("releases", "Release")
    Release.objects.filter(source_url="", import_source__istartswith="file:").update(
        source_url=models.F("import_source")
    )


class Migration(migrations.Migration):
    dependencies = [("releases", "0021_dataversion_release")]

    operations = [
        migrations.AddField(
            model_name="release",
            name="import_source",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=500),
        ),
        migrations.RunPython(move_file_sources, restore_file_sources),
    ]
