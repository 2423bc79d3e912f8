"""Print a fingerprint of what the portal shows on its main pages, for comparing two databases.

Run as a script with DATABASE_URL set: signs in as each demo role with the test client and
prints JSON {role path: sha256 of the page text}, with per-request tokens removed.
"""

import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings.local")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from partners.models import User  # noqa: E402
from safeguarding.navigation import nav_for  # noqa: E402

VOLATILE = re.compile(r'(csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"|nonce-[A-Za-z0-9+/=]+)')


def _pass_code_step(client, user) -> None:
    """Managers, administrators and operators must pass the two-step code (issue 11.6): mark the
    session verified with their enrolled app, as a real sign-in does; the demo enrols them."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.two_factor import requires_second_factor

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if requires_second_factor(user) and device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def main() -> None:
    setup_test_environment()
    out = {}
    for user in User.objects.filter(is_active=True).order_by("email"):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        _pass_code_step(client, user)
        for item in nav_for(user, "/"):
            response = client.get(item["url"])
            body = VOLATILE.sub("", response.content.decode())
            out[f"{user.email} {item['url']}"] = [response.status_code, hashlib.sha256(body.encode()).hexdigest()]
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
