"""Media contacts: phone numbers validated, stored as RFC 3966 (E.164 digits and an
extension), shown internationally with the extension written "ext. 204"."""

import html
import importlib
import io
import re
from types import SimpleNamespace

import pypdf
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from releases.models import Contact
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def _stored_phone(contact) -> str:
    """The phone column as the database holds it, bypassing the field's conversion."""
    table = connection.ops.quote_name(Contact._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {table} WHERE id = %s", [contact.pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("entered", "e164", "international"),
    [
        ("+44 20 7946 0000", "+442079460000", "+44 20 7946 0000"),
        ("+44 (0)20 7946-0000", "+442079460000", "+44 20 7946 0000"),
        ("+41 22 791 21 11", "+41227912111", "+41 22 791 21 11"),
        ("+1 (202) 555-0143", "+12025550143", "+1 202-555-0143"),
    ],
)
def test_phone_is_stored_with_its_e164_digits_and_shown_in_international_format(
    entered, e164, international
):
    contact = Contact(name="Jane Roe", email="jane@example.org", phone=entered)
    contact.full_clean()
    contact.save()

    # RFC 3966, which has room for an extension (see the extension tests below).
    assert _stored_phone(contact).replace("-", "") == f"tel:{e164}"
    contact = Contact.objects.get(pk=contact.pk)
    assert contact.phone.as_e164 == e164
    assert contact.phone_international == international


@pytest.mark.parametrize("phone", ["not a number", "+44 12", "+999 123 456 789", "12345"])
def test_invalid_phone_is_rejected_by_full_clean(phone):
    contact = Contact(name="Jane Roe", email="jane@example.org", phone=phone)

    with pytest.raises(ValidationError) as caught:
        contact.full_clean()

    assert "phone" in caught.value.message_dict


def test_phone_is_optional_and_shows_as_nothing():
    contact = Contact(name="Jane Roe", email="jane@example.org", phone="")
    contact.full_clean()
    contact.save()

    assert Contact.objects.get(pk=contact.pk).phone_international == ""


@pytest.mark.parametrize("email", ["jane", "jane@", "jane@example", "jane example@example.org"])
def test_invalid_email_is_rejected_by_full_clean(email):
    contact = Contact(name="Jane Roe", email=email)

    with pytest.raises(ValidationError) as caught:
        contact.full_clean()

    assert "email" in caught.value.message_dict


def test_valid_contact_passes_full_clean():
    organization = OrganizationFactory(short_name="WHO")
    contact = Contact(
        name="Jane Roe",
        role="Press officer",
        organization=organization,
        email="jane.roe@example.org",
        phone="+41 22 791 21 11",
    )

    contact.full_clean()

    assert str(contact) == "Jane Roe, WHO"


def test_the_same_person_cannot_be_entered_twice_with_the_same_email():
    ContactFactory(name="Jane Roe", email="jane@example.org")
    duplicate = Contact(name="Jane Roe", email="jane@example.org")

    with pytest.raises(ValidationError):
        duplicate.full_clean()


# -- extensions ---------------------------------------------------------------------------

LONDON_EXT = "+44 20 7946 0321 ext. 204"


@pytest.mark.parametrize(
    "entered",
    [
        "+44 20 7946 0321 ext. 204",
        "+44 20 7946 0321 ext 204",
        "+44 20 7946 0321 extension 204",
        "+44 20 7946 0321 x204",
        "+44 20 7946 0321 x 204",
        "+44 20 7946 0321 #204",
        "+44 20 7946 0321;ext=204",
        "tel:+44-20-7946-0321;ext=204",
        "+44 (0)20 7946 0321 ext. 204",
        "+44 (0) 20 7946 0321 x204",
        "+44 (0)20-7946-0321 extension 204",
    ],
)
def test_an_extension_is_kept_stored_and_shown_however_it_is_written(entered):
    contact = Contact(name="Jane Roe", email="jane@example.org", phone=entered)
    contact.full_clean()
    contact.save()

    assert _stored_phone(contact) == "tel:+44-20-7946-0321;ext=204"
    contact = Contact.objects.get(pk=contact.pk)
    assert contact.phone.extension == "204"
    assert contact.phone_international == LONDON_EXT
    assert contact.phone_uri == "tel:+44-20-7946-0321;ext=204"
    assert contact.phone_text == "+442079460321;ext=204"


def test_an_extension_reads_the_same_in_every_country():
    contact = ContactFactory(phone="+1 202 555 0143 x12")

    assert contact.phone_international == "+1 202-555-0143 ext. 12"
    assert contact.phone_uri == "tel:+1-202-555-0143;ext=12"


def test_a_number_without_extension_has_no_extension_anywhere():
    contact = ContactFactory(phone="+44 20 7946 0321")

    assert contact.phone_international == "+44 20 7946 0321"
    assert contact.phone_uri == "tel:+44-20-7946-0321"
    assert contact.phone_text == "+442079460321"


def test_a_number_is_found_by_lookup_with_or_without_its_extension_as_typed():
    contact = ContactFactory(phone=LONDON_EXT)
    ContactFactory(phone="+44 20 7946 0321")

    assert list(Contact.objects.filter(phone="+44 20 7946 0321 x204")) == [contact]
    assert Contact.objects.filter(phone="+442079460321").count() == 1


def test_the_release_page_links_the_extension_as_rfc_3966_and_shows_it(client):
    release = ReleaseFactory(contacts=[ContactFactory(name="Jane Roe", phone=LONDON_EXT)])

    html = client.get(release.get_absolute_url()).content.decode()

    assert f'<a href="tel:+44-20-7946-0321;ext=204" dir="ltr">{LONDON_EXT}</a>' in html


def test_the_text_and_pdf_downloads_print_the_extension(client):
    cache.clear()
    release = ReleaseFactory(contacts=[ContactFactory(name="Jane Roe", phone=LONDON_EXT)])

    text = client.get(reverse("releases:download_text", kwargs={"slug": release.slug}))
    pdf = client.get(reverse("releases:download_pdf", kwargs={"slug": release.slug}))

    assert f"Phone: {LONDON_EXT}" in text.content.decode()
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert f"Phone: {LONDON_EXT}" in " ".join(page.extract_text() for page in reader.pages)
    cache.clear()


def test_the_api_gives_the_extension(client):
    release = ReleaseFactory(contacts=[ContactFactory(name="Jane Roe", phone=LONDON_EXT)])

    data = client.get(reverse("api:release-detail", kwargs={"slug": release.slug})).json()

    (contact,) = data["contacts"]
    assert contact["phone"] == "+442079460321;ext=204"
    assert contact["phone_international"] == LONDON_EXT


def test_the_admin_form_keeps_the_extension_when_the_contact_is_saved_again(admin_client):
    response = admin_client.post(
        reverse("admin:releases_contact_add"),
        {"name": "Jane Roe", "role": "", "email": "jane@example.org", "phone": LONDON_EXT},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="Jane Roe")
    assert contact.phone_text == "+442079460321;ext=204"

    form = admin_client.get(reverse("admin:releases_contact_change", args=[contact.pk]))
    (shown,) = re.findall(r'name="phone" value="([^"]*)"', form.content.decode())
    admin_client.post(
        reverse("admin:releases_contact_change", args=[contact.pk]),
        {
            "name": "Jane Roe",
            "role": "",
            "email": "jane@example.org",
            "phone": html.unescape(shown),
        },
    )

    assert "204" in shown
    assert Contact.objects.get(pk=contact.pk).phone_text == "+442079460321;ext=204"


def test_the_migration_rewrites_stored_e164_numbers_as_rfc_3966_and_back():
    migration = importlib.import_module("releases.migrations.0007_contact_phone_extension")
    contact = ContactFactory(phone=LONDON_EXT)
    other = ContactFactory(phone="+41 22 791 21 11")
    table = connection.ops.quote_name(Contact._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", ["+41227912111", other.pk])  # noqa: S608
        editor = SimpleNamespace(connection=connection)

        migration.to_rfc3966(None, editor)
        assert (_stored_phone(contact), _stored_phone(other)) == (
            "tel:+44-20-7946-0321;ext=204",
            "tel:+41-22-791-21-11",
        )
        migration.to_e164(None, editor)
        assert (_stored_phone(contact), _stored_phone(other)) == ("+442079460321", "+41227912111")


@pytest.mark.parametrize(
    "written",
    ["T: +44 20 7946 0321 ext. 204", "T: +44 20 7946 0321 x204", "tel +44 (0)20 7946 0321 #204"],
)
def test_the_text_importer_keeps_the_extension(written):
    from releases.importers.text import parse_text_release

    text = (
        "Council approves new cycle lanes\n\nThe council approved the lanes.\n\n"
        f"Jane Roe is contactable at: E: jane@example.org; {written}\n"
    )

    (contact,) = parse_text_release(text, source="release.txt").contacts

    assert contact.phone == "+442079460321;ext=204"


def test_exports_carry_the_extension_and_a_json_round_trip_keeps_it(tmp_path):
    from tests.test_roundtrip import empty_the_database, export, import_file

    ReleaseFactory(contacts=[ContactFactory(name="Jane Roe", phone=LONDON_EXT)])
    first = export("json")
    assert '"+442079460321;ext=204"' in first
    assert "+442079460321;ext=204" in export("csv")
    path = tmp_path / "releases.json"
    path.write_text(first, encoding="utf-8")

    empty_the_database()
    import_file(path, "json")

    assert Contact.objects.get(name="Jane Roe").phone_international == LONDON_EXT
    assert export("json") == first


# -- extensions in other digits, and too long -------------------------------------------

LONDON_URI = "tel:+44-20-7946-0321;ext=204"
OTHER_DIGITS = [
    "+44 20 7946 0321 ext. ٢٠٤",  # Arabic-Indic, as reported
    "+44 20 7946 0321 ext. ۲۰۴",  # Persian (Extended Arabic-Indic)
    "+44 20 7946 0321 ext. २०४",  # Devanagari
    "+44 20 7946 0321 ext. ２０４",  # full width
    "+44 20 7946 0321 x ২০৪",  # Bengali
    "+44 20 7946 0321;ext=٢٠٤",
    "+٤٤ ٢٠ ٧٩٤٦ ٠٣٢١ ext. ٢٠٤",  # the whole number in Arabic-Indic digits
    "+۴۴ ۲۰ ۷۹۴۶ ۰۳۲۱ ext. ۲۰۴",
]


@pytest.mark.parametrize("entered", OTHER_DIGITS)
def test_an_extension_in_other_digits_is_stored_in_ascii_digits(entered):
    contact = Contact(name="Jane Roe", email="jane@example.org", phone=entered)
    contact.full_clean()
    contact.save()

    # RFC 3966 allows only ASCII digits in ;ext=.
    assert _stored_phone(contact) == LONDON_URI
    contact = Contact.objects.get(pk=contact.pk)
    assert contact.phone_uri == LONDON_URI
    assert contact.phone_international == LONDON_EXT
    assert contact.phone_text == "+442079460321;ext=204"


@pytest.mark.parametrize("entered", OTHER_DIGITS[:4])
def test_a_contact_saved_without_clean_also_gets_ascii_digits(entered):
    contact = ContactFactory(phone=entered)

    assert _stored_phone(contact) == LONDON_URI


@pytest.mark.parametrize("entered", ["+44 20 7946 0321 ext. ٢٠٤", "+44 20 7946 0321 ext. ２０４"])
def test_the_admin_form_stores_an_extension_in_other_digits_as_ascii(admin_client, entered):
    response = admin_client.post(
        reverse("admin:releases_contact_add"),
        {"name": "Jane Roe", "role": "", "email": "jane@example.org", "phone": entered},
    )

    assert response.status_code == 302
    contact = Contact.objects.get(name="Jane Roe")
    assert _stored_phone(contact) == LONDON_URI
    changelist = admin_client.get(reverse("admin:releases_contact_changelist"))
    assert LONDON_EXT in changelist.content.decode()


@pytest.mark.parametrize(
    "entered",
    [
        "+44 20 7946 0321 ext. 12345678901234567890",  # 20 digits, as reported
        "+44 20 7946 0321 ext. 12345678901",  # one more than the limit
        "+44 20 7946 0321 ext. ١٢٣٤٥٦٧٨٩٠١",  # the same, in Arabic-Indic digits
        "+44 20 7946 0321;ext=12345678901",
    ],
)
def test_the_admin_form_refuses_an_extension_longer_than_ten_digits(admin_client, entered):
    response = admin_client.post(
        reverse("admin:releases_contact_add"),
        {"name": "Jane Roe", "role": "", "email": "jane@example.org", "phone": entered},
    )

    assert response.status_code == 200
    (errors,) = response.context["adminform"].form.errors["phone"].as_data()
    assert "an extension has at most 10" in errors.messages[0]
    assert not Contact.objects.exists()


def test_an_extension_of_ten_digits_is_kept():
    contact = Contact(
        name="Jane Roe", email="jane@example.org", phone="+44 20 7946 0321 ext. 1234567890"
    )
    contact.full_clean()
    contact.save()

    assert _stored_phone(contact) == "tel:+44-20-7946-0321;ext=1234567890"


@pytest.mark.parametrize(
    "written",
    ["T: +44 20 7946 0321 ext. ٢٠٤", "T: +44 20 7946 0321 x २०४", "T: +44 20 7946 0321;ext=۲۰۴"],
)
def test_the_text_importer_reads_an_extension_in_other_digits_as_ascii(written):
    from releases.importers.text import parse_text_release

    text = (
        "Council approves new cycle lanes\n\nThe council approved the lanes.\n\n"
        f"Jane Roe is contactable at: E: jane@example.org; {written}\n"
    )

    (contact,) = parse_text_release(text, source="release.txt").contacts

    assert contact.phone == "+442079460321;ext=204"


@pytest.mark.parametrize("extension", ["12345678901234567890", "12345678901"])
def test_the_text_importer_warns_of_a_long_extension_instead_of_dropping_it(extension):
    from releases.importers.text import parse_text_release

    text = (
        "Council approves new cycle lanes\n\nThe council approved the lanes.\n\n"
        f"Jane Roe is contactable at: E: jane@example.org; T: +44 20 7946 0321 ext. {extension}\n"
    )

    parsed = parse_text_release(text, source="release.txt")

    (contact,) = parsed.contacts
    assert contact.phone == ""
    assert any(
        f"ext. {extension}” has an extension longer than 10 digits; Jane Roe kept without it"
        in warning
        for warning in parsed.warnings
    ), parsed.warnings


def _json_release(tmp_path, phone):
    from tests.test_import_structured import release_data, write

    data = release_data(
        contacts=[{"name": "Jane Roe", "email": "jane@example.org", "phone": phone}]
    )
    return write(tmp_path, "one.json", [data])


def test_the_json_importer_stores_an_extension_in_other_digits_as_ascii(tmp_path):
    from releases.importers.structured import import_json_file

    import_json_file(_json_release(tmp_path, "+44 20 7946 0321 ext. ٢٠٤"))

    assert _stored_phone(Contact.objects.get(name="Jane Roe")) == LONDON_URI


def test_the_json_importer_refuses_a_long_extension_naming_the_field(tmp_path):
    from releases.importers import ReleaseImportError
    from releases.importers.structured import import_json_file

    with pytest.raises(ReleaseImportError) as failure:
        import_json_file(_json_release(tmp_path, "+44 20 7946 0321;ext=12345678901234567890"))

    assert failure.value.field == "contacts[0].phone"
    assert "at most 10" in str(failure.value)
    assert not Contact.objects.exists()
