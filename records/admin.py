"""Read-only admin: records, holds, disposals and the event log change only through the
services (which enforce retention, the legal minimum, approvals and the hash chain)."""

from django.contrib import admin

from .models import (
    DisposalRecord,
    DisposalRequest,
    Document,
    EventLogEntry,
    LegalHold,
    RetainedRecord,
    RetentionRule,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Documents are kept as uploaded (the law requires them to be kept)."""

    list_display = ["original_name", "organisation", "document_type", "size", "uploaded_at"]
    list_filter = ["document_type", "organisation"]
    search_fields = ["original_name", "sha256"]


@admin.register(EventLogEntry)
class EventLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "sequence", "at", "action", "record_type", "object_repr"]
    list_filter = ["action", "organisation"]
    search_fields = ["object_repr", "hash"]


@admin.register(RetainedRecord)
class RetainedRecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "record_type", "retained_until", "disposed_at"]
    list_filter = ["record_type", "organisation"]
    search_fields = ["title"]


@admin.register(RetentionRule)
class RetentionRuleAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "subject", "record_type", "document_type", "years"]


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "kind", "placed_at", "released_at"]


@admin.register(DisposalRequest)
class DisposalRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "status", "proposed_at", "decided_at"]


@admin.register(DisposalRecord)
class DisposalRecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "outcome", "sha256", "approved_at"]
