"""The Celery application: background work on a queue that runs across machines.

Broker: ``CELERY_BROKER_URL`` (Redis). Without a broker every task runs eagerly, in the
process that queued it (the demo and the tests need no worker). Tasks live in each app's
``tasks.py``; settings are Django's ``CELERY_*`` (newsroom/settings.py, docs/operations.md).
Start a worker and the periodic scheduler with ``celery -A newsroom worker --beat``.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
