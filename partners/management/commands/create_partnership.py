"""``python manage.py create_partnership --name "…" --manager-email …``: the first run (issue 12.1).

Creates the partnership and its first business manager through ``partners.services.partnership_start``
and emails the manager a link to set a password (with the console email backend the email, and the
link, are printed here). Nothing else is needed: the manager signs in and sets up the rest in the
browser (agencies and people can be uploaded from the templates on their pages).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from partners.services import partnership_start
from safeguarding.errors import DomainError


class Command(BaseCommand):
    help = "Create a partnership and its first business manager, and email them a link to set a password."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The partnership's full name.")
        parser.add_argument("--manager-email", required=True, help="The first business manager's email address.")
        parser.add_argument("--manager-name", default="", help="Their full name (default: guessed from the address).")
        parser.add_argument("--short-name", default="", help="A short name, e.g. 'NSCP' (optional).")
        parser.add_argument("--area", default="", help="The local authority area it covers (optional).")

    def handle(self, *args, **options):
        try:
            # The service commits, then sends the invitation (on commit).
            partnership, manager = partnership_start(
                actor=None, name=options["name"], manager_email=options["manager_email"],
                manager_name=options["manager_name"], short_name=options["short_name"], area=options["area"])
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"Created {partnership.name} (slug {partnership.slug}) with {manager.full_name} <{manager.email}> "
            "as its business manager. They have been emailed a link to set a password."))
