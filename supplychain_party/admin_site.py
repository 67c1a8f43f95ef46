"""The portal's admin site: Django's, with its titles, and without the navigation
sidebar on every page.

The sidebar lists the 68 models the committee's office may open. Building that list
(two `reverse` and a permission check per model) and rendering it took about a third of
an admin change list at provincial scale (`make bench`), on every page, for a list the
index page already shows. So the sidebar is off (the breadcrumbs lead back to the index
and to each app), and the list is built only when a page shows it: `get_app_list`
returns it lazily, and only the index and app index pages read it.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Supply-chain party building portal")
    site_title = _("Party building admin")
    index_title = _("Committee administration")
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))


class PortalAdminConfig(AdminConfig):
    """Installed in place of `django.contrib.admin`: `admin.site` is a PortalAdminSite."""

    default_site = "supplychain_party.admin_site.PortalAdminSite"
