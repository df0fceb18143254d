# Slot for issue 9, images: renditions and image facts (helper IMAGES). Empty until that work lands.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0014_rich_text")]

    operations = []
