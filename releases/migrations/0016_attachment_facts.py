# Slot for issue 9, files: attachment description, type and size (helper KIT). Empty until that work lands.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0015_image_renditions")]

    operations = []
