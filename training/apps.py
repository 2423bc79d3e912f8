from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from datasets.linked import register_linked
        from partners.access import ALL_ROLES, READERS
        from partners.models import Role
        from safeguarding.navigation import HomePanel, NavItem, register_home_panel, register_nav

        from .home import awaiting_review_panel, my_returns_panel
        from .linked import dataset_training_counts

        register_linked(dataset_training_counts)

        register_nav(NavItem("Training", "training:index", ALL_ROLES, order=40, prefixes=("/training/",)))
        register_home_panel(HomePanel("training/panels/my_returns.html",
                                      (Role.AGENCY_SUBMITTER, Role.DESIGNATED_PROFESSIONAL), my_returns_panel,
                                      order=40))
        register_home_panel(HomePanel("training/panels/awaiting_review.html", READERS, awaiting_review_panel,
                                      order=41))
