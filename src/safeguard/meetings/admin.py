from django.contrib import admin

from .models import Forum


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area")
    list_filter = ("kind",)
    filter_horizontal = ("member_agencies",)
