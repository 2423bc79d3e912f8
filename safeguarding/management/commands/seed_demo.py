"""Build the demo partnership, app by app, through the services; print how to sign in.

Each installed app of the portal may have a ``demo`` module with ``seed(demo)``; they run in
INSTALLED_APPS order, each adding to the same ``Demo``. Running the command twice changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the fictional Northbridge partnership with realistic demo data."

    def handle(self, *args, **options):
        from safeguarding.notifications import as_history, settle_history

        demo = None
        # The demo's events are its past: people see the notifications, but no email goes out.
        with as_history():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.name == "safeguarding" or find_spec(module_name) is None:
                    continue
                with transaction.atomic():
                    demo = import_module(module_name).seed(demo)
                self.stdout.write(f"  demo data: {config.name} ready")
        if demo is None:
            return
        settle_history(partnership_id=demo.partnership.pk)
        self.stdout.write(self.style.SUCCESS(f"\n{demo.partnership.name} is ready. Sign in with:\n"))
        width = max(len(role) for role, _, _ in demo.sign_ins)
        for role, email, password in demo.sign_ins:
            self.stdout.write(f"  {role.ljust(width)}  {email:<42} {password}")
        if demo.two_step:
            self.stdout.write("\nThese also need a code from an authenticator app (two-step sign-in). Add the key "
                              "to an app, or print the current code with `python manage.py demo_code <email>`:\n")
            for email, key in demo.two_step:
                self.stdout.write(f"  {email:<42} {key}")
        self.stdout.write("")
