# Placeholder reserved for issue 8: review thread notes (filled in, or removed, by that work).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0012_edit_lock")]

    operations = []
