import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings.production")

application = get_wsgi_application()

# Every view loaded, and the loaded portal kept out of the garbage collector's full collections
# (safeguarding/worker.py says why).
from safeguarding.worker import settle  # noqa: E402

settle()
