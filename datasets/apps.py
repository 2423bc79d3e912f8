from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "datasets"
    verbose_name = "Quarterly datasets"

    def ready(self) -> None:
        from partners.access import ALL_ROLES, MANAGERS
        from partners.models import Role
        from safeguarding.navigation import HomePanel, NavItem, register_home_panel, register_nav

        from . import home

        register_nav(NavItem("Returns", "datasets:return_list", ALL_ROLES, order=10, prefixes=("/datasets/returns/",)))
        register_nav(NavItem("Quarters", "datasets:quarter_list",
                             (Role.DESIGNATED_PROFESSIONAL, Role.PCI_MEMBER, *MANAGERS), order=11,
                             prefixes=("/datasets/quarters/",)))
        register_nav(NavItem("Indicators", "datasets:indicator_list", ALL_ROLES, order=12,
                             prefixes=("/datasets/indicators/",)))
        register_home_panel(HomePanel("datasets/panels/my_returns.html",
                                      (Role.AGENCY_SUBMITTER, Role.DESIGNATED_PROFESSIONAL), home.my_returns_panel,
                                      order=10))
        register_home_panel(HomePanel("datasets/panels/health_outstanding.html", (Role.DESIGNATED_PROFESSIONAL,),
                                      home.health_outstanding_panel, order=11))
        register_home_panel(HomePanel("datasets/panels/awaiting_review.html", (Role.PCI_MEMBER,),
                                      home.awaiting_review_panel, order=12))
        register_home_panel(HomePanel("datasets/panels/completeness.html", MANAGERS, home.completeness_panel,
                                      order=13))
