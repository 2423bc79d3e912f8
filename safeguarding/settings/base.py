"""Settings shared by every environment. Everything that differs comes from the environment."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The Django admin, for platform operators only, audited (safeguarding/admin_site.py).
    "safeguarding.admin_apps.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    # Two-step sign-in (issue 11.6): TOTP apps and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "safeguarding",
    "partners",
    "datasets",
    "reviews",
    "training",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An oversized body is refused from its Content-Length, before CSRF reads it (issue 11.3).
    "safeguarding.upload_limits.RequestSizeLimitMiddleware",
    # After sessions and auth (its 400 page shows the menu), before every view and form.
    "safeguarding.middleware.RefuseControlCharactersMiddleware",
    "safeguarding.middleware.NoStoreMiddleware",
    # Which second factor verified this session, then: managers, administrators and platform
    # operators reach nothing but the code step until it has (safeguarding/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "safeguarding.two_factor.SecondFactorMiddleware",
    # A signed-in person with no partnership gets the page that says so (issue 12.1).
    "partners.middleware.PartnershipRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it reads the outcome of authentication further up.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeguarding.urls"
WSGI_APPLICATION = "safeguarding.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "safeguarding.context_processors.portal",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL (postgres://...) in every real environment; unset, an SQLite file for a first look.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Fail fast when PostgreSQL is down or restarting: a clean error page in seconds beats a
    # request hanging until gunicorn kills the worker. Queries are capped for the same reason.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 5),
        "options": f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 30000)}",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and signing in --------------------------------------------------------------------
AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Idle expiry: every request pushes the expiry forward, so only inactivity signs a person out.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "safeguarding.views.errors.csrf_failure"

# django-axes: lock an email (whatever the address it is tried from) after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Locking by account and not by address is deliberate: partner agencies sit behind shared NAT
# addresses, and one person's typos must not lock a whole hospital out. axes.W006 says the
# opposite trade-off; it is silenced here on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "safeguarding.auth.axes_username"

# Emails people make the portal send, throttled in one place (safeguarding/email_throttle.py):
# password-link emails (resets and invitations together) per address, resets per client,
# invitations per sender, immediate notifications per address, all in the one window.
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_CLIENT = env_int("PASSWORD_RESET_PER_CLIENT", 20)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)
INVITATIONS_PER_SENDER = env_int("INVITATIONS_PER_SENDER", 200)
NOTIFICATION_EMAILS_PER_ADDRESS = env_int("NOTIFICATION_EMAILS_PER_ADDRESS", 20)

# Two-step sign-in: the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Safeguarding portal")

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence and built PDFs live outside the web root and leave only through
# access-checked views: there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10) * 1024 * 1024

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = 5

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Safeguarding partnership portal <portal@localhost>")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# --- Celery ---------------------------------------------------------------------------------
# With no broker configured, tasks run in-process so the portal works with nothing else running.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broken broker must not hang a request: publishing gives up quickly and says so.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                   "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
# Reviews: action reminders each weekday morning; the business manager's digest on Mondays.
CELERY_BEAT_SCHEDULE["reviews-action-reminders"] = {
    "task": "reviews.send_action_reminders", "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri")}
CELERY_BEAT_SCHEDULE["reviews-weekly-digest"] = {
    "task": "reviews.send_weekly_digests", "schedule": crontab(hour=7, minute=30, day_of_week="mon")}
# Datasets: returns due soon or overdue, and the designated nurse's digest, each weekday morning.
CELERY_BEAT_SCHEDULE["datasets-return-reminders"] = {
    "task": "datasets.send_return_reminders", "schedule": crontab(hour=7, minute=15, day_of_week="mon-fri")}
# Training: training returns due soon or overdue, each weekday morning.
CELERY_BEAT_SCHEDULE["training-return-reminders"] = {
    "task": "training.send_return_reminders", "schedule": crontab(hour=7, minute=20, day_of_week="mon-fri")}
# Notifications: the daily digest for those who chose it (and immediate ones the queue missed).
CELERY_BEAT_SCHEDULE["safeguarding-notification-digests"] = {
    "task": "safeguarding.send_notification_digests", "schedule": crontab(hour=7, minute=5)}
# Reports: a build whose worker died is marked failed even when nobody opens its page.
CELERY_BEAT_SCHEDULE["reports-sweep-stale-builds"] = {"task": "reports.sweep_stale_builds", "schedule": 300.0}
# Reports: a published annual report not yet sent to the national Panel or the what-works centre.
CELERY_BEAT_SCHEDULE["reports-distribution-reminders"] = {
    "task": "reports.send_distribution_reminders", "schedule": crontab(hour=7, minute=40, day_of_week="mon-fri")}
DATASETS_DUE_DAYS = env_int("DATASETS_DUE_DAYS", 30)
DATASETS_REMINDER_DAYS_BEFORE = env_int("DATASETS_REMINDER_DAYS_BEFORE", 7)
DATASETS_MOVEMENT_SHARE = env_str("DATASETS_MOVEMENT_SHARE", "0.25")

# --- Security headers -----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts at all: GOV.UK Frontend is loaded as a module file; the one inline snippet
# (the js-enabled class) carries the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

PORTAL_NAME = env_str("PORTAL_NAME", "Safeguarding assurance portal")
