"""Settings for the test suite: production settings with a throwaway key and fast hashing."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The test client and the browser tests' live server speak plain HTTP: production's
# redirect to HTTPS would answer every request with a 301. tests/test_settings.py checks
# the production defaults in a process of their own.
SECURE_SSL_REDIRECT = False
# Each run its own folder, removed when it ends: tests that load the demo store its images
# and renditions, and two runs at once (SQLite and PostgreSQL) must not share them.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="test-media-", dir=VAR_DIR))  # noqa: F405
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# whitenoise warns when STATIC_ROOT is missing; tests never collect static files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The whole-response cache (releases/pagecache.py) would answer a test's second request
# from the first's entry: tests of what views render run without it; the cache's own
# tests (tests/test_pagecache.py) and the public-surface journeys turn it on.
NEWSROOM_PAGE_CACHE = False
# Facets of a new version are computed inline, not in a thread the test database cannot serve.
NEWSROOM_FACETS_IN_BACKGROUND = False
# Tasks run at once in the test process, whatever the shell's REDIS_URL (which would
# otherwise name a broker); tests of a real broker or worker set one themselves.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
