# Placeholder reserved for issue 7 §2: private, unguessable paths for uploaded files (filled in, or removed, by that work).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0005_freshness_indexes")]

    operations = []
