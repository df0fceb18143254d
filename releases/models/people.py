"""Who issues releases and who answers for them: organizations, authors, contacts."""

import copy

import phonenumbers
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber

from releases.images import ImageSet, RenditionImageField
from releases.sanitize import clean_rich_text
from releases.slugs import ascii_slug
from releases.uploads import author_photo_path, organization_logo_path


def unique_slug(instance: models.Model, value: str, *, max_length: int = 200) -> str:
    """A slug for ``value`` not yet used by another row of ``instance``'s model, in
    ASCII from any script ("Газпром" → ``gazprom``; ``releases.slugs``)."""
    base = ascii_slug(value, max_length) or "item"
    model = type(instance)
    others = model._default_manager.exclude(pk=instance.pk)
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug


def _published_releases(now=None):
    """``Release.objects.published(now)``, looked up lazily: release.py imports this module."""
    return apps.get_model("releases", "Release").objects.published(now)


class OrganizationQuerySet(models.QuerySet):
    def public(self, now=None) -> "OrganizationQuerySet":
        """Organizations that issued at least one public release; one EXISTS per row.

        An organization named only on drafts or embargoed releases (a merger partner
        before the announcement) does not exist for anonymous users on any surface.
        """
        return self.filter(Exists(_published_releases(now).filter(organizations=OuterRef("pk"))))


class AuthorQuerySet(models.QuerySet):
    def public(self, now=None) -> "AuthorQuerySet":
        """Authors of at least one public release; one EXISTS per row (see above)."""
        return self.filter(Exists(_published_releases(now).filter(author=OuterRef("pk"))))


class Organization(models.Model):
    # Unique among this site's own organizations; one known by a ninjs ``uri`` is
    # that uri, so another agency's "Harbour Board" is another organization.
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        "short name", max_length=30, blank=True, help_text="Acronym, e.g. “WHO”."
    )
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    boilerplate = models.TextField(
        blank=True, help_text="The “About …” paragraph printed under every release it issues."
    )
    website = models.URLField(blank=True)
    location = models.CharField(max_length=200, blank=True, help_text="City, country.")
    logo = RenditionImageField(
        upload_to=organization_logo_path,
        max_length=255,
        blank=True,
        renditions_field="logo_renditions",
    )
    logo_renditions = models.JSONField(default=list, blank=True, editable=False)  # releases.images
    # Who the organisation is in ninjs items (its ``uri``), matched before the name.
    ninjs_uri = models.CharField("ninjs URI", max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ninjs_uri"],
                condition=~models.Q(ninjs_uri=""),
                name="organization_unique_ninjs_uri",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(ninjs_uri=""),
                name="organization_unique_own_name",
                violation_error_message="An organization with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def save(self, *args, **kwargs):
        # Rich text since issue 9, cleaned on every save path as the release body is.
        self.boilerplate = clean_rich_text(self.boilerplate)
        if not self.slug:
            self.slug = unique_slug(self, self.short_name or self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("releases:organization", kwargs={"slug": self.slug})

    @property
    def logo_set(self) -> ImageSet:
        """The logo's renditions (``releases.images.ImageSet``), from the row."""
        return ImageSet(self.logo, self.logo_renditions)


class Author(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    bio = models.TextField(blank=True, help_text="Shown under each of the author’s releases.")
    photo = RenditionImageField(
        upload_to=author_photo_path, max_length=255, blank=True, renditions_field="photo_renditions"
    )
    photo_renditions = models.JSONField(default=list, blank=True, editable=False)  # releases.images
    # Who the person is in ninjs items (its ``uri``), matched before the name.
    ninjs_uri = models.CharField("ninjs URI", max_length=500, blank=True, editable=False)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="authors"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ninjs_uri"],
                condition=~models.Q(ninjs_uri=""),
                name="author_unique_ninjs_uri",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.bio = clean_rich_text(self.bio)  # rich text, as Organization.boilerplate
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("releases:author", kwargs={"slug": self.slug})

    @property
    def photo_set(self) -> ImageSet:
        """The photo's renditions (``releases.images.ImageSet``), from the row."""
        return ImageSet(self.photo, self.photo_renditions)


def format_phone(number: PhoneNumber) -> str:
    """``+44 20 7946 0000``, or ``+44 20 7946 0000 ext. 204`` with an extension: the
    international format, with the extension written the same way for every country
    (phonenumbers writes " x204" for some and " ext. 204" for others). Reads back."""
    if not number.extension:
        return number.as_international
    without = copy.copy(number)
    without.extension = None
    return f"{without.as_international} ext. {number.extension}"


# An extension is dialled once the switchboard answers; private numbering plans use 2 to 7
# digits. phonenumbers reads up to 20 after an explicit "ext." (a parser's tolerance, not a
# size in use), so a longer run is a typing slip, such as two numbers run together.
MAX_EXTENSION_DIGITS = 10


def normalize_phone(number):
    """``number`` with its extension in ASCII digits: ``ext. ٢٠٤`` (Arabic-Indic), ``۲۰۴``
    (Persian), ``२०४`` (Devanagari) or ``２０４`` (full width) all become ``204``.

    RFC 3966 allows only ASCII digits in ``;ext=``; phonenumbers already reads the number
    itself that way but keeps the extension as typed. Anything but a ``PhoneNumber`` with
    an extension comes back unchanged; so does a number whose extension is ASCII."""
    if not isinstance(number, phonenumbers.PhoneNumber) or not number.extension:
        return number
    extension = phonenumbers.normalize_digits_only(number.extension)
    if extension == number.extension:
        return number
    number = copy.copy(number)
    number.extension = extension
    return number


def phone_extension_error(number) -> str:
    """Why ``number``'s extension is refused (longer than ``MAX_EXTENSION_DIGITS``), or ""."""
    if not isinstance(number, phonenumbers.PhoneNumber) or not number.extension:
        return ""
    digits = len(phonenumbers.normalize_digits_only(number.extension))
    if digits <= MAX_EXTENSION_DIGITS:
        return ""
    return (
        f"The extension has {digits} digits; an extension has at most "
        f"{MAX_EXTENSION_DIGITS}. Check for two numbers run together."
    )


class ContactQuerySet(models.QuerySet):
    def public(self, now=None) -> "ContactQuerySet":
        """Contacts a reader can already see: on a public release's page or on a public
        organization's newsroom page (which lists all its contacts); two EXISTS per row.

        A contact named only on drafts or embargoed releases, of an organization with no
        public release, stays unknown: its vCard is 404 like the rest.
        """
        on_release = _published_releases(now).filter(contacts=OuterRef("pk"))
        of_organization = Organization.objects.public(now).filter(pk=OuterRef("organization_id"))
        return self.filter(Exists(on_release) | Exists(of_organization))


class Contact(models.Model):
    """A media contact: the person a journalist calls about a release.

    ``clean()`` refuses an extension longer than ``MAX_EXTENSION_DIGITS``; ``clean()`` and
    ``save()`` write the extension in ASCII digits (``normalize_phone``)."""

    name = models.CharField(max_length=200)
    role = models.CharField("role / title", max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    email = models.EmailField(blank=True)
    phone = PhoneNumberField(
        blank=True,
        help_text=(
            "International format, e.g. +44 20 7946 0000, with an extension if any: "
            "+44 20 7946 0000 ext. 204."
        ),
    )
    notes = models.TextField("private notes", blank=True, help_text="Never shown publicly.")

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "email"], name="contact_unique_name_email"),
        ]

    def __str__(self) -> str:
        if self.organization_id:
            return f"{self.name}, {self.organization.short_name or self.organization.name}"
        return self.name

    def save(self, *args, **kwargs):
        # Also for rows saved without clean() (factories, the shell, importers' updates).
        self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.phone = normalize_phone(self.phone)
        if error := phone_extension_error(self.phone):
            raise ValidationError({"phone": error})

    # The number is stored as RFC 3966 (``tel:+44-20-7946-0000;ext=204``, settings'
    # PHONENUMBER_DB_FORMAT): E.164 alone has no room for the extension.

    @property
    def phone_international(self) -> str:
        """The phone number as people read it: ``+44 20 7946 0000``, with its extension
        written ``+44 20 7946 0000 ext. 204`` in every country (phonenumbers would write
        " x204" for some and " ext. 204" for others)."""
        return format_phone(self.phone) if self.phone else ""

    @property
    def phone_uri(self) -> str:
        """The ``tel:`` URI of the number (RFC 3966): ``tel:+44-20-7946-0000;ext=204``."""
        return self.phone.as_rfc3966 if self.phone else ""

    @property
    def phone_text(self) -> str:
        """The number for machines: E.164, plus RFC 3966's extension parameter when it has
        one (``+442079460000;ext=204``), as exports write it and importers read it. An
        unparsable stored value comes back as it was typed; "" without a number. Does not
        validate the number (``bool(phone)`` would, at some cost)."""
        phone = self.phone
        if not isinstance(phone, PhoneNumber):
            return phone or ""
        if not phone.country_code:
            return phone.raw_input or ""
        return phone.as_e164 + (f";ext={phone.extension}" if phone.extension else "")
