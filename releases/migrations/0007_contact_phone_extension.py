"""Phone numbers keep their extension: stored as RFC 3966, not E.164.

``+44 20 7946 0321 ext. 204`` was stored as ``+442079460321``: E.164 has no room for an
extension. From here ``PHONENUMBER_DB_FORMAT`` is ``RFC3966``
(``tel:+44-20-7946-0321;ext=204``); this rewrites the stored E.164 values in that form
so that lookups (``filter(phone=…)``, which the field writes as RFC 3966) find them.
Numbers that do not parse are left as they are. Reversing writes E.164 back, and so
drops the extensions. The SQL writes the strings as they are: the field itself would
format them with whatever the setting says when the migration runs.
"""

import phonenumber_field.modelfields
import phonenumbers
from django.db import migrations

FORMATS = {
    "rfc3966": phonenumbers.PhoneNumberFormat.RFC3966,
    "e164": phonenumbers.PhoneNumberFormat.E164,
}


def _rewrite(schema_editor, form):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, phone FROM releases_contact WHERE phone <> ''")
        rows = cursor.fetchall()
        for pk, stored in rows:
            try:
                number = phonenumbers.parse(stored, None)
            except phonenumbers.NumberParseException:
                continue
            written = phonenumbers.format_number(number, FORMATS[form])
            if written != stored:
                cursor.execute(
                    "UPDATE releases_contact SET phone = %s WHERE id = %s", [written, pk]
                )


def to_rfc3966(apps, schema_editor):
    _rewrite(schema_editor, "rfc3966")


def to_e164(apps, schema_editor):
    _rewrite(schema_editor, "e164")


class Migration(migrations.Migration):
    dependencies = [("releases", "0006_media_files")]

    operations = [
        migrations.AlterField(
            model_name="contact",
            name="phone",
            field=phonenumber_field.modelfields.PhoneNumberField(
                blank=True,
                help_text=(
                    "International format, e.g. +44 20 7946 0000, with an extension if any: "
                    "+44 20 7946 0000 ext. 204."
                ),
                max_length=128,
                region=None,
            ),
        ),
        migrations.RunPython(to_rfc3966, to_e164),
    ]
