# Slot for issue 9, writing: rich-text fields (helper EDITOR). Empty until that work lands.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0013_review_notes")]

    operations = []
