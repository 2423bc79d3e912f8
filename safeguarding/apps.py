from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Portal (shared)"

    def ready(self) -> None:
        from .navigation import HomePanel, register_home_panel
        from .notifications import home_panel

        # Everyone's notifications, first on the home page (issue 16.3).
        register_home_panel(HomePanel("notifications/panel.html", None, home_panel, order=5))
