"""Webhooks in the admin: endpoints (with their secret shown once, rotation, a test
ping) and the read-only delivery log (filters, "Redeliver").

Only staff with the models' permissions see them (Django's model permissions; neither
Writers nor Editors have them by default). Everything a receiver or an editor typed
(URL, description, response bodies) is escaped; a response body is shown as text in a
``<pre>``, never as markup.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from newsroom.events.signals import KINDS
from newsroom.webhooks import deliveries
from newsroom.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text=WebhookEndpoint._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        choices=[(kind, kind) for kind in KINDS],
        widget=forms.CheckboxSelectMultiple,
        initial=list(KINDS),
        help_text="The events sent to this endpoint.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["organization", "url", "description", "events", "active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "organization", "event_list", "active", "description", "created_at"]
    list_filter = ["active", "organization"]
    search_fields = ["url", "description", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["signing_secret", "created_at", "updated_at"]
    actions = ["send_test_ping"]

    @admin.display(description="events")
    def event_list(self, endpoint) -> str:
        return ", ".join(endpoint.events or [])

    @admin.display(description="secret")
    def signing_secret(self, endpoint) -> str:
        if not endpoint.pk:
            return "Made when the endpoint is saved, and shown once then."
        return format_html(
            '<code>{}</code> (shown in full only when made) · <a href="{}">Rotate…</a>',
            endpoint.masked_secret,
            reverse("admin:webhooks_webhookendpoint_rotate", args=[endpoint.pk]),
        )

    @admin.action(description="Send test ping", permissions=["change"])
    def send_test_ping(self, request, queryset):
        count = 0
        for endpoint in queryset:
            deliveries.ping(endpoint)
            count += 1
        self.message_user(
            request,
            f"{count} ping{'s' if count != 1 else ''} queued; see the delivery log.",
            messages.SUCCESS,
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.rotate_view)
        return [
            path("<int:pk>/rotate-secret/", view, name="webhooks_webhookendpoint_rotate"),
            *super().get_urls(),
        ]

    def _secret_page(self, request, endpoint, title):
        response = TemplateResponse(
            request,
            "admin/webhooks/webhookendpoint/secret.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "endpoint": endpoint,
                "secret": endpoint.secret,
                "change_url": reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]),
            },
        )
        response["Cache-Control"] = "no-store, private"
        return response

    def response_add(self, request, obj, post_url_continue=None):
        # The secret is shown in this answer, once; never in a message (a cookie).
        return self._secret_page(request, obj, "Endpoint added: copy its secret")

    def rotate_view(self, request, pk):
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        if not self.has_change_permission(request, endpoint):
            raise PermissionDenied
        if request.method == "POST":
            endpoint.rotate_secret()
            self.log_change(request, endpoint, "Rotated the signing secret.")
            return self._secret_page(request, endpoint, "New secret: copy it")
        return TemplateResponse(
            request,
            "admin/webhooks/webhookendpoint/rotate.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Rotate the signing secret?",
                "endpoint": endpoint,
            },
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "kind", "endpoint_shown", "release_link", "status", "attempts",
        "response_status", "next_attempt_at",
    ]  # fmt: skip
    list_filter = ["status", "kind", "endpoint"]
    search_fields = [
        "event_id", "release_slug", "release_headline", "endpoint_url", "organization_name",
    ]  # fmt: skip
    list_select_related = ["endpoint"]
    show_full_result_count = False
    actions = ["redeliver"]
    fields = [
        "endpoint_shown", "organization_name", "event_id", "kind", "release_link", "status",
        "attempts", "created_at", "last_attempt_at", "next_attempt_at", "settled_at",
        "response_status", "response_text", "error", "payload",
    ]  # fmt: skip
    readonly_fields = fields

    # A log: nobody adds, edits or deletes a delivery here; "Redeliver" sends one again.
    # Deleting its endpoint (or organization) keeps it: the link is cleared (SET_NULL).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_redeliver_permission(self, request):
        return request.user.has_perm("webhooks.change_webhookdelivery")

    @admin.display(description="endpoint", ordering="endpoint_url")
    def endpoint_shown(self, delivery) -> str:
        if delivery.endpoint_id is None:
            return format_html("{} <em>(deleted)</em>", delivery.endpoint_url or "—")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:webhooks_webhookendpoint_change", args=[delivery.endpoint_id]),
            delivery.endpoint_url or delivery.endpoint.url,
        )

    @admin.display(description="release", ordering="release_headline")
    def release_link(self, delivery) -> str:
        if delivery.release_pk is None:
            return "—"
        if delivery.release_id is None:
            return format_html(
                "{} <em>(deleted)</em>", delivery.release_headline or delivery.release_slug
            )
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:releases_release_change", args=[delivery.release_id]),
            delivery.release_headline or delivery.release_slug,
        )

    @admin.display(description="response body excerpt")
    def response_text(self, delivery) -> str:
        return (
            format_html("<pre>{}</pre>", delivery.response_excerpt)
            if delivery.response_excerpt
            else "—"
        )

    @admin.display(description="payload (as sent)")
    def payload(self, delivery) -> str:
        try:
            shown = json.dumps(json.loads(delivery.body), indent=2, ensure_ascii=False)
        except ValueError:
            shown = delivery.body
        return format_html("<pre>{}</pre>", shown)

    @admin.action(description="Redeliver", permissions=["redeliver"])
    def redeliver(self, request, queryset):
        count = 0
        for delivery in queryset.exclude(status=DeliveryStatus.PENDING):
            deliveries.redeliver(delivery)
            count += 1
        self.message_user(
            request,
            f"{count} deliver{'ies' if count != 1 else 'y'} queued again"
            " (pending ones are already on their way).",
            messages.SUCCESS,
        )
