"""Accent-insensitive search on PostgreSQL: "Zurich" finds "Zürich" and the reverse.

A text search configuration ``newsroom_english`` copies ``english`` and puts the
``unaccent`` dictionary before the English stemmer for words with non-ASCII letters
(the PostgreSQL manual's recipe, "unaccent" in Additional Supplied Modules), then every
stored vector is rebuilt with it (``releases.indexing.SEARCH_CONFIG``). The fill is the
frozen SQL of 0003 with the new configuration, not a call into the live code.

``CREATE EXTENSION unaccent`` needs a role that may create it: unaccent is a trusted
extension (PostgreSQL 13+), so the database owner can; otherwise a superuser creates it
once beforehand (docs/deployment.md). Reversing drops the configuration and refills with
``english``; it leaves the extension, which other code in the database may use.
Nothing happens on SQLite, which folds accents in Python (``releases.search``).
"""

from importlib import import_module

from django.db import migrations

CONFIG = "newsroom_english"

CREATE_CONFIG = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english);
ALTER TEXT SEARCH CONFIGURATION {CONFIG}
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
"""
DROP_CONFIG = f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG};"

FILL_WITH_ENGLISH = import_module("releases.migrations.0003_release_search").FILL_SEARCH_VECTORS
FILL_SEARCH_VECTORS = FILL_WITH_ENGLISH.replace(
    "to_tsvector('english',", f"to_tsvector('{CONFIG}',"
)


def fill_search_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_SEARCH_VECTORS)


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_CONFIG)
        fill_search_vectors(apps, schema_editor)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_WITH_ENGLISH)
        schema_editor.execute(DROP_CONFIG)


class Migration(migrations.Migration):
    dependencies = [("releases", "0007_contact_phone_extension")]

    operations = [migrations.RunPython(create_config, drop_config)]
