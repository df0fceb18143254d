"""Create a first superuser only when there is none, and say how to log in."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser if none exists. Credentials come from DJANGO_SUPERUSER_USERNAME "
        "and DJANGO_SUPERUSER_PASSWORD when set; otherwise a password is generated and printed "
        "once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            self.stdout.write(
                f"Log in at /admin/ as “{existing.get_username()}” (superuser already exists; "
                "its password is unchanged)."
            )
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        User.objects.create_superuser(username=username, email=email, password=password)
        if generated:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created superuser “{username}” with password: {password}\n"
                    "This password is shown only once; write it down."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created superuser “{username}” with the password from "
                    "DJANGO_SUPERUSER_PASSWORD."
                )
            )
