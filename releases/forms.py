"""Forms of the editors' admin: the release form and the pages of the lifecycle actions.

The release form knows who is editing (``ReleaseAdmin.get_form`` sets ``user``) so it
can refuse, with a message on the field, what only an editor may do. It never changes
the lifecycle itself: it reports the change asked for (``lifecycle_change``) and the
admin applies it through ``releases.services`` after saving, so publishing has one
code path whatever the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.db import models
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

from releases.body_images import own_image_files
from releases.image_use import IMAGE_IN_BODY, images_used_in, stored_image_urls
from releases.kept_uploads import KeepUploadsMixin
from releases.models import Release, Status
from releases.revisions.concurrency import EditVersionFormMixin
from releases.richtext import RemovedImage, length_note, remove_foreign_images
from releases.sanitize import clean_rich_text
from releases.services import can_publish
from releases.times import TimeZoneField, as_wall_time, read_in_zone, zone_note

# What a writer may set the status to; the rest needs ``releases.publish_release``.
WRITER_STATUSES = (Status.DRAFT, Status.REVIEW)
PUBLISHER_ONLY_FIELDS = ("published_at", "embargoed_until", "withdrawal_reason")
# Entered as wall times in the form's "Time zone" (releases.times.read_in_zone).
ZONED_FIELDS = ("published_at", "embargoed_until")


# What the editor offers: the body of a press release as PRODUCT.md describes it.
# Headings start at h2 (the page's h1 is the headline). Whatever it makes is still
# cleaned on save by releases.sanitize (the single allow-list), never by this list.
RICH_TEXT_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    # Not in the toolbar's promise, but in the sanitizer's allow-list: without them an
    # imported body (chemical formulas, footnote marks, code) would lose them on its
    # first edit.
    "Strike": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Code": True,
    "CodeBlock": True,
    "HorizontalRule": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # static/admin/prose-paste.js: Word, Google Docs and plain text pasted with structure.
    "NewsroomPaste": True,
}


class RichTextWidget(AdminProseEditorWidget):
    """django-prose-editor's editor over a plain ``<textarea>`` (what is sent without
    JavaScript), with the newsroom's paste rules.

    ``images``: the images the body may show, ``[{"src", "alt", "title"}]`` (see
    ``body_images``), offered by a toolbar button (``prose-images.js``), which shows
    ``images_note`` when there are none; ``None`` for fields without images.
    ``count_words``: a "412 words · about 2 min read" line under the field, computed
    here from the value and kept current by ``prose-count.js``.
    """

    def __init__(self, attrs=None, *, images=None, images_note="", count_words=False):
        super().__init__(
            attrs={"rows": 12, **(attrs or {})},
            config={"extensions": RICH_TEXT_EXTENSIONS},
            preset="configurable",
        )
        self.images = images
        self.images_note = images_note
        self.count_words = count_words

    def get_config(self):
        config = super().get_config()
        modules = ["admin/prose-paste.js", "admin/prose-label.js", "admin/prose-language.js"]
        extensions = {**config["extensions"], "NewsroomLabel": True, "NewsroomLanguage": True}
        if self.images is not None:
            modules.append("admin/prose-images.js")
            extensions["Image"] = True
            extensions["NewsroomImages"] = {"images": self.images, "note": self.images_note}
        if self.count_words:
            modules.append("admin/prose-count.js")
            extensions["NewsroomWordCount"] = True
        # configurable.js imports these modules and looks the extensions up by name.
        config["extensions"] = extensions
        config["js_modules"] = [*config["js_modules"], *map(static, modules)]
        return config

    @property
    def media(self):
        return super().media + Media(css={"all": ["admin/prose-editor.css"]})

    def render(self, name, value, attrs=None, renderer=None):
        editor = super().render(name, value, attrs, renderer)
        if not self.count_words:
            return editor
        return format_html(
            '{}<p class="prose-count help" data-prose-count-for="{}" aria-live="polite">{}</p>',
            editor,
            (attrs or {}).get("id", ""),
            length_note(value or ""),
        )


def body_images(release: Release) -> list[dict]:
    """The images a release's body may show (``releases.body_images.own_image_files``),
    ``[{"src": url, "alt": str, "title": str, "urls": set of str}]``, ``urls`` being
    every URL the body may name it by (``stored_image_urls``). ``[]`` before the first
    save (uploads are stored with the release). One query for the attachments."""
    if release.pk is None:
        return []
    images = []
    for owner, fieldfile, records in own_image_files(release):
        if owner is release:
            alt, title = release.featured_image_alt, f"Featured image: {release.featured_image_alt}"
        else:
            alt = title = owner.title
        images.append(
            {
                "src": fieldfile.url,
                "alt": alt,
                "title": title,
                "urls": stored_image_urls(fieldfile, records),
            }
        )
    return images


@dataclass(frozen=True)
class LifecycleChange:
    """A status change asked for through the form, to be applied by a service."""

    status: str
    published_at: datetime | None = None
    reason: str = ""


def formfield(db_field, **kwargs):
    """Model fields to form fields, with URLs assumed https when typed without a scheme."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ReleaseAdminForm(KeepUploadsMixin, EditVersionFormMixin, forms.ModelForm):
    # KeepUploadsMixin: a valid image survives a form sent back with errors.
    # EditVersionFormMixin: a save is refused when someone saved since the form was opened.
    # Set per request by ``ReleaseAdmin.get_form``; ``None`` means nobody: no publishing.
    user = None
    time_zone = TimeZoneField()

    class Media:
        js = ["js/unsaved_changes.js"]

    class Meta:
        model = Release
        # Organizations and contacts are ordered links, edited through the inlines.
        fields = [
            "status",
            "published_at",
            "embargoed_until",
            "withdrawal_reason",
            "headline",
            "subheadline",
            "slug",
            "dateline",
            "summary",
            "body",
            "author",
            "tags",
            "featured_image",
            "featured_image_alt",
            "featured_image_caption",
            "featured_image_credit",
            "language",
            "source_url",
        ]
        formfield_callback = formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            self.body_images = body_images(self.instance)
            self.fields["body"].widget = RichTextWidget(
                images=[
                    {key: image[key] for key in ("src", "alt", "title")}
                    for image in self.body_images
                ],
                images_note=(
                    "No images yet: upload a featured image or an image attachment "
                    "below, save, and it can be placed here."
                    if self.instance.pk
                    else "Images can be added after the first save: upload a featured "
                    "image or image attachments below, save, then place them here."
                ),
                count_words=True,
            )
        # The instance as stored, before the submitted data is written onto it.
        self.original_featured_urls = stored_image_urls(
            self.instance.featured_image, self.instance.featured_image_renditions
        )
        self.removed_images: list[RemovedImage] = []
        self.original_status = self.instance.status
        self.original_published_at = self.instance.published_at
        self.original_embargoed_until = self.instance.embargoed_until
        self.original_withdrawal_reason = self.instance.withdrawal_reason
        self.original_withdrawn_at = self.instance.withdrawn_at
        if "status" in self.fields and not self.user_can_publish:
            allowed = {*WRITER_STATUSES, self.original_status}
            self.fields["status"].choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]
        if "status" in self.fields and self.original_status != Status.WITHDRAWN:
            # Withdrawing asks for the reason first, on its own page (the "Withdraw…"
            # button of the change form, releases.admin.review), never by a select.
            self.fields["status"].choices = [
                (value, label)
                for value, label in self.fields["status"].choices
                if value != Status.WITHDRAWN
            ]
        for name in ("headline", "subheadline", "tags", "source_url"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "vTextField vLargeTextField"
        # The split date/time inputs read and show times in the current time zone;
        # Django's admin says so only through JavaScript, so the help text names it.
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = (
                "Empty when publishing = now. In the future = scheduled: "
                f"it goes live by itself at that time. {zone_note()}"
            )
        if "embargoed_until" in self.fields:
            self.fields["embargoed_until"].help_text = (
                "Not public until then (staff can preview it); it goes public at the "
                f"later of this and the publication time. {zone_note()}"
            )
        for name in ZONED_FIELDS:
            if name in self.fields:
                as_wall_time(self.fields[name])

    @property
    def user_can_publish(self) -> bool:
        return can_publish(self.user)

    def clean_body(self):
        """Plain text given structure, HTML sanitized (``clean_rich_text``); then only
        images picked from the release's own uploads stay (``remove_foreign_images``):
        an address typed or pasted in is dropped, and listed in ``removed_images``
        (``body_warnings`` tells the editor)."""
        body = clean_rich_text(self.cleaned_data.get("body", ""))
        own_urls = {url for image in self.body_images for url in image["urls"]}
        body, self.removed_images = remove_foreign_images(body, own_urls)
        return body

    def body_warnings(self) -> list[str]:
        """What the saved body lost, for the editor (``ReleaseAdmin.save_model``)."""
        if not self.removed_images:
            return []
        return [
            "Removed from the body: "
            + ", ".join(str(image) for image in self.removed_images)
            + ". The body shows only this release's own uploads: upload the file as the "
            "featured image or an attachment, save, then place it with the editor's image "
            "button."
        ]

    def clean(self):
        cleaned = super().clean()
        read_in_zone(self, ZONED_FIELDS)
        if self.user_can_publish:
            self._clean_publisher_change(cleaned)
        else:
            self._clean_writer_change(cleaned)
        self._clean_featured_image_in_body(cleaned)
        return cleaned

    def _clean_featured_image_in_body(self, cleaned):
        """Refuse clearing or replacing the featured image while the body shows it
        (``IMAGE_IN_BODY``)."""
        if "featured_image" not in self.changed_data or "featured_image" in self.errors:
            return
        body = cleaned.get("body", "") if "body" in self.fields else self.instance.body
        if images_used_in(body, self.original_featured_urls):
            self.add_error(
                "featured_image", forms.ValidationError(IMAGE_IN_BODY, code="image_in_body")
            )

    def _clean_writer_change(self, cleaned):
        if self.original_status in (Status.PUBLISHED, Status.WITHDRAWN):
            raise forms.ValidationError(
                "This release is published or withdrawn; only an editor can change it.",
                code="publisher_only",
            )
        if cleaned.get("status") in (Status.PUBLISHED, Status.WITHDRAWN):
            self.add_error(
                "status",
                forms.ValidationError(
                    "Only an editor can publish or withdraw a release. "
                    "Submit it for review instead.",
                    code="publisher_only",
                ),
            )
        originals = {
            "published_at": self.original_published_at,
            "embargoed_until": self.original_embargoed_until,
            "withdrawal_reason": self.original_withdrawal_reason,
        }
        for name in PUBLISHER_ONLY_FIELDS:
            if name in cleaned and cleaned[name] != originals[name]:
                self.add_error(
                    name,
                    forms.ValidationError(
                        "Only an editor can set the publication time, the embargo "
                        "or the withdrawal.",
                        code="publisher_only",
                    ),
                )

    def _clean_publisher_change(self, cleaned):
        status = cleaned.get("status", self.original_status)
        # Withdrawing is a move from published; a withdrawn release saved as it is (a
        # correction added, a typo in its notes) stays withdrawn.
        if status == Status.WITHDRAWN and self.original_status not in (
            Status.PUBLISHED,
            Status.WITHDRAWN,
        ):
            self.add_error(
                "status",
                forms.ValidationError(
                    "Only a published release can be withdrawn.", code="invalid_transition"
                ),
            )
        if status == Status.PUBLISHED and self.original_status == Status.WITHDRAWN:
            self.add_error(
                "status",
                forms.ValidationError(
                    "A withdrawn release cannot be published again; duplicate it.",
                    code="invalid_transition",
                ),
            )
        # Publishing without a time means “now”; filled in here so the model's own
        # rule (a published release has a time) holds when the form validates it.
        if (
            status == Status.PUBLISHED
            and "published_at" in self.fields
            and not cleaned.get("published_at")
            and "published_at" not in self.errors
        ):
            cleaned["published_at"] = timezone.now()
        # Likewise a withdrawn release has a withdrawal time; release_withdraw sets
        # the real one after the save.
        if status == Status.WITHDRAWN and not self.instance.withdrawn_at:
            self.instance.withdrawn_at = timezone.now()

    def lifecycle_change(self) -> LifecycleChange | None:
        """The status change this valid form asks for, or ``None``.

        Rescheduling a published release (a new publication time) counts as
        publishing again at that time.
        """
        status = self.cleaned_data.get("status", self.original_status)
        published_at = self.cleaned_data.get("published_at", self.original_published_at)
        if status == Status.PUBLISHED:
            if self.original_status != Status.PUBLISHED or (
                published_at != self.original_published_at
            ):
                return LifecycleChange(status, published_at=published_at)
            return None
        if status == self.original_status:
            return None
        return LifecycleChange(status, reason=self.cleaned_data.get("withdrawal_reason", ""))

    def keep_stored_lifecycle(self, release: Release) -> None:
        """Put back the stored status fields; the service sets them after the save."""
        release.status = self.original_status
        release.published_at = self.original_published_at
        release.withdrawal_reason = self.original_withdrawal_reason
        release.withdrawn_at = self.original_withdrawn_at


class PrepublishForm(forms.Form):
    """Base of the forms that publish. ``problems`` (``releases.checks.Problem``s, listed
    on the page) make the ``publish_anyway`` confirmation required; without problems the
    field is not there."""

    publish_anyway = forms.BooleanField(
        label="Publish anyway",
        required=False,
        help_text="Publish although the pre-publish checks listed above found problems.",
    )

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        if not self.problems:
            del self.fields["publish_anyway"]

    def clean(self):
        cleaned = super().clean()
        if self.problems and not cleaned.get("publish_anyway"):
            self.add_error(
                "publish_anyway",
                forms.ValidationError(
                    "Fix the problems listed above, or tick “Publish anyway”.",
                    code="prepublish_problems",
                ),
            )
        return cleaned


class ScheduleForm(PrepublishForm):
    published_at = forms.DateTimeField(
        label="Publication time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    time_zone = TimeZoneField()
    field_order = ["published_at", "time_zone", "publish_anyway"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_at"].help_text = (
            "The selected releases go live by themselves at this time, or when their "
            f"embargo lifts if that is later. {zone_note()} Or pick another time zone below."
        )
        as_wall_time(self.fields["published_at"])

    def clean(self):
        read_in_zone(self, ("published_at",))
        published_at = self.cleaned_data.get("published_at")
        if published_at and published_at <= timezone.now():
            self.add_error(
                "published_at",
                forms.ValidationError(
                    "Pick a time in the future to schedule a release.", code="past"
                ),
            )
        return super().clean()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Optional. Kept with the release for the record.",
    )
