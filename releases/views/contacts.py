"""Media contacts for journalists' address books: a vCard per contact, and an
organization's press-contacts page.

Only contacts a reader can already see (``Contact.objects.public()``: on a public
release or of a public organization); any other is 404, whoever asks, so the
answer never varies on the session.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from releases.models import Contact, Organization
from releases.vcards import contact_slug, contact_vcard, vcard_filename, vcard_path
from releases.views.conditional import Validators
from releases.views.media import content_disposition

VCARD_TYPE = "text/vcard; charset=utf-8"


@require_safe
def contact_vcard_download(request, pk: int, slug: str) -> HttpResponse:
    """``/contacts/<pk>-<slug>.vcf``: the contact as a vCard 4.0 (``releases.vcards``).

    One query. 404 for a contact no reader can see; 301 to the current slug when the
    name changed. ``text/vcard; charset=utf-8``, as an attachment named after the
    contact; ETag of the card, public for ``conditional.PUBLIC_MAX_AGE``.
    """
    organization_is_public = Organization.objects.public().filter(pk=OuterRef("organization_id"))
    contact = (
        Contact.objects.public()
        .select_related("organization")
        .annotate(organization_is_public=Exists(organization_is_public))
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        raise Http404("No contact here.")
    if slug != contact_slug(contact):
        return HttpResponsePermanentRedirect(vcard_path(contact))

    organization_url = ""
    if contact.organization_is_public:
        organization_url = request.build_absolute_uri(contact.organization.get_absolute_url())
    card = contact_vcard(contact, organization_url=organization_url)
    validators = Validators.of("vcard", card)
    if response := validators.not_modified(request):
        return response
    response = HttpResponse(card, content_type=VCARD_TYPE)
    response["Content-Disposition"] = content_disposition("attachment", vcard_filename(contact))
    response["X-Content-Type-Options"] = "nosniff"
    return validators.apply(response)


@require_safe
def press_contacts(request, slug: str) -> HttpResponse:
    """``/organizations/<slug>/contacts/``: a public organization's media contacts, each
    with its vCard link. 2 queries (the organization, its contacts); 404 for an
    organization with no public release."""
    organization = Organization.objects.public().filter(slug=slug).first()
    if organization is None:
        raise Http404("No such organization.")
    contacts = list(organization.contacts.select_related("organization"))
    context = {"organization": organization, "contacts": contacts}
    return render(request, "releases/press_contacts.html", context)
