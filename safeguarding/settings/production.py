"""Production: every secret from the environment, HTTPS everywhere, nothing defaulted that matters."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE
from .env import env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
# The placeholder from .env.example (and anything like it) is long enough to pass the length
# check, and public: refuse it (issue 11, point 5).
PLACEHOLDER_SECRET_KEYS = {"change-me-to-at-least-50-random-characters-before-using-in-production"}
if (SECRET_KEY in PLACEHOLDER_SECRET_KEYS or "change-me" in SECRET_KEY.lower() or "changeme" in SECRET_KEY.lower()
        or len(set(SECRET_KEY)) < 20):
    raise ImproperlyConfigured("SECRET_KEY is the placeholder from .env.example (or as predictable): set it to "
                               "50 or more random characters, e.g. from "
                               "python -c 'import secrets; print(secrets.token_urlsafe(50))'.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's host names.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MIDDLEWARE = list(MIDDLEWARE)
