"""Development: a laptop or the project's machines. Works with nothing configured."""

from .base import *  # noqa: F401,F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
# A fixed key is fine here: local settings never serve real data.
SECRET_KEY = env_str("SECRET_KEY", "") or "local-development-only-not-secret"

WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
