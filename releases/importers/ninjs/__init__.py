"""Import IPTC ninjs items, any version (1.x, 2.x, 3.x): ``import_ninjs_file(path)``.

A file holds one item, a JSON array of items, or one item per line; it is read by
``releases.importers.structured.read_items`` (errors name the line) and imported all
or nothing. How an item is read: ``reading`` (its parts), ``spelling`` (the versions'
names), ``parties`` (people and organisations), ``media`` (pictures and files),
``nitf`` (NITF bodies). What the ninjs export writes reads back to the same release
(``releases.exports.ninjs``).

Identity, so a second import updates instead of duplicating:

- a release is its item's ``uri`` (1.x ``guid``), kept in ``Release.ninjs_uri``: the
  same uri again updates that release, even when its headline changed; another uri
  is another release, even with the same headline (its slug gets a number). This
  site's own release URLs are matched by their slug. An item without a uri is the
  release imported from the same item before (``Release.import_checksum``: SHA-256
  of the item's JSON, keys sorted), so importing the same file again updates even
  when its slug had to be numbered; else the release without a uri that has the slug
  its slugline or headline gives (a corrected item); else a new release;
- authors and organizations by their ``uri`` (``ninjs_uri``), then this site's page
  slug, then their exact name (a new author read from a byline's "…, Agency" gets
  that organization); an author or organisation of the same name but
  another uri is another one (its slug gets a number). Existing ones are linked as
  they are, never overwritten.

Every guess and everything not taken is a warning: in the result (the command prints
them) and in ``Release.import_warnings`` (shown on the release's change form).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from pathlib import Path

from django.core.files import File

from releases.exports import ninjs as ninjs_names
from releases.exports.ninjs import last_change
from releases.exports.serialize import iso
from releases.importers import ImportResult
from releases.importers.files import FileResolver
from releases.importers.ninjs.media import LocalFile, read_media
from releases.importers.ninjs.parties import FIELD
from releases.importers.ninjs.reading import ItemReading, item_label, read_item
from releases.importers.ninjs.values import route_slug
from releases.importers.slugs import SLUG_LENGTH, url_slug
from releases.importers.structured import _Importer, _object, import_file, parse_time
from releases.models import Attachment, Author, Organization, Release, ReleaseSlug, Status

# Where the parts of a release are in a ninjs item, for error messages.
NINJS_FIELDS = {
    "headline": "headlines",
    "subheadline": "headlines",
    "slug": "slugline",
    "summary": "descriptions",
    "body": "bodies",
    "dateline": "located",
    "status": "pubStatus",
    "published_at": "firstCreated",
    "created_at": "firstCreated",
    "updated_at": "versionCreated",
    "withdrawn_at": "versionCreated",
    "embargoed_until": "embargoedUntil",
    "withdrawal_reason": "edNote",
    "source_url": "infoSources",
    "language": "language",
    "featured_image": "associations",
    "featured_image_alt": "associations",
    "featured_image_caption": "associations",
    "featured_image_credit": "associations",
    "author": "people",
    "organizations": "organisations",
    "contacts": "organisations",
    "tags": "subjects",
}
NO_FEATURED_IMAGE = {
    "featured_image": "",
    "featured_image_alt": "",
    "featured_image_caption": "",
    "featured_image_credit": "",
}


def import_ninjs_file(path: str | Path) -> ImportResult:
    """Import the ninjs items of ``path``: a ninjs file, or a ZIP bundle of one with
    its files (``export_releases --format ninjs --bundle``). Raises
    ``ReleaseImportError`` (file, line, item and field); all or nothing: the files an
    import that fails stored are deleted again."""
    return import_file(
        path,
        lambda path, files, bundled: NinjsImporter(
            path, files, folder=None if bundled else path.parent
        ),
        lambda importer, item: importer.item(item),
        what="an item",
    )


class NinjsImporter(_Importer):
    """The JSON importer's writing (``_Importer``), with ninjs identities: releases,
    authors and organizations by uri."""

    def __init__(self, path: Path, files: FileResolver, folder: Path | None):
        super().__init__(path, NINJS_FIELDS, files)
        self.folder = folder  # the item's folder; None for a bundle

    def item(self, raw: dict) -> Release:
        data, reading = read_item(raw)
        warn = reading.warnings.append
        media = read_media(reading.associations, self.files, self.folder, warn)
        if media.stored_featured:
            data.update(media.stored_featured)
        elif media.featured or media.featured_texts:
            # The file is stored after the release (below); its texts come in now, and
            # stay when the file cannot (as the JSON import keeps them).
            texts = media.featured or media.featured_texts
            if media.featured is None:
                data["featured_image"] = ""
            data["featured_image_alt"] = texts.alt
            data["featured_image_caption"] = texts.description[:300]
            data["featured_image_credit"] = texts.credit
        else:
            data.update(NO_FEATURED_IMAGE)

        checksum = "" if reading.uri else item_checksum(raw)
        target = self.target(reading.uri, data["slug"], checksum)
        data["slug"] = target.slug if target else free_slug(data["slug"], data["headline"])
        if target is not None:
            keep_what_ninjs_cannot_say(target, data, raw_status(raw), warn)
        lists = (self.result.created, self.result.updated, self.result.unchanged)
        sizes = [len(found) for found in lists]
        self.release(data)
        # The instance the result holds (one list grew by it), so callers see the extras.
        release = next(
            found[-1] for found, size in zip(lists, sizes, strict=True) if len(found) > size
        )
        # ``release()`` set the item's times by an update: storing a file below saves
        # the instance, which must not write the clock's times back.
        release.refresh_from_db(fields=["created_at", "updated_at"])
        changed = self.keep(release, reading, checksum)
        if media.featured and self.featured_image(release, media.featured):
            changed = True
        if self.attachments(release, media.attachments):
            changed = True
        held = set(release.attachments.values_list("file", flat=True))
        for name in media.stored_attachments:
            if name not in held:
                warn(f"attachment “{name}” not imported: it is another release's file")
        if changed and data.get("updated_at"):
            # Storing a file saved the release: its version is still the item's.
            Release.objects.filter(pk=release.pk).update(updated_at=data["updated_at"])
        if changed and release in self.result.unchanged:
            self.result.unchanged.remove(release)
            self.result.updated.append(release)
        label = item_label(raw)
        self.result.warnings.extend(f"{label}: {warning}" for warning in reading.warnings)
        return release

    def target(self, uri: str, slug: str, checksum: str) -> Release | None:
        """The release this item updates, if any (see the module's docstring)."""
        if own := route_slug(uri, "releases:detail"):
            return Release.objects.filter(slug=own).first() or _by_old_slug(own)
        if uri:
            return Release.objects.filter(ninjs_uri=uri).first()
        without_uri = Release.objects.filter(ninjs_uri="").order_by("pk")
        return (
            without_uri.filter(import_checksum=checksum).first()
            or without_uri.filter(slug=slug).first()
        )

    def keep(self, release: Release, reading: ItemReading, checksum: str) -> bool:
        """Store the item's identity, subjects and warnings; whether they changed."""
        values = {
            "ninjs_subjects": reading.subjects,
            "import_warnings": reading.warnings,
        }
        if checksum:
            values["import_checksum"] = checksum
        if reading.uri and not route_slug(reading.uri, "releases:detail"):
            values["ninjs_uri"] = reading.uri
        changed = {name: value for name, value in values.items() if getattr(release, name) != value}
        if not changed:
            return False
        Release.objects.filter(pk=release.pk).update(**changed)
        for name, value in changed.items():
            setattr(release, name, value)
        # Warnings and the item's checksum alone are not a change of the release.
        return bool(set(changed) - {"import_warnings", "import_checksum"})

    # -- people -------------------------------------------------------------------

    def author(self, data) -> Author | None:
        if data is None:
            return None
        data = _object(data, self.field("author"))
        field = data.get(FIELD) or self.field("author")
        name, uri, slug = data["name"], data.get("uri", ""), data.get("slug", "")
        if (author := _known(Author, name, uri, slug)) is not None:
            return author
        free = slug and not Author.objects.filter(slug=slug).exists()
        author = Author(name=name, ninjs_uri=uri, slug=slug if free else "")
        if agency := data.get("agency"):
            # The agency of a byline ("…, Associated Press") is the new author's
            # organization: one of that name without a uri, else a new one.
            author.organization = Organization.objects.filter(
                name__iexact=agency, ninjs_uri=""
            ).first() or self.organization({"name": agency}, field)
        return self.saved(author, field, exclude=["slug"])

    def organization(self, data, field: str) -> Organization:
        data = _object(data, field)
        field = data.get(FIELD) or field
        name, uri, slug = data["name"], data.get("uri", ""), data.get("slug", "")
        if (organization := _known(Organization, name, uri, slug)) is not None:
            return organization
        organization = Organization(
            name=name,
            ninjs_uri=uri,
            short_name=data.get("short_name", ""),
            website=data.get("website", ""),
            location=data.get("location", ""),
        )
        if slug and not Organization.objects.filter(slug=slug).exists():
            organization.slug = slug
        return self.saved(organization, field, exclude=["slug"])

    def contact(self, data, field: str):
        # Named by its entry in the item (organisations[0].contactInfo[2]).
        return super().contact(data, data.get(FIELD) or field if isinstance(data, dict) else field)

    # -- files --------------------------------------------------------------------

    def featured_image(self, release: Release, local: LocalFile) -> bool:
        """Store ``local`` as the featured image unless it already is; whether it was."""
        if release.featured_image and _same_file(release.featured_image, local.file):
            return False
        release.featured_image.save(local.name, local.file, save=True)
        self.files.remember(release.featured_image, release.featured_image_renditions)
        return True

    def attachments(self, release: Release, files: list[LocalFile]) -> bool:
        """Add each file the media kit does not hold yet (by title, file name and
        checksum); whether any was added."""
        existing = list(release.attachments.all())
        added = False
        for local in files:
            # The same file is the same name and the same bytes: two files of one
            # content under other names or titles are two attachments.
            if any(
                attachment.title == local.title
                and posixpath.basename(attachment.file.name) == posixpath.basename(local.name)
                and _same_file(attachment.file, local.file)
                for attachment in existing
            ):
                continue
            attachment = Attachment(
                release=release,
                title=local.title,
                description=local.description,
                position=len(existing),
            )
            attachment.file.save(local.name, local.file, save=False)
            attachment.save()
            self.files.remember(attachment.file, attachment.renditions)
            existing.append(attachment)
            added = True
        return added


def raw_status(raw: dict) -> str:
    """The item's pubStatus in any version's spelling (``usable`` when it has none)."""
    value = raw.get("pubStatus", raw.get("pubstatus"))
    return value if isinstance(value, str) and value else ninjs_names.USABLE


def keep_what_ninjs_cannot_say(release: Release, data: dict, pub_status: str, warn) -> None:
    """Change ``data`` so an item never overwrites what ninjs cannot express about an
    existing ``release`` (importing this site's own export over its database changes
    nothing):

    - ``withheld`` says "not public", not which of draft, in review, scheduled or
      under embargo: a release that is not public keeps its status and publication
      time; a public one becomes a draft, with a warning;
    - a ``canceled`` item over a withdrawn release keeps its withdrawal time (the
      item's ``versionCreated`` is only its last change); a ``usable`` item over a
      withdrawn release publishes it again, with a warning;
    - ``created_at`` is never taken from an update (ninjs has no creation time for a
      published item);
    - ``versionCreated`` equal to what the export writes for the release (the later
      of its last save and its latest correction) is no change: the release keeps
      its update time.
    """
    data.pop("created_at", None)
    if pub_status == ninjs_names.WITHHELD:
        if not release.is_published and release.status != Status.WITHDRAWN:
            data["status"] = release.status
            data["published_at"] = iso(release.published_at)
        else:
            warn(
                f"the item is withheld: the {release.get_status_display().lower()} release "
                "is now a draft"
            )
    elif pub_status == ninjs_names.CANCELED and release.status == Status.WITHDRAWN:
        data["withdrawn_at"] = (
            iso(release.withdrawn_at) if release.withdrawn_at else (data["withdrawn_at"])
        )
    elif release.status == Status.WITHDRAWN and data.get("status") == Status.PUBLISHED:
        warn("the item is usable: the withdrawn release is published again")
    if data.get("status") == Status.DRAFT and release.status == Status.REVIEW:
        data["status"] = Status.REVIEW  # an item with no date over a release in review
    version = data.get("updated_at")
    if version and parse_time(version, "versionCreated") == last_change(release):
        # A correction later than the last save is the item's version, not the row's.
        data["updated_at"] = iso(release.updated_at)


def item_checksum(raw: dict) -> str:
    """SHA-256 of the item as JSON with sorted keys: the identity of an item without
    a uri (the same item in another file, indented otherwise, is the same item)."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _known(model, name: str, uri: str, slug: str):
    """The author or organization (``model``) a party names: by its ``uri``, else by
    this site's slug, else by name among those without a uri (another uri under the same
    name is someone else); None when new. A match without a uri takes this one."""
    found = model.objects.filter(ninjs_uri=uri).first() if uri else None
    if found is None and slug:
        found = model.objects.filter(slug=slug).first()
    if found is None:
        same_name = model.objects.filter(name=name).order_by("pk")
        found = (same_name.filter(ninjs_uri="") if uri else same_name).first()
    if found is not None and uri and not found.ninjs_uri:
        model.objects.filter(pk=found.pk).update(ninjs_uri=uri)
    return found


def free_slug(slug: str, headline: str) -> str:
    """``slug`` (else the headline's), numbered when a release has or had it."""
    base = (slug or url_slug(headline) or "release")[:SLUG_LENGTH]
    candidate, n = base, 2
    while (
        Release.objects.filter(slug=candidate).exists()
        or ReleaseSlug.objects.filter(slug=candidate).exists()
    ):
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _by_old_slug(slug: str) -> Release | None:
    old = ReleaseSlug.objects.filter(slug=slug).select_related("release").first()
    return old.release if old else None


def _same_file(stored, copy: File) -> bool:
    """Whether the stored file has ``copy``'s bytes (sizes first: one read at most);
    ``copy`` is rewound."""
    try:
        if stored.size != copy.size:
            return False
        with stored.open("rb") as file:
            stored_digest = hashlib.sha256(file.read()).digest()
    except (OSError, ValueError):
        return False
    copy.seek(0)
    digest = hashlib.sha256(copy.read()).digest()
    copy.seek(0)
    return stored_digest == digest


__all__ = ["NINJS_FIELDS", "import_ninjs_file"]
