# Issue 9, writing: boilerplates and bios become rich text (helper EDITOR). No schema
# change: the fields stay TextFields, edited through releases.forms.RichTextWidget.
from django.db import migrations


def plain_text_to_rich_text(apps, schema_editor):
    """Until now boilerplates and bios were plain text printed with ``linebreaks``: each
    becomes the HTML the pages now print as is (paragraphs, lists, links), cleaned by
    the rule every later save applies. Text that already holds tags is only cleaned."""
    from releases.sanitize import clean_rich_text

    for model_name, field in (("Organization", "boilerplate"), ("Author", "bio")):
        model = apps.get_model("releases", model_name)
        for pk, text in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            html = clean_rich_text(text)
            if html != text:
                model.objects.filter(pk=pk).update(**{field: html})


class Migration(migrations.Migration):
    dependencies = [("releases", "0013_review_notes")]

    operations = [migrations.RunPython(plain_text_to_rich_text, migrations.RunPython.noop)]
