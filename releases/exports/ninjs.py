"""A release as an IPTC ninjs 3.1 news item (``release_to_ninjs``).

The item validates against ``ninjs-schema_3.1.json`` (tested with ``jsonschema``).
How the parts of a release map (docs/export-formats.md has an example):

- ``uri``: the release page; ``slugline``: the slug; ``type`` ``text``;
  ``representationType`` ``full``; ``standard``: ninjs 3.1.
- ``pubStatus``: ``usable`` when public now; ``withheld`` for drafts, releases in
  review, scheduled or under embargo; ``canceled`` when withdrawn (the reason, if any,
  in ``edNote``).
- ``firstCreated``: the publication time for usable and canceled items, otherwise the
  time the draft was created; ``versionCreated``: the last change (the later of the
  last save and the latest correction); ``version``: that time in whole seconds since
  the epoch, so it grows with every change and every correction;
  ``embargoedUntil`` when there is an embargo.
- ``headlines``: ``main`` (headline) and ``sub`` (subheadline); ``descriptions``:
  ``summary`` (plain text); ``bodies``: ``main`` (sanitized HTML, its URLs made
  absolute by ``releases.body_images.absolute_body``); ``located``: the
  dateline; ``language``.
- ``by`` and ``people`` (``rel`` ``author``): the author, with the author page as
  ``uri``.
- ``organisations``: the issuing organizations in order (``rel`` ``issuer`` for the
  first, ``co-issuer`` for the others), ``literal`` the short name, ``uri`` the
  organization page; their ``contactInfo`` holds the website (``web``), the location
  (``address``) and the media contacts of that organization, one entry per e-mail
  address or phone number, each with the contact's ``name`` and job title as
  ``role``. A contact of an organization that does not issue the release brings that
  organization along (``rel`` ``contact``); a contact of no organization is listed in
  ``people`` (``rel`` ``media-contact``).
- ``subjects``: the tags, with the tag page as ``uri``; a release imported from ninjs
  gives back its item's subjects as written (``Release.ninjs_subjects``: codes,
  schemes' URIs, ``rel``) in their order, those whose tag an editor removed left out,
  then the tags they do not name.
- ``infoSources``: the source URL of an imported release (``role`` ``source``).
- ``descriptions`` with ``role`` ``correction``: each public correction, oldest first,
  as the release page prints it (“Updated 10 June 2025: <note>”; plain text).
- ``associations``: the featured image (``name`` ``featured-image``, a ``picture``
  with alt text and caption as ``descriptions`` and the credit as ``by``), then each
  attachment in order (``name`` ``attachment-1``, ``attachment-2``…, ``rel``
  ``attachment``, ``title``, the description as ``descriptions`` role ``text``). Each
  has one rendition ``original`` (URL, ``contentType``, ``sizeInBytes``, the file name
  as ``title``) and its SHA-256 as ``altIds`` role ``sha256``
  (``releases.exports.files``), so an importer takes the file from a bundle by checksum.

What ninjs cannot carry: the organizations' boilerplate, the author's bio, the
corrections' times of day (the importer reads them back at noon of their day, or at
the item's ``versionCreated`` when that is earlier),
contacts without an e-mail address or a phone number, the time a
published release was first drafted and the release's internal id. The ninjs
importer (``releases.importers.ninjs``) reads all of the rest back.

Costs: as ``release_to_dict`` (free after ``for_export``).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from taggit.models import Tag

from releases.body_images import absolute_body
from releases.exports.files import LinkedFiles
from releases.exports.serialize import (
    absolute_url,
    attachments_of,
    contacts_of,
    corrections_of,
    iso,
    organizations_of,
    phone_e164,
    tags_of,
)
from releases.models import Contact, Organization, Release, Status

NINJS_VERSION = "3.1"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"

USABLE, WITHHELD, CANCELED = "usable", "withheld", "canceled"

# ``rel`` values (ours: ninjs leaves them to the provider).
REL_ISSUER = "issuer"
REL_CO_ISSUER = "co-issuer"
REL_CONTACT_ORGANISATION = "contact"
REL_AUTHOR = "author"
REL_MEDIA_CONTACT = "media-contact"
FEATURED_IMAGE = "featured-image"
ATTACHMENT = "attachment"
SHA256_ROLE = "sha256"
SOURCE_ROLE = "source"
CORRECTION_ROLE = "correction"


def pub_status(release: Release) -> str:
    if release.status == Status.WITHDRAWN:
        return CANCELED
    return USABLE if release.is_published else WITHHELD


def last_change(release: Release, corrections=None):
    """The item's ``versionCreated``: the later of the release's last save and its latest
    public correction (a correction is a new version of the item even when the release
    row is not saved)."""
    corrections = corrections_of(release) if corrections is None else corrections
    return max([release.updated_at, *(c.noted_at for c in corrections)])


def release_to_ninjs(release: Release, base_url: str, files: LinkedFiles | None = None) -> dict:
    """The release as a ninjs 3.1 item; ``base_url`` (``https://news.example.org``)
    makes its links absolute; ``files`` reads the stored files' checksums (and
    collects them for a bundle)."""
    files = files or LinkedFiles(base_url)

    def absolute(path: str) -> str:
        return absolute_url(base_url, path)

    status = pub_status(release)
    corrections = corrections_of(release)
    changed = last_change(release, corrections)
    first_created = release.published_at if status != WITHHELD else release.created_at
    item: dict = {
        "uri": absolute(release.get_absolute_url()),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "version": str(int(changed.timestamp())),
        "firstCreated": iso(first_created or release.created_at),
        "versionCreated": iso(changed),
    }
    if release.embargoed_until:
        item["embargoedUntil"] = iso(release.embargoed_until)
    item["pubStatus"] = status
    if status == CANCELED and release.withdrawal_reason:
        item["edNote"] = release.withdrawal_reason
    item["language"] = release.language
    item["slugline"] = release.slug
    item["headlines"] = [{"role": "main", "value": release.headline}]
    if release.subheadline:
        item["headlines"].append({"role": "sub", "value": release.subheadline})
    if release.summary:
        item["descriptions"] = [
            {"role": "summary", "contentType": "text/plain", "value": release.summary}
        ]
    if corrections:
        item.setdefault("descriptions", []).extend(
            {"role": CORRECTION_ROLE, "contentType": "text/plain", "value": str(correction)}
            for correction in corrections
        )
    if release.body:
        # Read with no page around it, so its URLs are absolute; own images keep their
        # originals (no rendition swap), which the ninjs importer reads back as such.
        body = absolute_body(release.body, absolute(release.get_absolute_url()))
        item["bodies"] = [{"role": "main", "contentType": "text/html", "value": body}]
    if release.author:
        item["by"] = release.author.name
    if release.dateline:
        item["located"] = release.dateline

    organisations, loose_contacts = _organisations(release, absolute)
    people = []
    if release.author:
        people.append(
            {
                "name": release.author.name,
                "rel": REL_AUTHOR,
                "uri": absolute(_page(release.author)),
            }
        )
    for contact in loose_contacts:
        people.append(
            {"name": contact.name, "rel": REL_MEDIA_CONTACT, "contactInfo": _contact_info(contact)}
        )
    if people:
        item["people"] = people
    if organisations:
        item["organisations"] = organisations
    if subjects := _subjects(release, absolute):
        item["subjects"] = subjects
    if release.source_url:
        item["infoSources"] = [{"role": SOURCE_ROLE, "uri": release.source_url}]
    associations = []
    if release.featured_image:
        associations.append(_featured_image(release, absolute, files))
    for number, attachment in enumerate(attachments_of(release), 1):
        associations.append(_attachment(attachment, number, absolute, files))
    if associations:
        item["associations"] = associations
    return item


def _organisations(release: Release, absolute) -> tuple[list[dict], list[Contact]]:
    """The organisations with their contacts, and the contacts of no organization."""
    issuers = organizations_of(release)
    by_organization: dict[int, list[Contact]] = {}
    contact_organizations: list[Organization] = []
    loose: list[Contact] = []
    issuer_ids = {organization.pk for organization in issuers}
    for contact in contacts_of(release):
        if not (contact.email or phone_e164(contact)):
            continue  # contactInfo needs a value: nothing to say about this one
        if contact.organization is None:
            loose.append(contact)
            continue
        if contact.organization_id not in issuer_ids and contact.organization_id not in (
            by_organization
        ):
            contact_organizations.append(contact.organization)
        by_organization.setdefault(contact.organization_id, []).append(contact)

    organisations = []
    for position, organization in enumerate([*issuers, *contact_organizations]):
        if position >= len(issuers):
            rel = REL_CONTACT_ORGANISATION
        else:
            rel = REL_ISSUER if position == 0 else REL_CO_ISSUER
        entry: dict = {
            "name": organization.name,
            "rel": rel,
            "uri": absolute(_page(organization)),
        }
        if organization.short_name:
            entry["literal"] = organization.short_name
        info = []
        if organization.website:
            info.append({"type": "web", "value": organization.website})
        if organization.location:
            info.append({"type": "address", "address": {"lines": [organization.location]}})
        for contact in by_organization.get(organization.pk, []):
            info.extend(_contact_info(contact))
        if info:
            entry["contactInfo"] = info
        organisations.append(entry)
    return organisations, loose


def _subjects(release: Release, absolute) -> list[dict]:
    tags = tags_of(release)
    names = {tag.name for tag in tags}
    kept = [
        subject
        for subject in release.ninjs_subjects
        if "name" not in subject or subject["name"] in names
    ]
    named = {subject.get("name") for subject in kept}
    return kept + [_subject(tag, absolute) for tag in tags if tag.name not in named]


def _subject(tag, absolute) -> dict:
    path = _page(tag)
    return {"name": tag.name, "uri": absolute(path)} if path else {"name": tag.name}


def _page(instance) -> str:
    """The page of an author, organization or tag ("" if it has none), computed once
    per instance: an export shares one instance among all the releases linking it."""
    try:
        return instance._export_page
    except AttributeError:
        pass
    if isinstance(instance, Tag):
        try:
            path = reverse("releases:tag", kwargs={"slug": instance.slug})
        except NoReverseMatch:
            # A slug the tag route refuses (made outside taggit): name the tag, no link.
            path = ""
    else:
        path = instance.get_absolute_url()
    instance._export_page = path
    return path


def _contact_info(contact: Contact) -> list[dict]:
    """One entry per way to reach the contact, each naming the contact."""
    person = {"name": contact.name}
    if contact.role:
        person["role"] = contact.role
    info = []
    if contact.email:
        info.append({"type": "email", **person, "value": contact.email})
    if phone := phone_e164(contact):
        info.append({"type": "phone", **person, "value": phone})
    return info


def _file_parts(fieldfile, absolute, files: LinkedFiles) -> tuple[str, dict, list[dict]]:
    """The URL, the ``original`` rendition and the ``altIds`` (checksum) of a file."""
    url = absolute(fieldfile.url)
    entry = files.entry(fieldfile)  # read once; a bundle collects the file here
    rendition = {"name": "original", "href": url, "title": entry["file_name"]}
    rendition["contentType"] = entry["content_type"]
    if entry["size"] is not None:
        rendition["sizeInBytes"] = entry["size"]
    alt_ids = [{"role": SHA256_ROLE, "value": entry["sha256"]}] if entry["sha256"] else []
    return url, rendition, alt_ids


def _featured_image(release: Release, absolute, files: LinkedFiles) -> dict:
    url, rendition, alt_ids = _file_parts(release.featured_image, absolute, files)
    descriptions = [{"role": "alt", "value": release.featured_image_alt}]
    if release.featured_image_caption:
        descriptions.append({"role": "caption", "value": release.featured_image_caption})
    image = {
        "name": FEATURED_IMAGE,
        "rel": FEATURED_IMAGE,
        "uri": url,
        "type": "picture",
        "descriptions": descriptions,
        "renditions": [rendition],
    }
    if alt_ids:
        image["altIds"] = alt_ids
    if release.featured_image_credit:
        image["by"] = release.featured_image_credit
    return image


def _attachment(attachment, number: int, absolute, files: LinkedFiles) -> dict:
    url, rendition, alt_ids = _file_parts(attachment.file, absolute, files)
    entry: dict = {
        "name": f"{ATTACHMENT}-{number}",
        "rel": ATTACHMENT,
        "uri": url,
        "type": "picture" if attachment.is_image else "text",
        "title": attachment.title,
    }
    if attachment.description:
        entry["descriptions"] = [
            {"role": "text", "contentType": "text/plain", "value": attachment.description}
        ]
    entry["renditions"] = [rendition]
    if alt_ids:
        entry["altIds"] = alt_ids
    return entry


__all__ = ["NINJS_SCHEMA_URI", "last_change", "pub_status", "release_to_ninjs"]
