"""The model and form fields of uploaded files that get renditions: uploads checked by
content (``releases.validators``), renditions refreshed when the row is saved."""

from __future__ import annotations

from django import forms
from django.db import models

from releases.images.making import refresh_renditions
from releases.validators import (
    checked_image,
    is_image_attachment,
    validate_attachment_upload,
    validate_image_upload,
    with_extension,
)


class ImageUploadField(forms.FileField):
    """An image upload: checked by content (``releases.validators.inspect_image``) and
    renamed to the extension of its real type."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        facts = checked_image(upload)
        upload.name = with_extension(upload.name, facts.extension)
        upload.content_type = facts.content_type
        return upload


class AttachmentUploadField(forms.FileField):
    """A media-kit file: an image among them is held to the image rules and renamed
    like one; any other file (PDF, document) is taken as it is."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None or not is_image_attachment(upload):
            return upload
        facts = checked_image(upload)
        upload.name = with_extension(upload.name, facts.extension)
        upload.content_type = facts.content_type
        return upload


class RenditionsMixin:
    """A file field whose row records its renditions in ``renditions_field`` (a JSON
    field declared after it, so the value made here is written in the same save)."""

    def __init__(self, *args, renditions_field: str = "", **kwargs):
        self.renditions_field = renditions_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.renditions_field:
            kwargs["renditions_field"] = self.renditions_field
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        fieldfile = super().pre_save(model_instance, add)  # stores a new upload first
        if self.renditions_field:
            refresh_renditions(model_instance, self.attname, self.renditions_field)
        return fieldfile


class RenditionImageField(RenditionsMixin, models.ImageField):
    """The featured image, a logo, a photo: an accepted image, with renditions."""

    default_validators = [validate_image_upload]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})


class AttachmentFileField(RenditionsMixin, models.FileField):
    """A media-kit file; renditions when it is an image."""

    default_validators = [validate_attachment_upload]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AttachmentUploadField, **kwargs})
