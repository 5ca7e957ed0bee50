from django.contrib import admin

from .models import Pack


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    """Read-only: packs are made by the pipeline, never edited by hand."""

    list_display = (
        "pk",
        "kind",
        "target",
        "edition",
        "paper",
        "status",
        "attempts",
        "page_count",
        "built_at",
        "created_at",
    )
    list_filter = ("status", "kind", "edition", "paper")
    search_fields = ("target", "content_hash", "error")
    readonly_fields = [f.name for f in Pack._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
