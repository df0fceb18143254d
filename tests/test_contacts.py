"""Media contacts: phone numbers validated, stored as E.164, shown internationally."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from releases.models import Contact
from tests.factories import ContactFactory, OrganizationFactory

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
def test_phone_is_stored_as_e164_and_shown_in_international_format(entered, e164, international):
    contact = Contact(name="Jane Roe", email="jane@example.org", phone=entered)
    contact.full_clean()
    contact.save()

    assert _stored_phone(contact) == e164
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
