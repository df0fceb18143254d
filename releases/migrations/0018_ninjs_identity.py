# Issue 10, ninjs: item identity (uri), people and organisations by uri, subjects as written.
from django.db import migrations, models


def _unique_uri(name):
    return models.UniqueConstraint(
        condition=~models.Q(ninjs_uri=""), fields=("ninjs_uri",), name=name
    )


class Migration(migrations.Migration):
    dependencies = [("releases", "0017_import_warnings")]

    operations = [
        migrations.AddField(
            model_name="author",
            name="ninjs_uri",
            field=models.CharField(
                blank=True, editable=False, max_length=500, verbose_name="ninjs URI"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="ninjs_uri",
            field=models.CharField(
                blank=True, editable=False, max_length=500, verbose_name="ninjs URI"
            ),
        ),
        migrations.AddField(
            model_name="release",
            name="ninjs_subjects",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name="release",
            name="ninjs_uri",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The imported item's uri.",
                max_length=500,
                verbose_name="ninjs URI",
            ),
        ),
        migrations.AddConstraint(
            model_name="author", constraint=_unique_uri("author_unique_ninjs_uri")
        ),
        migrations.AddConstraint(
            model_name="organization", constraint=_unique_uri("organization_unique_ninjs_uri")
        ),
        migrations.AddConstraint(
            model_name="release", constraint=_unique_uri("release_unique_ninjs_uri")
        ),
    ]
