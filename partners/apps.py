from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and people"

    def ready(self) -> None:
        from safeguarding.navigation import HomePanel, NavItem, register_home_panel, register_nav

        from .access import ALL_ROLES, MANAGERS, READERS
        from .home import partnership_panel, setup_panel

        register_nav(NavItem("Home", "home", ALL_ROLES, order=0))
        register_nav(NavItem("Agencies", "partners:agency_list", ALL_ROLES, order=80,
                             prefixes=("/agencies/",)))
        register_nav(NavItem("Subgroups", "partners:subgroup_list", ALL_ROLES, order=81,
                             prefixes=("/subgroups/",)))
        register_nav(NavItem("People", "partners:people_list", MANAGERS, order=90, prefixes=("/people/",)))
        register_nav(NavItem("Governance", "partners:governance", READERS, order=85, prefixes=("/governance/",)))
        register_nav(NavItem("Audit log", "audit_log", MANAGERS, order=95, prefixes=("/audit/",)))
        register_home_panel(HomePanel("partners/panels/partnership.html", ALL_ROLES, partnership_panel, order=90))
        register_home_panel(HomePanel("partners/panels/setup.html", MANAGERS, setup_panel, order=1))
