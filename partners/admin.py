from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, AgencyAlias, Partnership, Subgroup, User


class AliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "area")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "agency_type", "membership", "active_from", "active_to")
    list_filter = ("partnership", "agency_type", "membership")
    inlines = [AliasInline]


@admin.register(Subgroup)
class SubgroupAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "cadence", "is_board")


@admin.action(description="Reset two-step sign-in (lost phone)")
def reset_second_factor(modeladmin, request, queryset):
    """The operator's way to reset a second factor, e.g. for a partnership's only administrator
    (issue 11.6); each reset is written to the audit log by the service."""
    from . import services

    for person in queryset:
        services.person_reset_second_factor(actor=request.user, person=person)
    modeladmin.message_user(request, f"Two-step sign-in reset for {queryset.count()} account(s).")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    actions = [reset_second_factor]
    ordering = ("email",)
    list_display = ("email", "full_name", "partnership", "role", "is_active")
    list_filter = ("role", "partnership", "is_active")
    search_fields = ("email", "full_name")
    filter_horizontal = ("agencies", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title", "partnership", "role", "agencies")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
