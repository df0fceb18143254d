"""Full-text search: a weighted tsvector per release, with a GIN index.

The column exists on every database so the schema is the same; only PostgreSQL fills
it (releases.indexing keeps it current from then on). The fill below is frozen SQL,
not a call into releases.indexing, so later changes to the live code cannot change
what this migration does.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations

FILL_SEARCH_VECTORS = r"""
UPDATE releases_release AS r SET search_vector =
    setweight(to_tsvector('english', coalesce(r.headline, '')), 'A')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(t.name, ' ')
        FROM taggit_taggeditem ti
        JOIN taggit_tag t ON t.id = ti.tag_id
        JOIN django_content_type ct ON ct.id = ti.content_type_id
        WHERE ct.app_label = 'releases' AND ct.model = 'release' AND ti.object_id = r.id
    ), '')), 'A')
    || setweight(to_tsvector('english', coalesce(r.subheadline, '') || ' ' || coalesce(r.summary, '')), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(o.name || ' ' || o.short_name, ' ')
        FROM releases_releaseorganization ro
        JOIN releases_organization o ON o.id = ro.organization_id
        WHERE ro.release_id = r.id
    ), '')), 'B')
    || setweight(to_tsvector('english', replace(replace(replace(replace(replace(
        regexp_replace(coalesce(r.body, ''), '<[^>]*(>|$)', ' ', 'g'),
        '&lt;', '<'), '&gt;', '>'), '&nbsp;', U&'\00A0'), '&quot;', '"'), '&amp;', '&')), 'C')
"""


def fill_search_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_SEARCH_VECTORS)


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0002_editorial_groups"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="release",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="release_search_idx"
            ),
        ),
        migrations.RunPython(fill_search_vectors, migrations.RunPython.noop, elidable=True),
    ]
