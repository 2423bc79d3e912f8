"""``python manage.py demo_code manager@northbridge.example``: the code the demo person's
authenticator app would show now (issue 11.6), so the first look needs no phone.

Only for the demo's own authenticators (made by ``seed_demo``): a real person's device is
refused, so the command is no way round anyone's second factor.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.email_canonical import email_key
from safeguarding.two_factor import DEMO_DEVICE_NAME, current_code, text_key


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a demo person (seed_demo's accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The demo person's email address.")

    def handle(self, *args, email: str, **options):
        device = TOTPDevice.objects.filter(user__email=email_key(email), name=DEMO_DEVICE_NAME,
                                           confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no demo authenticator (seed_demo makes one for the demo "
                               "business manager, administrator and platform operator only).")
        self.stdout.write(f"{current_code(device)}   (key {text_key(device)}; the code changes every 30 seconds)")
