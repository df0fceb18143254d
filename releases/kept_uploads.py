"""A file chosen on a form that comes back with errors is kept, not chosen again.

Browsers never refill a file input, so a release form sent back for a missing headline
used to lose its featured image and its attachments. Here a valid upload on a form that
is shown again is stored under ``kept/<random>_<name>`` in the default storage, and the
form carries a signed token for it in a hidden input beside the file input, with
"Kept: <name> (choose another to replace it)". Sent again without a new file, the field
reads the kept file from storage and validates it like an upload; a new file replaces
it, "Clear" drops it.

- The token is signed (``django.core.signing``, salt ``SALT`` plus the model and field it
  was kept for) and expires after ``MAX_AGE`` (a day): a form cannot name any other
  stored file, nor move a file kept for one field into another. A token that does not
  read back (forged, tampered, another field's, expired, its file purged) is an error on
  its field (``LOST_MESSAGE``), never a silent save without the file.
- Kept files are never served: ``releases.views.media`` serves only names a row
  stores. They are deleted once older than ``MAX_AGE`` whenever a file is kept
  (``purge_expired``); a kept file that was used stays until then too.
- Only uploads that passed their own field's validation are kept (a refused image is
  not); nothing is stored when the form is valid (the admin saves and redirects).

Why not a library: django-file-resubmit keeps the bytes in the cache backend (gone on
a restart or another worker, memory-bound for large images) and has had no release for
Django 5; nothing else maintained does this. It is one widget and one form mixin.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import secrets

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.html import format_html

from releases.images import ImageSet

KEPT_FOLDER = "kept"
MAX_AGE = 24 * 60 * 60
SALT = "releases.kept_uploads"
TOKEN_SUFFIX = "__kept"  # noqa: S105 - a field name suffix, not a secret
# The editor cannot tell a forged token from an old one, and need not: either way the
# file must be chosen again.
LOST_MESSAGE = "The file kept from your last attempt has expired; choose it again."
# kept/<24 hex characters>_<the file's own name>
_PREFIX_LENGTH = 24 + 1


class KeptUpload(UploadedFile):
    """A kept file read back from storage, as the form field takes an upload."""

    kept_token: str = ""


def _salt(field: str) -> str:
    return f"{SALT}:{field}" if field else SALT


def keep(upload, storage=None, *, field: str = "") -> str:
    """Store ``upload`` under ``kept/`` and return the signed token naming it, valid only
    for ``field`` (``"<app>.<model>.<field name>"``) in ``read_kept``."""
    storage = storage or default_storage
    token = getattr(upload, "kept_token", "")
    if token:
        return token
    filename = posixpath.basename(upload.name or "file")
    upload.seek(0)
    name = storage.save(f"{KEPT_FOLDER}/{secrets.token_hex(12)}_{filename}", upload)
    upload.seek(0)
    purge_expired(storage)
    return signing.dumps(name, salt=_salt(field))


def kept_name(name: str) -> str:
    """The file's own name in a kept file's stored name."""
    return posixpath.basename(name)[_PREFIX_LENGTH:] or posixpath.basename(name)


def read_kept(token: str, storage=None, *, field: str = "") -> KeptUpload | None:
    """The kept file ``token`` names, or None (bad, expired or another ``field``'s token,
    file gone)."""
    storage = storage or default_storage
    try:
        name = signing.loads(token, salt=_salt(field), max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(name, str) or posixpath.dirname(name) != KEPT_FOLDER:
        return None
    try:
        size = storage.size(name)
        handle = storage.open(name, "rb")
    except OSError:
        return None
    upload = KeptUpload(file=handle, name=kept_name(name), size=size)
    upload.kept_token = token
    return upload


def purge_expired(storage=None, now: dt.datetime | None = None) -> int:
    """Delete kept files older than ``MAX_AGE``; how many were deleted."""
    storage = storage or default_storage
    now = now or timezone.now()
    try:
        _, files = storage.listdir(KEPT_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    deleted = 0
    for filename in files:
        name = f"{KEPT_FOLDER}/{filename}"
        try:
            if (now - storage.get_modified_time(name)).total_seconds() > MAX_AGE:
                storage.delete(name)
                deleted += 1
        except (OSError, NotImplementedError):
            continue
    return deleted


class KeptFileInput(AdminFileWidget):
    """The admin's file input, plus the kept file (hidden token and a note) and, for an
    image field with renditions, a thumbnail of the current image."""

    # Set by ``KeepUploadsMixin.full_clean``: the valid upload to keep if the form is
    # shown again.
    pending = None
    # Set by ``KeepUploadsMixin``: what tokens are signed for ("releases.release.featured_image").
    kept_for = ""
    # Set when the data is read: a token was sent (no new file, "Clear" not ticked) and
    # names no file that can be read back.
    kept_lost = False

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        self.kept_lost = False
        if upload is None and (token := data.get(name + TOKEN_SUFFIX)):
            kept = read_kept(token, field=self.kept_for)
            self.kept_lost = kept is None
            return kept
        return upload

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and (
            name + TOKEN_SUFFIX not in data
        )

    def use_required_attribute(self, initial):
        return super().use_required_attribute(initial) and self.pending is None

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        thumbnail = _thumbnail(value)
        if self.pending is None:
            return format_html("{}{}", thumbnail, html)
        token = keep(self.pending, field=self.kept_for)
        return format_html(
            '{}{}<input type="hidden" name="{}" value="{}">'
            '<p class="kept-upload">Kept: <strong>{}</strong> (choose another to replace it)</p>',
            thumbnail,
            html,
            name + TOKEN_SUFFIX,
            token,
            posixpath.basename(self.pending.name),
        )


def _thumbnail(value) -> str:
    if not isinstance(value, FieldFile) or not value:
        return ""
    renditions_field = getattr(value.field, "renditions_field", "")
    if not renditions_field:
        return ""
    image = ImageSet(value, getattr(value.instance, renditions_field, None) or [])
    if not image:
        return ""
    thumbnail = image.thumbnail
    return format_html(
        '<img class="upload-thumbnail" src="{}" width="{}" height="{}" alt="" loading="lazy">',
        thumbnail.url,
        min(thumbnail.width, 160),
        round(thumbnail.height * min(thumbnail.width, 160) / thumbnail.width),
    )


class KeepUploadsMixin:
    """For a ``ModelForm``: its file inputs become ``KeptFileInput``s and keep a valid
    upload when the form (or another form of the same page) is shown again. A kept-file
    token that no longer reads back is an error on its field (``LOST_MESSAGE``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meta = getattr(self, "_meta", None)
        owner = meta.model._meta.label_lower if meta and meta.model else type(self).__name__
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField) and not isinstance(field.widget, KeptFileInput):
                widget = KeptFileInput(attrs=field.widget.attrs)
                widget.is_required = field.widget.is_required
                field.widget = widget
            if isinstance(field.widget, KeptFileInput):
                field.widget.kept_for = f"{owner}.{name}"

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            if not isinstance(field.widget, KeptFileInput):
                continue
            # Checked even on an extra inline row left otherwise blank: the editor chose
            # a file there and must learn it is gone. Replaces "This field is required.",
            # which would not say why the file chosen earlier is missing.
            if field.widget.kept_lost and self.is_bound:
                self._errors.pop(name, None)
                self.add_error(name, forms.ValidationError(LOST_MESSAGE, code="kept_lost"))
            value = getattr(self, "cleaned_data", {}).get(name)
            valid = isinstance(value, UploadedFile) and name not in self._errors
            field.widget.pending = value if valid else None


class KeepUploadsModelForm(KeepUploadsMixin, forms.ModelForm):
    """The admin form of organizations, authors and attachments."""
