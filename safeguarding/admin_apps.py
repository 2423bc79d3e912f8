"""The app config that installs the portal's admin site (kept apart from ``apps.py``: Django
picks an app's default config by module, and ``AdminConfig`` says ``default = True``)."""

from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    """The Django admin with the portal's site: operators only, every change audited (11.1)."""

    default_site = "safeguarding.admin_site.OperatorAdminSite"
