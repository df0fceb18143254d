# Issue 9, files: attachment description, type and size (helper KIT).
from django.db import migrations, models

from releases.file_facts import read_facts


def record_facts(apps, schema_editor):
    """Read each existing attachment's type and size from storage (one read per file;
    a missing file gets the type of its name and no size)."""
    Attachment = apps.get_model("releases", "Attachment")
    storage = Attachment._meta.get_field("file").storage
    for attachment in Attachment.objects.exclude(file="").only("pk", "file").iterator():
        facts = read_facts(storage, attachment.file.name)
        Attachment.objects.filter(pk=attachment.pk).update(
            content_type=facts.content_type, size=facts.size
        )


class Migration(migrations.Migration):
    dependencies = [("releases", "0015_image_renditions")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="content_type",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Judged from the content.",
                max_length=100,
                verbose_name="type",
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="description",
            field=models.TextField(
                blank=True,
                help_text="What the file holds, for journalists; shown under its title.",
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="size",
            field=models.PositiveBigIntegerField(
                blank=True, editable=False, null=True, verbose_name="size in bytes"
            ),
        ),
        migrations.RunPython(record_facts, migrations.RunPython.noop, elidable=True),
    ]
