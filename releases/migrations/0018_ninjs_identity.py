# Slot for issue 10, ninjs: item identity (uri), people and organisations by uri, subjects.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("releases", "0017_import_warnings")]

    operations = []
