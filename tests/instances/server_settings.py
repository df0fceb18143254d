"""Settings of the gunicorn instances of tests/instances: the product's own
(``newsroom.settings``, from the environment the test gives), with one difference: static
files are not collected (``collectstatic`` of the manifest storage takes ~40 s and static
files play no part in what these tests check), so the plain storage names them."""

from newsroom.settings import *  # noqa: F403

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
