"""Checks a serving process makes before it takes a request (wsgi.py, asgi.py)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NOT_CONFIGURED = (
    "SECRET_KEY is required when DEBUG is off. Set SECRET_KEY, or DEBUG=1 for local work."
)


def require_secret_key() -> None:
    """Raise ``ImproperlyConfigured`` naming SECRET_KEY when none is set (and no DEBUG).

    The settings load without a key (see newsroom/settings.py); a server must not start
    without one: it would answer every request that signs anything with a 500.
    """
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses an empty key on access
        key = ""
    if not key:
        raise ImproperlyConfigured(NOT_CONFIGURED)
