"""The product's settings (middleware, templates, database) with the bare hello urlconf.

The baseline of every throughput ratio: the same Django, served the same way, doing
nothing but returning a few bytes.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.hello"
