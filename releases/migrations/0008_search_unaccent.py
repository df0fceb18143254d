# Placeholder reserved for issue 7 §6: accent-insensitive search (filled in, or removed, by that work).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0007_contact_phone_extension")]

    operations = []
