from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and dashboards"

    def ready(self) -> None:
        from partners.access import ALL_ROLES, READERS
        from safeguarding.navigation import NavItem, register_nav

        try:
            from .dashboards import navigation as dashboards_navigation
        except ImportError:  # the dashboards arrive with their own issue
            dashboards_navigation = None
        if dashboards_navigation is not None and hasattr(dashboards_navigation, "register"):
            dashboards_navigation.register()

        register_nav(NavItem("Annual report", "reports:report_list", ALL_ROLES, order=70,
                             prefixes=("/reports/",)))
        register_nav(NavItem("PCI pack", "reports:pci_list", READERS, order=71, prefixes=("/reports/pci/",)))

