# Issue 7 §2: uploads go to <folder>/<random token>/<name> (releases.uploads), with room
# for the token in the name. Files already stored keep their old names: they are served
# only through the view that checks their owner's visibility (releases.views.media).
from django.db import migrations, models

import releases.uploads


class Migration(migrations.Migration):
    dependencies = [("releases", "0005_freshness_indexes")]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(max_length=255, upload_to=releases.uploads.attachment_path),
        ),
        migrations.AlterField(
            model_name="author",
            name="photo",
            field=models.ImageField(
                blank=True, max_length=255, upload_to=releases.uploads.author_photo_path
            ),
        ),
        migrations.AlterField(
            model_name="organization",
            name="logo",
            field=models.ImageField(
                blank=True, max_length=255, upload_to=releases.uploads.organization_logo_path
            ),
        ),
        migrations.AlterField(
            model_name="release",
            name="featured_image",
            field=models.ImageField(
                blank=True, max_length=255, upload_to=releases.uploads.release_image_path
            ),
        ),
    ]
