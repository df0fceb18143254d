# Placeholder reserved for issue 7 §4: every tag has a usable slug (filled in, or removed, by that work).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0008_search_unaccent")]

    operations = []
