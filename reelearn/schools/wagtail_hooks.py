"""A "Schools" menu item in the Wagtail admin: editors approve or decline new schools."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class SchoolsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_approve_schools(request.user)


@hooks.register("register_admin_urls")
def register_schools_admin_urls():
    urls = [
        path("", admin_views.index, name="index"),
        path("<id:school_id>/", admin_views.detail, name="detail"),
        path("<id:school_id>/decide/", admin_views.decide, name="decide"),
        path(
            "<id:school_id>/members/<id:membership_id>/make-admin/",
            admin_views.member_make_admin,
            name="member-make-admin",
        ),
    ]
    return [path("schools/", include((urls, "schools_admin"), namespace="schools_admin"))]


@hooks.register("register_admin_menu_item")
def register_schools_menu_item():
    return SchoolsMenuItem(
        _("Schools"), reverse("schools_admin:index"), name="schools", icon_name="group", order=900
    )
