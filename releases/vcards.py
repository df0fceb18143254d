"""A media contact as a vCard 4.0 (RFC 6350), written by ``vobject``.

Properties: ``VERSION:4.0``, ``KIND:individual``, ``FN`` (the name as written), ``N``
(its parts, see ``name_parts``), ``ORG``, ``TITLE`` (the contact's role or title),
``EMAIL;TYPE=work``, ``TEL;VALUE=uri;TYPE=work,voice:tel:+…`` (RFC 3966, extension
included) and ``URL`` (the organization's newsroom page when public, else its
website). vobject escapes ``\\``, ``,``, ``;`` and newlines in text values
(RFC 6350 §3.4) and folds long lines. Private notes are never written.

Served by ``releases.views.contacts.contact_vcard`` at ``/contacts/<pk>-<slug>.vcf``
(``vcard_path``), for the contacts a reader can already see
(``Contact.objects.public()``).
"""

from __future__ import annotations

import vobject
from django.urls import reverse
from django.utils.text import slugify

PRODID = "-//Newsroom//Media contact//EN"


def contact_slug(contact) -> str:
    """The URL slug of a contact's name (``jane-roe``); ``contact`` when the name has no
    letter slugify keeps (a name written only in CJK script, say)."""
    return slugify(contact.name)[:80].strip("-") or "contact"


def vcard_path(contact) -> str:
    """``/contacts/<pk>-<slug>.vcf``: no query."""
    return reverse(
        "releases:contact_vcard", kwargs={"pk": contact.pk, "slug": contact_slug(contact)}
    )


def vcard_filename(contact) -> str:
    """``jane-roe.vcf``: the name an address book or a download folder gets."""
    return f"{contact_slug(contact)}.vcf"


def name_parts(name: str) -> vobject.vcard.Name:
    """``N`` from the one name a contact has: a best guess, as ``FN`` carries the name as
    written (what address books show). What follows the first comma is an honorific
    suffix (``Jane Roe, PhD``); of the rest, the last word is the family name, the first
    the given name, any between additional names. One word is a family name."""
    main, _, suffix = name.partition(",")
    words = main.split()
    if not words:
        return vobject.vcard.Name(suffix=suffix.strip())
    return vobject.vcard.Name(
        family=words[-1],
        given=" ".join(words[:1]) if len(words) > 1 else "",
        additional=" ".join(words[1:-1]),
        suffix=suffix.strip(),
    )


def contact_vcard(contact, *, organization_url: str = "") -> str:
    """The vCard text of ``contact`` (CRLF line ends), ``organization_url`` as its
    ``URL`` when given, else the organization's website if any. Reads
    ``contact.organization``: select it with the contact to spare a query."""
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("prodid").value = PRODID
    card.add("kind").value = "individual"
    card.add("fn").value = contact.name
    card.add("n").value = name_parts(contact.name)
    organization = contact.organization
    if organization is not None:
        card.add("org").value = [organization.name]
    if contact.role:
        card.add("title").value = contact.role
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.params["TYPE"] = ["work"]
    if contact.phone_uri:
        tel = card.add("tel")
        tel.value = contact.phone_uri
        tel.params["VALUE"] = ["uri"]
        tel.params["TYPE"] = ["work", "voice"]
        # A URI, not text: RFC 6350 §3.4 escapes text only (``tel:…;ext=204`` as is).
        tel.encoded = True
    url = organization_url or (organization.website if organization is not None else "")
    if url:
        line = card.add("url")
        # A URI too, so not escaped (RFC 6350 §3.4); but readers split URL values at
        # commas (vobject does), so a comma travels percent-encoded (RFC 3986 §2.1).
        line.value = url.replace(",", "%2C")
        line.encoded = True
    return card.serialize()
