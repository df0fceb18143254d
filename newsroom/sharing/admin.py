"""The editors' side of sharing: the share page, the links and their log on the release.

The release change form shows its links through ``ShareLinkInline``, added to the
registered ``ReleaseAdmin`` from here (``releases`` does not know this app): status, views,
a link to each one's log, and the "Share…" button to the share page
(``admin:sharing_sharelink_share``). Links are made and revoked only there, through the
services, which check who may; the model admins are read-only lists.

Admin permissions follow the release's (``services.can_see_links``: staff who may view
releases), so the editorial groups need no new permission rows.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from newsroom.sharing import services
from newsroom.sharing.emails import error_text, queue_link
from newsroom.sharing.forms import NewRecipientFormSet, ShareForm
from newsroom.sharing.models import Kind, LinkView, Recipient, ShareLink
from releases.admin.changelist import GuardedDateHierarchy
from releases.models import Release
from releases.times import local_and_utc, local_time


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You may not do this."


class SeenNotTouched:
    """For the link admins and inlines: visible to staff who may view releases; nothing
    added, changed or deleted through them (links change through the services)."""

    def has_view_permission(self, request, obj=None):
        return services.can_see_links(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyLinkAdmin(SeenNotTouched, admin.ModelAdmin):
    def has_module_permission(self, request):
        return services.can_see_links(request.user)


class LinkViewInline(SeenNotTouched, admin.TabularInline):
    model = LinkView
    fields = ["viewed_at", "what", "user_agent"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "view"
    verbose_name_plural = "Views of this link"


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyLinkAdmin):
    list_display = [
        "shared_with", "kind", "release", "link_status", "stops_at", "view_count", "email",
    ]  # fmt: skip
    list_filter = ["kind", "delivery_status", "created_at"]
    search_fields = [
        "recipient__name",
        "recipient__email",
        "recipient__outlet",
        "release__headline",
    ]
    list_select_related = ["recipient", "release"]
    fields = [
        "release",
        "kind",
        "shared_with",
        "link_status",
        "stops_at",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
        "delivery_status",
        "delivery_error",
        "delivery_at",
    ]
    readonly_fields = fields
    inlines = [LinkViewInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(view_count=Count("views"))

    @admin.display(description="recipient", ordering="recipient_name")
    def shared_with(self, link) -> str:
        """As named when the link was made, with the address: ``Jane Roe of … <j@…>``."""
        return f"{link.shared_with.described} <{link.recipient.email}>"

    @admin.display(description="stops working")
    def stops_at(self, link) -> str:
        return local_and_utc(link.stops_at) if link.stops_at else "—"

    @admin.display(description="status")
    def link_status(self, link) -> str:
        return link.status().label

    @admin.display(description="views", ordering="view_count")
    def view_count(self, link) -> int:
        return link.view_count

    @admin.display(description="e-mail", ordering="delivery_status")
    def email(self, link) -> str:
        """``Failed: <error>`` (share again to re-send), ``Sent``, ``Queued`` or ``—``."""
        if not link.delivery_status:
            return "—"
        label = link.get_delivery_status_display()
        return f"{label}: {link.delivery_error}" if link.delivery_error else label

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "share/<int:release_id>/",
                wrap(self.share_view),
                name="sharing_sharelink_share",
            ),
            path(
                "revoke/<int:link_id>/",
                wrap(require_POST(self.revoke_view)),
                name="sharing_sharelink_revoke",
            ),
            path(
                "revoke-all/<int:release_id>/",
                wrap(require_POST(self.revoke_all_view)),
                name="sharing_sharelink_revoke_all",
            ),
            *super().get_urls(),
        ]

    # -- the share page ----------------------------------------------------------------

    def share_view(self, request, release_id: int):
        """Share ``release`` with recipients; then show each new link once, to copy.

        The answer to a successful POST is the page itself (not a redirect): it is the
        only time the links exist in readable form, so it is sent ``no-store``.
        """
        if not services.can_see_links(request.user):
            raise PermissionDenied
        release = get_object_or_404(Release, pk=release_id)
        kind = services.shareable_kind(release)
        may_share = kind is not None and services.can_manage(request.user, kind)
        default_expiry = (
            f"the link expires when the embargo lifts, {local_time(release.embargoed_until)}"
            if kind == Kind.EMBARGO
            else f"the link expires after {services.REVIEW_LINK_DAYS} days"
        )
        form = ShareForm(request.POST or None, default_expiry=default_expiry)
        recipients = NewRecipientFormSet(request.POST or None, prefix="new")
        issued = []
        if request.method == "POST":
            if not may_share:
                raise PermissionDenied
            if form.is_valid() and recipients.is_valid():
                issued = self._share(request, release, kind, form, recipients)
                if issued:
                    form = ShareForm(default_expiry=default_expiry)
                    recipients = NewRecipientFormSet(prefix="new")
        context = {
            **self.admin_site.each_context(request),
            "opts": Release._meta,
            "title": f"Share “{release.headline}”",
            "release": release,
            "kind": kind,
            "kind_label": Kind(kind).label if kind else "",
            "may_share": may_share,
            "refusal": services.embargo_refusal(release) if kind is None else None,
            "form": form,
            "recipients": recipients,
            "issued": issued,
            "links": self._links(release),
            "may_revoke_all": any(services.can_manage(request.user, k) for k in Kind.values),
        }
        response = TemplateResponse(request, "admin/sharing/share.html", context)
        add_never_cache_headers(response)
        return response

    def _share(self, request, release, kind, form, recipients) -> list[dict]:
        chosen = [*form.cleaned_data["earlier"]]
        chosen += [r for r in (f.recipient() for f in recipients.forms) if r is not None]
        expires_at = form.cleaned_data["expires_at"]
        try:
            if kind == Kind.EMBARGO:
                made = services.share_release(
                    release=release, recipients=chosen, user=request.user, expires_at=expires_at
                )
            elif not chosen:
                raise ValidationError("Name at least one recipient.")
            else:
                made = [
                    services.make_review_link(
                        release=release, recipient=r, user=request.user, expires_at=expires_at
                    )
                    for r in chosen
                ]
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
            return []
        result = []
        for issued in made:
            url = request.build_absolute_uri(issued.path)
            emailed = ""  # or emails.SENT, emails.QUEUED: what the share page says
            if form.cleaned_data["send_email"]:
                try:
                    emailed = queue_link(issued, url=url, sender=request.user)
                except Exception as error:  # noted on the link by the task; any backend's
                    self.message_user(
                        request,
                        f"The e-mail to {issued.link.recipient.email} was not sent "
                        f"({error_text(error)}); copy the link below instead.",
                        messages.WARNING,
                    )
            result.append({"link": issued.link, "url": url, "emailed": emailed})
        self.message_user(
            request,
            f"{len(result)} {Kind(kind).label.lower()}{'s' if len(result) != 1 else ''} made. "
            "Copy them now: they are shown only once.",
            messages.SUCCESS,
        )
        return result

    def _links(self, release):
        return (
            ShareLink.objects.filter(release=release)
            .select_related("recipient")
            .annotate(view_count=Count("views"), last_viewed_at=Max("views__viewed_at"))
        )

    # -- revoking ----------------------------------------------------------------------

    def revoke_view(self, request, link_id: int):
        link = get_object_or_404(
            ShareLink.objects.select_related("recipient", "release"), pk=link_id
        )
        services.revoke(link=link, user=request.user)  # PermissionDenied: 403
        self.message_user(
            request, f"Revoked the link of {link.shared_with.described}.", messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse("admin:sharing_sharelink_share", args=[link.release_id])
        )

    def revoke_all_view(self, request, release_id: int):
        release = get_object_or_404(Release, pk=release_id)
        revoked = services.revoke_all(release=release, user=request.user)
        self.message_user(
            request,
            f"Revoked {len(revoked)} link{'s' if len(revoked) != 1 else ''}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:sharing_sharelink_share", args=[release.pk]))


@admin.register(LinkView)
class LinkViewAdmin(GuardedDateHierarchy, ReadOnlyLinkAdmin):
    list_display = ["viewed_at", "what", "recipient", "release", "user_agent"]
    list_filter = ["viewed_at", "link__kind"]
    list_select_related = ["link__recipient", "link__release"]
    search_fields = ["link__recipient__name", "link__recipient__email", "what"]
    date_hierarchy = "viewed_at"

    @admin.display(ordering="link__recipient__name")
    def recipient(self, view) -> str:
        return view.link.shared_with.described

    @admin.display(ordering="link__release__headline")
    def release(self, view) -> str:
        return view.link.release.headline


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    """Journalists and reviewers: editors keep the list; staff who see releases read it."""

    list_display = ["name", "email", "outlet", "created_at"]
    search_fields = ["name", "email", "outlet"]

    def has_module_permission(self, request):
        return services.can_see_links(request.user)

    def has_view_permission(self, request, obj=None):
        return services.can_see_links(request.user)

    def has_add_permission(self, request):
        return services.can_share_embargo(request.user)

    def has_change_permission(self, request, obj=None):
        return services.can_share_embargo(request.user)

    def has_delete_permission(self, request, obj=None):
        return services.can_share_embargo(request.user)


# -- on the release's change form ---------------------------------------------------------


class ListedOnlyFormSet(BaseInlineFormSet):
    """The links, listed; never bound to what is posted. The release form stays valid
    when posted without this formset (a script, a test, a form opened before this app
    was installed): nothing of it is read or saved."""

    def is_valid(self):
        return True

    def save(self, commit=True):
        # What ModelAdmin.construct_change_message reads after saving.
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        return []


class ShareLinkInline(SeenNotTouched, admin.TabularInline):
    model = ShareLink
    formset = ListedOnlyFormSet
    template = "admin/sharing/links_inline.html"
    fields = ["recipient"]
    extra = 0
    can_delete = False
    verbose_name_plural = "Embargo and review links"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("recipient")
            .annotate(view_count=Count("views"), last_viewed_at=Max("views__viewed_at"))
        )


def add_links_to_release_admin(site=admin.site) -> None:
    """Show ``ShareLinkInline`` on the registered release admin (once)."""
    release_admin = site._registry.get(Release)
    if release_admin is not None and ShareLinkInline not in release_admin.inlines:
        release_admin.inlines = [*release_admin.inlines, ShareLinkInline]


add_links_to_release_admin()
