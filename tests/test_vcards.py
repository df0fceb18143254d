"""vCards of media contacts (``/contacts/<pk>-<slug>.vcf``) and the press-contacts page.

Every card is parsed back with vobject; only contacts a reader can already see have one.
"""

import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from releases.models import Contact
from releases.vcards import contact_slug, name_parts, vcard_path
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory, editor

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    return vobject.readOne(response.content.decode("utf-8"))


@pytest.fixture
def hard_contact():
    """A contact whose every field needs escaping, on a public release."""
    organization = OrganizationFactory(name="Zürich Research; Labs, Ltd", slug="zurich-labs")
    contact = ContactFactory(
        name="Zoë O'Brien-Ünal, Jr.; PhD",
        role="Head of press, Europe; spokesperson",
        organization=organization,
        email="zoe@zurich.example",
        phone="+41 44 668 18 00 ext. 204",
        notes="Private: on leave in August.",
    )
    ReleaseFactory(organizations=[organization], contacts=[contact])
    return contact


def test_vcard_parses_back_with_every_field(client, hard_contact):
    response = client.get(vcard_path(hard_contact))
    card = parse(response)

    assert card.version.value == "4.0"
    assert card.fn.value == "Zoë O'Brien-Ünal, Jr.; PhD"
    assert card.n.value.family == "O'Brien-Ünal"
    assert card.n.value.given == "Zoë"
    assert card.n.value.suffix == "Jr.; PhD"
    assert card.org.value == ["Zürich Research; Labs, Ltd"]
    assert card.title.value == "Head of press, Europe; spokesperson"
    assert card.email.value == "zoe@zurich.example"
    assert card.tel.value == "tel:+41-44-668-18-00;ext=204"
    assert card.tel.params["VALUE"] == ["uri"]
    assert card.url.value == "http://testserver/organizations/zurich-labs/"
    assert card.kind.value == "individual"


def test_vcard_escapes_commas_and_semicolons_in_its_text(client, hard_contact):
    text = client.get(vcard_path(hard_contact)).content.decode()
    assert "\r\nFN:Zoë O'Brien-Ünal\\, Jr.\\; PhD\r\n" in text
    assert "\r\nORG:Zürich Research\\; Labs\\, Ltd\r\n" in text
    assert "TEL;TYPE=work,voice;VALUE=uri:tel:+41-44-668-18-00;ext=204" in text


def test_vcard_never_carries_private_notes(client, hard_contact):
    assert b"leave in August" not in client.get(vcard_path(hard_contact)).content


def test_vcard_is_an_attachment_named_after_the_contact(client, hard_contact):
    response = client.get(vcard_path(hard_contact))
    assert response["Content-Disposition"].startswith(
        'attachment; filename="zoe-obrien-unal-jr-phd.vcf"'
    )
    assert vcard_path(hard_contact) == f"/contacts/{hard_contact.pk}-zoe-obrien-unal-jr-phd.vcf"


def test_vcard_of_a_contact_without_organization_or_phone(client):
    contact = ContactFactory(name="Madonna", organization=None, phone="", role="")
    ReleaseFactory(contacts=[contact])
    card = parse(client.get(vcard_path(contact)))
    assert card.fn.value == "Madonna"
    assert card.n.value.family == "Madonna"
    for absent in ("org", "tel", "title", "url"):
        assert absent not in card.contents


def test_a_name_without_latin_letters_gets_a_plain_slug(client):
    contact = ContactFactory(name="王小明")
    ReleaseFactory(contacts=[contact])
    assert contact_slug(contact) == "contact"
    assert parse(client.get(vcard_path(contact))).fn.value == "王小明"


def test_organization_without_public_page_gives_its_website_as_url(client):
    partner = OrganizationFactory(name="Quiet Partner", website="https://partner.example/")
    contact = ContactFactory(organization=partner)
    ReleaseFactory(contacts=[contact])  # public, but issued by someone else
    assert parse(client.get(vcard_path(contact))).url.value == "https://partner.example/"


@pytest.mark.parametrize(
    ("website", "parsed"),
    [
        ("https://ex.org/a,b;c", "https://ex.org/a%2Cb;c"),
        ("https://ex.org/?ids=1,2,3&x=y", "https://ex.org/?ids=1%2C2%2C3&x=y"),
        ("https://ex.org/path;v=1", "https://ex.org/path;v=1"),
    ],
)
def test_a_website_with_commas_or_semicolons_parses_back_whole(client, website, parsed):
    partner = OrganizationFactory(name="Quiet Partner", website=website)
    contact = ContactFactory(organization=partner)
    ReleaseFactory(contacts=[contact])
    assert parse(client.get(vcard_path(contact))).url.value == parsed


@pytest.mark.parametrize(
    ("name", "family", "given", "additional", "suffix"),
    [
        ("Jane Roe", "Roe", "Jane", "", ""),
        ("Jane Mary Roe", "Roe", "Jane", "Mary", ""),
        ("Jane Roe, PhD", "Roe", "Jane", "", "PhD"),
        ("Cher", "Cher", "", "", ""),
    ],
)
def test_name_parts(name, family, given, additional, suffix):
    parts = name_parts(name)
    assert (parts.family, parts.given, parts.additional, parts.suffix) == (
        family,
        given,
        additional,
        suffix,
    )


def test_an_old_slug_redirects_to_the_current_one(client, hard_contact):
    path = reverse("releases:contact_vcard", kwargs={"pk": hard_contact.pk, "slug": "old-name"})
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == vcard_path(hard_contact)


# -- who has a vCard ----------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "embargoed", "withdrawn"])
def test_contact_seen_only_on_a_release_that_is_not_public_is_404(client, state):
    secret = OrganizationFactory(name="Merger Partner")
    contact = ContactFactory(organization=secret)
    ReleaseFactory(organizations=[secret], contacts=[contact], **{state: True})
    assert client.get(vcard_path(contact)).status_code == 404
    client.force_login(editor())
    assert client.get(vcard_path(contact)).status_code == 404


def test_contact_of_a_public_organization_has_a_vcard_without_a_release_of_its_own(client):
    organization = OrganizationFactory()
    ReleaseFactory(organizations=[organization])
    contact = ContactFactory(organization=organization)
    assert parse(client.get(vcard_path(contact))).fn.value == contact.name


def test_unknown_contact_is_404(client):
    assert client.get("/contacts/999999-nobody.vcf").status_code == 404


def test_public_queryset_matches_the_rule():
    shown = ContactFactory()
    ReleaseFactory(contacts=[shown])
    hidden = ContactFactory()
    ReleaseFactory(contacts=[hidden], organizations=[hidden.organization], draft=True)
    assert list(Contact.objects.public().filter(pk__in=[shown.pk, hidden.pk])) == [shown]


def test_vcard_costs_one_query(client, hard_contact, django_assert_num_queries):
    with django_assert_num_queries(1):
        parse(client.get(vcard_path(hard_contact)))


def test_vcard_repeat_with_the_etag_is_304(client, hard_contact):
    etag = client.get(vcard_path(hard_contact))["ETag"]
    assert client.get(vcard_path(hard_contact), HTTP_IF_NONE_MATCH=etag).status_code == 304


# -- links on the pages -------------------------------------------------------------------


def test_release_page_links_each_contacts_vcard(client, hard_contact):
    release = hard_contact.releases.get()
    html = client.get(release.get_absolute_url()).content.decode()
    assert (
        f'<a href="{vcard_path(hard_contact)}" type="text/vcard" download>Add to address book'
        in html
    )


def test_staff_preview_shows_no_vcard_link(client):
    contact = ContactFactory()
    release = ReleaseFactory(contacts=[contact], draft=True)
    client.force_login(editor())
    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert vcard_path(contact) not in response.content.decode()


def test_organization_page_links_vcards_and_the_press_contacts_page(client, hard_contact):
    organization = hard_contact.organization
    html = client.get(organization.get_absolute_url()).content.decode()
    assert vcard_path(hard_contact) in html
    contacts_url = reverse("releases:organization_contacts", kwargs={"slug": organization.slug})
    assert f'href="{contacts_url}"' in html


def test_press_contacts_page_lists_contacts_with_their_vcards(client, hard_contact):
    organization = hard_contact.organization
    other = ContactFactory(name="Bo Second", organization=organization)
    url = reverse("releases:organization_contacts", kwargs={"slug": organization.slug})
    html = client.get(url).content.decode()
    assert "Press contacts of Zürich Research; Labs, Ltd</h1>" in html
    assert vcard_path(hard_contact) in html
    assert vcard_path(other) in html
    assert "leave in August" not in html


def test_press_contacts_page_of_an_organization_that_is_not_public_is_404(client):
    secret = OrganizationFactory()
    ReleaseFactory(organizations=[secret], embargoed=True)
    url = reverse("releases:organization_contacts", kwargs={"slug": secret.slug})
    assert client.get(url).status_code == 404


def test_press_contacts_page_runs_two_queries_whatever_the_count(client, django_assert_num_queries):
    organization = OrganizationFactory()
    ReleaseFactory(organizations=[organization])
    url = reverse("releases:organization_contacts", kwargs={"slug": organization.slug})
    ContactFactory(organization=organization)
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    for _ in range(4):
        ContactFactory(organization=organization)
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_vcard_links_add_no_query_to_the_release_page(client):
    def count(release):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(release.get_absolute_url()).status_code == 200
        return len(queries)

    one = ReleaseFactory(contacts=[ContactFactory()])
    five = ReleaseFactory(contacts=[ContactFactory() for _ in range(5)])
    assert count(one) == count(five)
