# Placeholder reserved for issue 7 §6: phone extensions (filled in, or removed, by that work).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0006_media_files")]

    operations = []
