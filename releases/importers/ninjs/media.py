"""The associations of a ninjs item: which files come in, and how.

- A picture (``type`` ``picture`` or ``graphic``) whose file is reachable becomes the
  featured image (the one named ``featured-image``, else the first); every other
  reachable file becomes an attachment of the media kit, in the item's order.
- Reachable means in the bundle (a ZIP export) or beside the item, through
  ``releases.importers.files.FileResolver``: a relative path or a ``file:`` URI in a
  rendition's ``href`` (the ``original`` / ``highres`` one first, then the widest) or
  in the association's ``uri``, inside the bundle or the folder of the item's file;
  else by checksum, as this site's export writes it (the SHA-256 in ``altIds`` role
  ``sha256``, the file name as the rendition's ``title``): ``files/<sha256>/<name>``,
  then ``<name>``. Nothing is downloaded: a file elsewhere (``https:``) is listed in
  the warnings with its URI, as is one that resolves outside that folder.
- This site's own export names its featured image by its ``/media/`` URL: a file
  already in storage is linked again as it is.
- A text association of a composite is its text part (``reading``), not a file.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from releases.exports import ninjs as ninjs_names
from releases.importers.files import SHA256, FileResolver, is_safe_relative, own_site_path
from releases.importers.ninjs.values import objects, rel, short

PICTURE_TYPES = ("picture", "graphic")
PREFERRED_RENDITIONS = ("original", "highres", "master", "baseimage", "large")


@dataclass
class LocalFile:
    """A file of the item, copied out of the bundle or its folder (``file``, rewound)."""

    file: File | None  # None: only the texts of a file that cannot come in
    title: str
    description: str
    alt: str = ""
    credit: str = ""
    # This site's own ``/media/`` name in the item's ``uri`` (an export of it): stored
    # there again when free, so a restore keeps the file's URL.
    restored_name: str = ""

    @property
    def name(self) -> str:
        return self.restored_name or self.file.name


@dataclass
class Media:
    featured: LocalFile | None = None
    stored_featured: dict | None = None  # this site's own /media/ image, as stored
    # The featured picture's texts when its file cannot come in (kept, as JSON keeps them).
    featured_texts: LocalFile | None = None
    attachments: list[LocalFile] = field(default_factory=list)
    # This site's own attachments named by their /media/ URL (re-importing an export).
    stored_attachments: list[str] = field(default_factory=list)


def read_media(associations: list[dict], files: FileResolver, folder: Path | None, warn) -> Media:
    """What to do with ``associations``; ``files`` reads the bundle or the item's
    ``folder`` (which ``file:`` URIs may name absolutely); warns about what cannot
    come in."""
    media = Media()
    ordered = sorted(
        associations, key=lambda a: a.get("name") != ninjs_names.FEATURED_IMAGE
    )  # stable: the featured one first, the others in their order
    for association in ordered:
        kind = association.get("type", "text")
        is_attachment = rel(association) == ninjs_names.ATTACHMENT
        if kind == "text" and not is_attachment:
            continue  # a composite's text part, or a related story: not a file
        uri = str(association.get("uri", ""))
        label = association.get("name") or uri or kind
        is_picture = kind in PICTURE_TYPES and not is_attachment
        wanted = is_picture and media.featured is None and media.stored_featured is None
        if wanted and (stored := _stored_image(association)):
            media.stored_featured = stored
            continue
        copy = _local_file(association, files, folder, f"associations[{label}]")
        if copy is None and is_attachment and _stored_name(association):
            media.stored_attachments.append(_stored_name(association))
            continue
        if copy is None and wanted and media.featured_texts is None:
            texts = _descriptions(association)
            media.featured_texts = LocalFile(
                file=None,
                title="",
                description=texts.get("caption") or texts.get("text") or "",
                alt=texts.get("alt") or texts.get("alternative") or "",
                credit=str(association.get("by") or "")[:200],
            )
        if copy is None:
            warn(
                f"{kind} “{label}” not imported: no file in the bundle nor beside the item "
                f"(links are not fetched): {uri or 'no uri'}"
            )
            continue
        texts = _descriptions(association)
        title = _title(association) or copy.name
        found = LocalFile(
            file=copy,
            title=title[:200],
            description=texts.get("caption") or texts.get("text") or texts.get("summary") or "",
            alt=texts.get("alt") or texts.get("alternative") or "",
            credit=str(association.get("by") or "")[:200],
            restored_name=_own_media_name(association),
        )
        if wanted:
            if not found.alt:
                found.alt = (found.description or title)[:250]
                warn(f"the featured image's alt text is its caption or title: “{short(found.alt)}”")
            media.featured = found
        else:
            media.attachments.append(found)
    return media


def _title(association: dict) -> str:
    for entry in objects(association, "headlines"):
        if isinstance(entry.get("value"), str) and entry["value"].strip():
            return entry["value"].strip()
    title = association.get("title")
    return title.strip() if isinstance(title, str) else ""


def _descriptions(association: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in objects(association, "descriptions"):
        if isinstance(entry.get("value"), str):
            found.setdefault(str(entry.get("role") or "caption").lower(), entry["value"].strip())
    return found


def _own_media_name(association: dict) -> str:
    """The storage name in this site's own ``/media/`` URL (``uri``), else "" (another
    host's ``/media/`` is not ours: ``own_site_path``)."""
    path = own_site_path(association.get("uri")) or ""
    return path.removeprefix(settings.MEDIA_URL) if path.startswith(settings.MEDIA_URL) else ""


def _stored_name(association: dict) -> str:
    """The storage name of this site's own ``/media/`` URL, when that file exists."""
    name = _own_media_name(association)
    return name if name and default_storage.exists(name) else ""


def _stored_image(association: dict) -> dict | None:
    name = _stored_name(association)
    if not name:
        return None
    texts = _descriptions(association)
    return {
        "featured_image": name,
        "featured_image_alt": texts.get("alt", ""),
        "featured_image_caption": texts.get("caption", ""),
        "featured_image_credit": str(association.get("by") or ""),
    }


def _local_file(
    association: dict, files: FileResolver, folder: Path | None, field: str
) -> File | None:
    """The association's file from the bundle or the item's folder: by its hrefs
    (best rendition first, then ``uri``), else by its checksum (``altIds``)."""
    renditions = [r for r in objects(association, "renditions") if isinstance(r.get("href"), str)]

    def rank(rendition: dict) -> tuple:
        name = str(rendition.get("name", "")).lower()
        preferred = PREFERRED_RENDITIONS.index(name) if name in PREFERRED_RENDITIONS else 99
        width = rendition.get("width") if isinstance(rendition.get("width"), int) else 0
        return (preferred, -width)

    ranked = sorted(renditions, key=rank)
    sha256 = _sha256(association)
    file_name = next(
        (
            r["title"]
            for r in ranked
            if isinstance(r.get("title"), str)
            and is_safe_relative(r["title"])
            and "/" not in r["title"]
        ),
        "",
    )
    hrefs = [r["href"] for r in ranked]
    hrefs.append(str(association.get("uri", "")))
    for href in hrefs:
        path = _relative_path(href, folder)
        if path is None:
            continue
        name = file_name or posixpath.basename(path)
        if copy := files.from_source(href=path, sha256=None, file_name=name, field=field):
            return copy
    if sha256 and file_name:
        return files.from_source(href=None, sha256=sha256, file_name=file_name, field=field)
    return None


def _relative_path(href: str, folder: Path | None) -> str | None:
    """``href`` as a path inside the bundle or the folder, or None (a link elsewhere,
    or a path that climbs out)."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "file") or (parts.scheme == "" and parts.netloc):
        return None
    raw = unquote(parts.path) if parts.scheme == "file" else unquote(href.split("#")[0])
    if raw.startswith("/") and folder is not None:
        # An absolute ``file:`` path names a file of the item's folder, if it is in it.
        absolute = Path(raw).resolve()
        root = folder.resolve()
        raw = absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else ""
    return raw if is_safe_relative(raw) else None


def _sha256(association: dict) -> str | None:
    """The SHA-256 this site's export writes in ``altIds`` (role ``sha256``)."""
    for entry in objects(association, "altIds"):
        value = entry.get("value")
        if entry.get("role") == ninjs_names.SHA256_ROLE and isinstance(value, str):
            value = value.lower()
            if SHA256.fullmatch(value):
                return value
    return None
