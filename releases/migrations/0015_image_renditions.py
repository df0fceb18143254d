# Issue 9, images (helper IMAGES): uploads checked by content (releases.validators) and
# responsive renditions recorded on the row (releases.images). Existing files get theirs
# from `manage.py make_renditions`; until then pages show the original.
from django.db import migrations, models

import releases.images
import releases.uploads


class Migration(migrations.Migration):
    dependencies = [("releases", "0014_rich_text")]

    operations = [
        migrations.AlterField(
            model_name="release",
            name="featured_image",
            field=releases.images.RenditionImageField(
                blank=True,
                max_length=255,
                renditions_field="featured_image_renditions",
                upload_to=releases.uploads.release_image_path,
            ),
        ),
        migrations.AddField(
            model_name="release",
            name="featured_image_renditions",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AlterField(
            model_name="organization",
            name="logo",
            field=releases.images.RenditionImageField(
                blank=True,
                max_length=255,
                renditions_field="logo_renditions",
                upload_to=releases.uploads.organization_logo_path,
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="logo_renditions",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AlterField(
            model_name="author",
            name="photo",
            field=releases.images.RenditionImageField(
                blank=True,
                max_length=255,
                renditions_field="photo_renditions",
                upload_to=releases.uploads.author_photo_path,
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="photo_renditions",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=releases.images.AttachmentFileField(
                max_length=255,
                renditions_field="renditions",
                upload_to=releases.uploads.attachment_path,
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="renditions",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
    ]
