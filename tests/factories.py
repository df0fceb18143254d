"""factory_boy factories for the release models. Times are explicit, never implied."""

import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image

from releases.models import (
    Author,
    Contact,
    Organization,
    Release,
    ReleaseContact,
    ReleaseOrganization,
    Status,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create:
            return
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


def writer(**kwargs):
    """A staff user in the Writers group (created by migration 0002)."""
    return UserFactory(is_staff=True, groups=["Writers"], **kwargs)


def editor(**kwargs):
    """A staff user in the Editors group (created by migration 0002)."""
    return UserFactory(is_staff=True, groups=["Editors"], **kwargs)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Example Institute {n}")
    short_name = factory.Sequence(lambda n: f"EI{n}")
    boilerplate = factory.LazyAttribute(
        lambda o: f"{o.name} is an independent body that studies examples."
    )
    website = "https://example.org/"
    location = "London, United Kingdom"


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Alex Writer {n}")
    bio = "Alex writes about examples."


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Jane Roe {n}")
    role = "Press officer"
    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"press{n}@example.org")
    phone = "+442079460000"


class ReleaseFactory(factory.django.DjangoModelFactory):
    """A public release by default (published an hour ago, no embargo)."""

    class Meta:
        model = Release
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Example findings number {n} announced")
    subheadline = "A dek that says more"
    dateline = "London"
    summary = "The lede of the release."
    body = "<p>First paragraph.</p><p>Second paragraph.</p>"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    author = factory.SubFactory(AuthorFactory)

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)
        in_review = factory.Trait(status=Status.REVIEW, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )
        embargoed = factory.Trait(
            embargoed_until=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )
        withdrawn = factory.Trait(
            status=Status.WITHDRAWN,
            withdrawn_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if not create:
            return
        for position, organization in enumerate(extracted or []):
            ReleaseOrganization.objects.create(
                release=self, organization=organization, position=position
            )

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if not create:
            return
        for position, contact in enumerate(extracted or []):
            ReleaseContact.objects.create(release=self, contact=contact, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


def ready_release(**kwargs):
    """A release that passes the pre-publish checks (``releases.checks``): the factory's
    text plus an issuing organization and a media contact."""
    kwargs.setdefault("organizations", [OrganizationFactory()])
    kwargs.setdefault("contacts", [ContactFactory()])
    return ReleaseFactory(**kwargs)


def image_bytes(size=(2000, 1000), format="JPEG", color=(180, 40, 40), **options) -> bytes:
    """A real image of ``size`` (width, height) in ``format``, one ``color``; RGBA for PNG
    and WebP. ``options`` go to Pillow's ``save``."""
    buffer = io.BytesIO()
    mode = "RGBA" if format in ("PNG", "WEBP") else "RGB"
    Image.new(mode, size, color).save(buffer, format=format, **options)
    return buffer.getvalue()
