"""Tags whose slug is empty or cannot be in a URL (a name like "🚀" or "!!!" slugified to
nothing) get ``tag``, ``tag-2``, … as ``releases.models.tags`` gives new ones."""

import re

from django.db import migrations

ROUTABLE = re.compile(r"[-\w]+")


def fill_unroutable_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    for tag in Tag.objects.order_by("pk"):
        if ROUTABLE.fullmatch(tag.slug):
            continue
        slug, n = "tag", 2
        while Tag.objects.filter(slug=slug).exists():
            slug, n = f"tag-{n}", n + 1
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0008_search_unaccent"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(fill_unroutable_slugs, migrations.RunPython.noop)]
