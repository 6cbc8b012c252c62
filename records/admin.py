from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are kept as uploaded (the law requires them to be kept)."""

    list_display = ["original_name", "organisation", "document_type", "size", "uploaded_at"]
    list_filter = ["document_type", "organisation"]
    search_fields = ["original_name", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
