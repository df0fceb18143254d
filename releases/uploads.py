"""Where uploaded files are stored: ``<folder>/<random token>/<original name>``.

A file's URL (``MEDIA_URL`` + its name) must not be guessable from what a reader can
know (the file name, the year): the random folder makes every upload's URL unique and
unguessable, and ``releases.views.media`` still checks its owner's visibility on every
request. The original name stays last so downloads keep it. Used by the models as
``upload_to`` (and so by migrations: keep these functions importable by name).
"""

import posixpath
import secrets

# 16 URL-safe characters: 96 random bits, far beyond guessing.
TOKEN_BYTES = 12


def _random_path(folder: str, filename: str) -> str:
    # The storage then makes the name safe (get_valid_name) and unique if needed.
    if restored := _restored_path(folder, filename):
        return restored
    return f"{folder}/{secrets.token_urlsafe(TOKEN_BYTES)}/{posixpath.basename(filename)}"


def _restored_path(folder: str, filename: str) -> str:
    """``filename`` itself when it is a whole name of this folder's form
    (``attachments/<16-character token>/<name>``): an import restoring a file at the
    URL its export gave (a ninjs ``uri`` under ``MEDIA_URL``). The token was random
    when first made; the storage still refuses to overwrite (it adds a suffix). Browser
    uploads never take this path: their names carry no folder."""
    token = len(secrets.token_urlsafe(TOKEN_BYTES))
    parts = filename.split("/")
    if (
        len(parts) == 3
        and parts[0] == folder
        and len(parts[1]) == token
        and all(c.isalnum() or c in "-_" for c in parts[1])
        and parts[2] not in ("", ".", "..")
    ):
        return filename
    return ""


def release_image_path(instance, filename: str) -> str:
    """``releases/<token>/<filename>``: a release's featured image."""
    return _random_path("releases", filename)


def attachment_path(instance, filename: str) -> str:
    """``attachments/<token>/<filename>``: a file of a release's media kit."""
    return _random_path("attachments", filename)


def organization_logo_path(instance, filename: str) -> str:
    """``organizations/<token>/<filename>``: an organization's logo."""
    return _random_path("organizations", filename)


def author_photo_path(instance, filename: str) -> str:
    """``authors/<token>/<filename>``: an author's photo."""
    return _random_path("authors", filename)
