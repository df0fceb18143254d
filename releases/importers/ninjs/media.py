"""The associations of a ninjs item: which files come in, and how.

- A picture (``type`` ``picture`` or ``graphic``) whose file is reachable becomes the
  featured image (the one named ``featured-image``, else the first); every other
  reachable file becomes an attachment of the media kit, in the item's order.
- Reachable means a local file beside the item: a relative path or a ``file:`` URI
  in a rendition's ``href`` (the ``original`` / ``highres`` one first, then the
  widest) or in the association's ``uri``, inside the folder of the item's file.
  Nothing is downloaded: a file elsewhere (``https:``) is listed in the warnings with
  its URI, as is one that resolves outside that folder.
- This site's own export names its featured image by its ``/media/`` URL: a file
  already in storage is linked again as it is.
- A text association of a composite is its text part (``reading``), not a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

from releases.exports import ninjs as ninjs_names
from releases.importers.ninjs.values import objects, rel, short

PICTURE_TYPES = ("picture", "graphic")
PREFERRED_RENDITIONS = ("original", "highres", "master", "baseimage", "large")


@dataclass
class LocalFile:
    path: Path
    title: str
    description: str
    alt: str = ""
    credit: str = ""


@dataclass
class Media:
    featured: LocalFile | None = None
    stored_featured: dict | None = None  # this site's own /media/ image, as stored
    attachments: list[LocalFile] = field(default_factory=list)
    # This site's own attachments named by their /media/ URL (re-importing an export).
    stored_attachments: list[str] = field(default_factory=list)


def read_media(associations: list[dict], base_dir: Path | None, warn) -> Media:
    """What to do with ``associations``; warns about what cannot come in."""
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
        path = _local_file(association, base_dir)
        if path is None and is_attachment and _stored_name(association):
            media.stored_attachments.append(_stored_name(association))
            continue
        if path is None:
            warn(
                f"{kind} “{label}” not imported: no file beside the item "
                f"(links are not fetched): {uri or 'no uri'}"
            )
            continue
        texts = _descriptions(association)
        title = _title(association) or path.name
        found = LocalFile(
            path=path,
            title=title[:200],
            description=texts.get("caption") or texts.get("text") or texts.get("summary") or "",
            alt=texts.get("alt") or texts.get("alternative") or "",
            credit=str(association.get("by") or "")[:200],
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


def _stored_name(association: dict) -> str:
    """The storage name of this site's own ``/media/`` URL, when that file exists."""
    path = unquote(urlsplit(str(association.get("uri", ""))).path)
    if not path.startswith(settings.MEDIA_URL):
        return ""
    name = path.removeprefix(settings.MEDIA_URL)
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


def _local_file(association: dict, base_dir: Path | None) -> Path | None:
    if base_dir is None:
        return None
    renditions = [r for r in objects(association, "renditions") if isinstance(r.get("href"), str)]

    def rank(rendition: dict) -> tuple:
        name = str(rendition.get("name", "")).lower()
        preferred = PREFERRED_RENDITIONS.index(name) if name in PREFERRED_RENDITIONS else 99
        width = rendition.get("width") if isinstance(rendition.get("width"), int) else 0
        return (preferred, -width)

    hrefs = [r["href"] for r in sorted(renditions, key=rank)]
    hrefs.append(str(association.get("uri", "")))
    folder = base_dir.resolve()
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme not in ("", "file") or (parts.scheme == "" and parts.netloc):
            continue
        raw = unquote(parts.path) if parts.scheme == "file" else unquote(href.split("#")[0])
        if not raw:
            continue
        candidate = (folder / raw).resolve()
        # Only files beside the item: a path that climbs out of its folder is refused.
        if candidate.is_relative_to(folder) and candidate.is_file():
            return candidate
    return None
