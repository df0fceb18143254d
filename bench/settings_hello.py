"""The product's settings (middleware, templates, database) with the bare hello urlconf.

The baseline of every throughput ratio: the same Django, served the same way, doing
nothing but returning a few bytes. Without the page cache: its middleware asks the
database for the public state on every request, which a bare view does not need (and
the hello response, not ``Cache-Control: public``, would never be stored anyway).
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.hello"
NEWSROOM_PAGE_CACHE = False
