"""Settings for Newsroom, read from environment variables (documented in README.md).

Safe by default: DEBUG is off unless asked for, and without DEBUG a SECRET_KEY
must be given to serve (``newsroom.startup``). Malformed values stop start-up with a
message naming the variable.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

from newsroom.env import (
    env_base_url,
    env_bool,
    env_broker_url,
    env_database,
    env_int,
    env_list,
    env_str,
    env_time_zone,
)
from newsroom.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("NEWSROOM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

# Without DEBUG there is no default key. The settings still load without one, so that
# commands that only read the code (`makemigrations --check`, `showmigrations`) run on a
# build or CI machine; anything that signs (sessions, CSRF, password resets) makes Django
# refuse ("The SECRET_KEY setting must not be empty"), and serving refuses at start-up
# (newsroom/wsgi.py, newsroom/asgi.py: newsroom.startup.require_secret_key).
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "reversion",
    "django_filters",
    "phonenumber_field",
    "rest_framework",
    "drf_spectacular",
    "django_prose_editor",
    "adminsortable2",
    "easy_thumbnails",
    "releases",
    "newsroom.audit",
    "newsroom.sharing",
    "newsroom.operations",
    "newsroom.events",
    "newsroom.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which database a request reads: the replica for anonymous public reads when
    # DATABASE_REPLICA_URL is set, else the primary (newsroom/db_router.py).
    "newsroom.db_router.PublicReadMiddleware",
    # Whole public responses for anonymous readers, keyed by the public state: a hit runs
    # nothing below (releases/pagecache.py). Outside the gzip middleware, so a stored
    # response is compressed once.
    "releases.pagecache.PublicPageCacheMiddleware",
    # Outermost of what touches a body: compresses anonymous public responses only, never
    # one carrying a secret (BREACH; releases/compression.py). WhiteNoise above serves
    # static files precompressed.
    "releases.compression.PublicGZipMiddleware",
    # Before anything reads the request: 400 for text no database can store, 503 while
    # the database is unreachable (releases/middleware.py).
    "releases.middleware.RefuseUnstorableText",
    "releases.middleware.DatabaseUnavailable",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The editor's own time zone, shown beside the site's in the admin (releases/times.py).
    "releases.times.EditorTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "releases.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database lives under var/ (git-ignored); make sure the folder exists.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
# A read replica (newsroom/db_router.py, docs/deployment.md): anonymous public reads go to
# it, the admin, every write and whatever a request reads after writing to the primary.
# Migrations run on the primary only; the test runner treats the replica as its mirror.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["replica"]["CONN_MAX_AGE"] = 0
        DATABASES["replica"]["OPTIONS"] = {"timeout": 20}
    DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
# A replica that fails is left alone this long (seconds) by each process, its public
# reads going to the primary meanwhile (newsroom/db_router.py).
NEWSROOM_REPLICA_RETRY_SECONDS = env_int("NEWSROOM_REPLICA_RETRY_SECONDS", 30, minimum=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Date-times name their time zone wherever Django formats them (the admin above all).
FORMAT_MODULE_PATH = ["newsroom.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files are always served through releases.views.media, which checks their
# owner's visibility. With an nginx internal location for MEDIA_ROOT (docs/deployment.md),
# e.g. "/protected-media/", the view answers with X-Accel-Redirect and nginx sends the bytes.
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT", "") or ""
if MEDIA_ACCEL_REDIRECT and not (
    MEDIA_ACCEL_REDIRECT.startswith("/") and MEDIA_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured(
        f"MEDIA_ACCEL_REDIRECT must be a path that starts and ends with '/', "
        f"e.g. /protected-media/ (got {MEDIA_ACCEL_REDIRECT!r})."
    )
# Uploaded files: MEDIA_ROOT, or a private S3-compatible bucket with
# NEWSROOM_MEDIA_STORAGE=s3 (newsroom/storage.py, docs/deployment.md). Either way they are
# served only through releases.views.media.
STORAGES = {
    "default": media_storage(accel_redirect=MEDIA_ACCEL_REDIRECT),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CACHES = {
    "default": (
        # Redis down or unreachable is a miss, never an error (newsroom/cache.py).
        {"BACKEND": "newsroom.cache.ResilientRedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

PHONENUMBER_DEFAULT_FORMAT = "E164"
# RFC 3966 (tel:+44-20-7946-0000;ext=204): E.164 would drop an extension.
PHONENUMBER_DB_FORMAT = "RFC3966"
PHONENUMBER_DEFAULT_REGION = env_str("PHONENUMBER_DEFAULT_REGION", None) or None

TAGGIT_CASE_INSENSITIVE = True
# Tag fields read ""-escaped quotes ("Say ""hi""" is one tag) and write them back.
TAGGIT_TAGS_FROM_STRING = "releases.tag_strings.parse_tags"
TAGGIT_STRING_FROM_TAGS = "releases.tag_strings.edit_string_for_tags"

# The API (releases.api) is the public surface: anonymous, read-only, JSON only. No
# authentication at all, so a staff session never widens what it shows and no response
# varies on the cookie.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Read-only JSON of the public press releases, organizations and tags.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Organisation-wide identity, used in page titles, feeds and structured data.
NEWSROOM_SITE_NAME = env_str("NEWSROOM_SITE_NAME", "Newsroom")
NEWSROOM_PAGE_SIZE = env_int("NEWSROOM_PAGE_SIZE", 20)
# The whole-response cache of anonymous public pages (releases/pagecache.py): on unless
# NEWSROOM_PAGE_CACHE=0; each process keeps at most this many bytes of it in memory
# (in front of Redis when REDIS_URL is set).
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
NEWSROOM_PAGE_CACHE_BYTES = env_int("NEWSROOM_PAGE_CACHE_BYTES", 64 * 1024 * 1024, minimum=0)
# Right after a change, list facets are recomputed in a thread while readers get the
# previous counts (releases/facets.py); 0 computes them in the request instead.
NEWSROOM_FACETS_IN_BACKGROUND = env_bool("NEWSROOM_FACETS_IN_BACKGROUND", True)
# Uploaded images (releases.validators): the largest file and the most pixels accepted.
# Pixels are checked on the header, before decoding: 40 megapixels decode to ~160 MB.
NEWSROOM_MAX_UPLOAD_BYTES = env_int("NEWSROOM_MAX_UPLOAD_BYTES", 25 * 1024 * 1024, minimum=1)
NEWSROOM_MAX_IMAGE_PIXELS = env_int("NEWSROOM_MAX_IMAGE_PIXELS", 40_000_000, minimum=1)
# The largest plain-text release `import_releases --format text` reads: a release is a
# few KB; a bigger file is not one, and is refused before it is read.
NEWSROOM_MAX_TEXT_IMPORT_BYTES = env_int(
    "NEWSROOM_MAX_TEXT_IMPORT_BYTES", 2 * 1024 * 1024, minimum=1
)
# The logo of structured data and social cards when a release has no image and its
# issuer no logo: a static file path or an absolute URL; a raster image (Google).
NEWSROOM_SITE_LOGO = env_str("NEWSROOM_SITE_LOGO", "img/newsroom-logo.png")
# The public address of the site, for links written outside a request (exports from the
# shell: CSV url column, Atom, ninjs) and for the absolute body URLs of feeds and the API;
# a page's own links use the request's host. Its host counts as this site's when an
# import reads its own media URLs back (releases.body_images.site_relative_media).
NEWSROOM_BASE_URL = env_base_url("NEWSROOM_BASE_URL")

# E-mail: the embargo and review links (newsroom/sharing) are sent with Django's e-mail
# framework. SMTP by these settings; the console (messages printed, none sent) by default
# when DEBUG, so the demo never mails anyone. Tests run on Django's locmem outbox.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "newsroom@localhost")

# Background work (newsroom/celery.py): Celery on Redis. CELERY_BROKER_URL names the
# broker; without it, with REDIS_URL, the next Redis database of the same server (never the
# cache's: a restore clears that one). With neither, tasks run eagerly in the process that
# queues them (the demo, the tests): nothing to start, nothing lost.
CELERY_BROKER_URL = env_broker_url("CELERY_BROKER_URL", env_str("REDIS_URL"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is run again, not dropped
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers a message not acknowledged within visibility_timeout (seconds) to
# another worker; with acks_late that must outlast the longest task and retry countdown
# (an e-mail's backoff is at most an hour, newsroom/events/emails.py), or a task runs
# twice. The outbox merges its own publish options into these (newsroom/events/outbox.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
# Periodic tasks (newsroom/events/tasks.py), run by the one worker started with --beat:
# "release went public" noticed within 15 s; tasks kept while the broker was down resent.
CELERY_BEAT_SCHEDULE = {
    "sweep-went-public": {
        "task": "newsroom.events.sweep_went_public",
        "schedule": 15.0,
        "options": {"expires": 15.0},  # a run the workers could not take in time is dropped
    },
    "flush-outbox": {
        "task": "newsroom.events.flush_outbox",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Webhook deliveries (a slow receiver holds a worker up to 10 s) have their own queue, so
# they never delay e-mails or the went-public sweep on a second worker started with
# `-Q webhooks` (docs/webhooks.md). A worker started without -Q consumes both queues.
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name) for name in ("celery", "webhooks")
]
CELERY_TASK_ROUTES = {"webhooks.*": {"queue": "webhooks"}}

# Webhooks (newsroom/webhooks, docs/webhooks.md) go to HTTPS URLs that resolve to public
# addresses only. For development and tests, this (or DEBUG) also allows http:// to
# localhost/127.0.0.1/[::1] and loopback or private addresses. Never in production.
NEWSROOM_WEBHOOKS_ALLOW_LOCAL = env_bool("NEWSROOM_WEBHOOKS_ALLOW_LOCAL", False)

# HTTPS only unless DEBUG (`check --deploy` finds nothing to warn about). Behind a proxy
# that terminates TLS, set SECURE_PROXY_SSL_HEADER=1 so that its requests count as HTTPS;
# each protection can be turned off where the proxy already does it (docs/deployment.md).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# One year, the minimum the browsers' preload lists accept; 0 turns HSTS off.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO; keep its warnings only.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
