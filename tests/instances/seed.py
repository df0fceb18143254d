"""Run by tests/instances/test_two_instances.py before the servers start:
``python -m tests.instances.seed`` on the database of ``DATABASE_URL`` (migrated).

Makes a superuser (``STAFF``/``PASSWORD``) and the releases the test changes, each ready
to publish (an issuing organization and a media contact, so no pre-publish problem asks
for confirmation), each with a tag of its own, and prints
``{name: [pk, slug, headline, tag]}`` as JSON."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.instances.server_settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from tests.factories import ready_release  # noqa: E402

STAFF = "coherence"
PASSWORD = "coherence-not-a-secret"

HEADLINES = {
    # Published from the start: edited, withdrawn, deleted by the test.
    "edited": ("Quarterly results beat every forecast", "Earnings", {}),
    "withdrawn": ("Harbour ferry timetable for the winter", "Ferries", {}),
    "deleted": ("Museum extends its opening hours", "Museums", {}),
    # Drafts: published now, or scheduled, by the test.
    "published": ("Wind farm consortium names its first site", "Wind power", {"draft": True}),
    "scheduled": ("Observatory opens its doors at midnight", "Astronomy", {"draft": True}),
}


def main() -> None:
    get_user_model().objects.create_superuser(STAFF, f"{STAFF}@example.org", PASSWORD)
    made = {}
    for name, (headline, tag, traits) in HEADLINES.items():
        release = ready_release(headline=headline, tags=[tag], **traits)
        made[name] = [release.pk, release.slug, headline, tag]
    print(json.dumps(made))


if __name__ == "__main__":
    main()
