from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and action plans"

    def ready(self) -> None:
        from partners.access import ALL_ROLES, MANAGERS
        from partners.models import Role
        from safeguarding.navigation import HomePanel, NavItem, register_home_panel, register_nav

        from .access import ACTION_OWNERS, REVIEW_READERS
        from .home import assurance_panel, my_actions_panel, partnership_overdue_panel

        register_nav(NavItem("Reviews", "reviews:review_list", REVIEW_READERS, order=30,
                             prefixes=("/reviews/", )))
        register_nav(NavItem("My actions", "reviews:my_actions", ACTION_OWNERS, order=31,
                             prefixes=("/reviews/my-actions/", "/reviews/actions/")))
        register_nav(NavItem("Impact log", "reviews:challenge_list", ALL_ROLES, order=32,
                             prefixes=("/reviews/challenges/",)))
        register_home_panel(HomePanel("reviews/panels/my_actions.html", ACTION_OWNERS, my_actions_panel, order=20))
        register_home_panel(HomePanel("reviews/panels/assurance.html", (Role.PCI_MEMBER,), assurance_panel,
                                      order=21))
        register_home_panel(HomePanel("reviews/panels/partnership_overdue.html", MANAGERS,
                                      partnership_overdue_panel, order=22))
