from django.contrib import admin

from .models import Chamber


@admin.register(Chamber)
class ChamberAdmin(admin.ModelAdmin):
    """Operators mark an organisation as a chamber; everything else happens in the app."""

    list_display = ["organisation", "kind", "created_at"]
    autocomplete_fields = ["organisation"]
