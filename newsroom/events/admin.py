"""The event log and the outbox, read-only: what was told, what waits for the broker."""

from __future__ import annotations

from django.contrib import admin

from newsroom.events.models import OutboxTask, ReleaseEvent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReleaseEvent)
class ReleaseEventAdmin(ReadOnly):
    list_display = ["occurred_at", "kind", "release_id", "headline", "event_id"]
    list_filter = ["kind", "baseline"]
    search_fields = ["headline", "event_id", "=release_id"]
    fields = [
        "event_id", "kind", "release_id", "headline", "public_since", "spell", "baseline",
        "occurred_at", "recorded_at",
    ]  # fmt: skip
    readonly_fields = fields


@admin.register(OutboxTask)
class OutboxTaskAdmin(ReadOnly):
    list_display = ["created_at", "task_name", "sent_at", "attempts", "last_error"]
    list_filter = ["task_name", ("sent_at", admin.EmptyFieldListFilter)]
    fields = ["task_id", "task_name", "created_at", "sent_at", "attempts", "last_error"]
    readonly_fields = fields
