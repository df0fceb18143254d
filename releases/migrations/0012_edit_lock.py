# Placeholder reserved for issue 8: optimistic concurrency (edit version) (filled in, or removed, by that work).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0011_embargo_help_text")]

    operations = []
