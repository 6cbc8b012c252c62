from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .eventlog import log_history_event
from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    """Memberships are deactivated, never deleted (records keep their author); the members page
    is the place to manage them, and a change made here reaches the event log too."""

    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    filter_horizontal = []
    list_filter = ["is_active", "is_superuser"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            for membership in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
                log_history_event(membership, actor=request.user)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_zh", "name_en", "unified_social_credit_code", "is_active"]
    search_fields = ["slug", "name_zh", "name_en", "unified_social_credit_code"]
    prepopulated_fields = {"slug": ["name_en"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            log_history_event(obj, actor=request.user)
