"""The S3 storage of uploaded files (``NEWSROOM_MEDIA_STORAGE=s3``, see newsroom.storage)."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """django-storages' S3 backend whose URLs are this site's ``MEDIA_URL``: a page links
    ``/media/<name>``, which ``releases.views.media`` serves (reading the object with
    signed requests) only to who may see it. A presigned bucket URL would work for
    anyone holding it, embargo or not, until it expires."""

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        return settings.MEDIA_URL + filepath_to_uri(name)
