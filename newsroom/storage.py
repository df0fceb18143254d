"""Where uploaded files live: ``MEDIA_ROOT`` by default, or an S3-compatible bucket.

Chosen by ``NEWSROOM_MEDIA_STORAGE`` (``filesystem``, the default, or ``s3``); read by
``media_storage()`` into ``STORAGES["default"]``. Whatever the backend, a file's URL is
``MEDIA_URL`` + its stored name and ``releases.views.media`` serves it after checking
its owner's visibility: the bucket is private (``default_acl="private"``, every
request signed), and no page ever links to it (``newsroom.s3.PrivateS3Storage``). So a draft's
or an embargoed release's files are as unreachable on S3 as on disk. See
docs/deployment.md. Imports no storage backend: the settings read it.
"""

from __future__ import annotations

import os
import re

from django.core.exceptions import ImproperlyConfigured

from newsroom.env import env_base_url, env_int, env_str

KINDS = ("filesystem", "s3")
ADDRESSING_STYLES = ("auto", "path", "virtual")
# S3's bucket naming rules (also MinIO's): 3-63 lowercase letters, digits, dots, hyphens.
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# A file read from the bucket is buffered in memory up to this size, then on disk.
DEFAULT_MAX_MEMORY_BYTES = 2 * 1024 * 1024


def media_storage(*, accel_redirect: str = "") -> dict:
    """``STORAGES["default"]`` from the environment; ImproperlyConfigured names the
    variable that is wrong.

    ``s3`` reads ``AWS_STORAGE_BUCKET_NAME`` (required), ``AWS_S3_ENDPOINT_URL`` (an
    S3-compatible service such as MinIO; AWS itself without it), ``AWS_S3_REGION_NAME``,
    ``AWS_S3_ADDRESSING_STYLE`` (auto, path or virtual), ``AWS_LOCATION`` (a key prefix),
    ``AWS_S3_MAX_MEMORY_SIZE`` (bytes buffered in memory per open file) and the
    credentials ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``, both or neither (then
    boto3's own chain: instance role, ``~/.aws``). ``accel_redirect``
    (``MEDIA_ACCEL_REDIRECT``) only works with files on the web server's disk.
    """
    kind = (env_str("NEWSROOM_MEDIA_STORAGE", "") or "filesystem").strip().lower()
    if kind not in KINDS:
        raise ImproperlyConfigured(
            f"NEWSROOM_MEDIA_STORAGE={kind!r} is not a media storage; "
            f"use one of {', '.join(KINDS)}."
        )
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if accel_redirect:
        raise ImproperlyConfigured(
            "MEDIA_ACCEL_REDIRECT serves files from the web server's disk; it cannot be used "
            "with NEWSROOM_MEDIA_STORAGE=s3. Unset one of them."
        )
    return {"BACKEND": "newsroom.s3.PrivateS3Storage", "OPTIONS": _s3_options()}


def _s3_options() -> dict:
    bucket = (env_str("AWS_STORAGE_BUCKET_NAME", "") or "").strip()
    if not bucket:
        raise ImproperlyConfigured("NEWSROOM_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    if not BUCKET_NAME.match(bucket) or ".." in bucket:
        raise ImproperlyConfigured(
            f"AWS_STORAGE_BUCKET_NAME={bucket!r} is not a bucket name (3-63 lowercase "
            "letters, digits, dots and hyphens)."
        )
    style = (env_str("AWS_S3_ADDRESSING_STYLE", "") or "auto").strip().lower()
    if style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"AWS_S3_ADDRESSING_STYLE={style!r} is not one of {', '.join(ADDRESSING_STYLES)}."
        )
    has_key = bool(os.environ.get("AWS_ACCESS_KEY_ID"))
    if has_key != bool(os.environ.get("AWS_SECRET_ACCESS_KEY")):
        raise ImproperlyConfigured(
            "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (then the "
            "instance role or ~/.aws is used)."
        )
    location = (env_str("AWS_LOCATION", "") or "").strip("/")
    return {
        "bucket_name": bucket,
        "endpoint_url": env_base_url("AWS_S3_ENDPOINT_URL") or None,
        "region_name": (env_str("AWS_S3_REGION_NAME", "") or "").strip() or None,
        "addressing_style": None if style == "auto" else style,
        "location": location,
        # Private objects, every request signed: nothing in the bucket is readable by
        # URL alone. Our pages never hand out bucket URLs anyway (newsroom.s3).
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 60,
        # Uploads get a random folder (releases.uploads); never replace another's file.
        "file_overwrite": False,
        "signature_version": "s3v4",
        "max_memory_size": env_int(
            "AWS_S3_MAX_MEMORY_SIZE", DEFAULT_MAX_MEMORY_BYTES, minimum=1024
        ),
    }
