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


def main() -> None:
    setup_test_environment()
    out = {}
    for user in User.objects.filter(is_active=True).order_by("email"):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for item in nav_for(user, "/"):
            response = client.get(item["url"])
            body = VOLATILE.sub("", response.content.decode())
            out[f"{user.email} {item['url']}"] = [response.status_code, hashlib.sha256(body.encode()).hexdigest()]
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
