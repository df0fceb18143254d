"""WSGI application of the hello baseline: ``gunicorn bench.hello_wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

# Assigned, not setdefault: the benchmark's environment names the product's settings.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_hello"

application = get_wsgi_application()
