"""Django settings for Clearline, read from environment variables (see docs/configuration.md).

CLEARLINE_ENV picks the mode: ``development`` (the default, what `make run` uses), ``test`` or ``production``.
Production refuses to start with DEBUG on, the development secret key, or missing privacy keys.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clearline.lib.env import env_bool, env_choice, env_int, env_list, env_str
from clearline.telephony.sip import edge as sip_edge

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CLEARLINE_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")

CLEARLINE_ENV = env_choice("CLEARLINE_ENV", "development", ("development", "test", "production"))
PRODUCTION = CLEARLINE_ENV == "production"

DEVELOPMENT_SECRET_KEY = "clearline-development-only-secret-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else DEVELOPMENT_SECRET_KEY) or ""
DEBUG = env_bool("DEBUG", default=CLEARLINE_ENV == "development")

# Keys for caller privacy (DESIGN.md rule 7). They live in the environment, never in the database.
DEVELOPMENT_HMAC_KEY = "clearline-development-caller-hmac-key"
CLEARLINE_CALLER_HMAC_KEY = env_str("CLEARLINE_CALLER_HMAC_KEY", None if PRODUCTION else DEVELOPMENT_HMAC_KEY)
# A Fernet key (32 url-safe base64 bytes) for the raw number held in an open callback request.
DEVELOPMENT_ENCRYPTION_KEY = "Y2xlYXJsaW5lLWRldmVsb3BtZW50LW9ubHkta2V5ISE="
CLEARLINE_ENCRYPTION_KEY = env_str(
    "CLEARLINE_ENCRYPTION_KEY", None if PRODUCTION else DEVELOPMENT_ENCRYPTION_KEY
)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when CLEARLINE_ENV=production.")
    if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("Set SECRET_KEY (40+ random characters) when CLEARLINE_ENV=production.")
    for _name, _value, _dev in (
        ("CLEARLINE_CALLER_HMAC_KEY", CLEARLINE_CALLER_HMAC_KEY, DEVELOPMENT_HMAC_KEY),
        ("CLEARLINE_ENCRYPTION_KEY", CLEARLINE_ENCRYPTION_KEY, DEVELOPMENT_ENCRYPTION_KEY),
    ):
        if not _value or _value == _dev:
            raise ImproperlyConfigured(f"Set {_name} to a production key when CLEARLINE_ENV=production.")

if CLEARLINE_ENCRYPTION_KEY:
    # Fail at start-up, not at the first callback: a wrong key would lose the caller's number.
    from cryptography.fernet import Fernet

    try:
        Fernet(CLEARLINE_ENCRYPTION_KEY.encode())
    except (ValueError, TypeError) as _exc:
        raise ImproperlyConfigured(
            "CLEARLINE_ENCRYPTION_KEY must be a Fernet key (32 url-safe base64-encoded bytes); see "
            "docs/configuration.md."
        ) from _exc
if PRODUCTION and CLEARLINE_CALLER_HMAC_KEY and len(CLEARLINE_CALLER_HMAC_KEY) < 32:
    raise ImproperlyConfigured("CLEARLINE_CALLER_HMAC_KEY must be at least 32 characters in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) when CLEARLINE_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The public base URL (scheme and host) as callers' browsers and Twilio see it, e.g. https://help.example.org.
CLEARLINE_PUBLIC_URL = (env_str("CLEARLINE_PUBLIC_URL", "") or "").rstrip("/")
# Where the Wagtail admin lives; moving it off /admin/ keeps drive-by scanners away.
CLEARLINE_ADMIN_PATH = (env_str("CLEARLINE_ADMIN_PATH", "admin/") or "admin/").strip("/") + "/"
if CLEARLINE_ADMIN_PATH == "/":
    raise ImproperlyConfigured("CLEARLINE_ADMIN_PATH must not be empty.")

INSTALLED_APPS = [
    "clearline.lib",
    "clearline.providers",
    "clearline.directory",
    "clearline.content",
    "clearline.telephony",
    "clearline.reports",
    "clearline.portal",
    "clearline.accounts",
    "clearline.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses the responses of everything below it, where safe (clearline.lib.compression).
    "clearline.lib.compression.SafeGZipMiddleware",
    # Static files are answered here, as WhiteNoise advises: without the page-only headers below (the CSP and
    # Permissions-Policy, ~330 bytes on each file).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clearline.lib.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff and provider pages need a session that passed the second factor (docs/accounts.md).
    "clearline.accounts.middleware.RequireSecondFactorMiddleware",
    "clearline.accounts.middleware.SessionLifetimeMiddleware",
    "clearline.lib.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost, so cached pages still pass through every header-setting middleware above.
    "clearline.lib.pagecache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "clearline.urls"
WSGI_APPLICATION = "clearline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clearline" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "clearline.lib.pagecache.chrome_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'clearline.sqlite3'}") or "",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if CLEARLINE_ENV != "production" else 60, minimum=0),
        # A persistent connection is checked before each request reuses it, so the first request after a
        # database restart reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
# Telephony webhooks must answer within 1 s whatever the database does (docs/operations.md, "When the database
# fails"). Each webhook sets these on its connection (clearline.telephony.twilio.webhooks.safely); a page request on the
# same connection puts the server's defaults back, and the worker, migrations and imports never get them.
CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS = env_int(
    "CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS", 500, minimum=50, maximum=10000
)
CLEARLINE_WEBHOOK_LOCK_TIMEOUT_MS = env_int(
    "CLEARLINE_WEBHOOK_LOCK_TIMEOUT_MS", 200, minimum=50, maximum=10000
)
# How long a webhook may take, its database work included, kept by the web process (clearline.telephony.faults):
# past it, a webhook still waiting on the database (a frozen server, a connect nobody answers) has its connection
# cut and answers the fallback. Above the server-side timeouts, which end the usual faults first and keep the
# connection.
CLEARLINE_WEBHOOK_DEADLINE_MS = env_int("CLEARLINE_WEBHOOK_DEADLINE_MS", 700, minimum=100, maximum=10000)
_slowest_timeout_ms = max(CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS, CLEARLINE_WEBHOOK_LOCK_TIMEOUT_MS)
if _slowest_timeout_ms >= CLEARLINE_WEBHOOK_DEADLINE_MS:
    raise ImproperlyConfigured(
        f"CLEARLINE_WEBHOOK_DEADLINE_MS={CLEARLINE_WEBHOOK_DEADLINE_MS} must be above the webhook's statement "
        f"and lock timeouts ({CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS} and {CLEARLINE_WEBHOOK_LOCK_TIMEOUT_MS} ms)."
    )
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # Seconds to wait for a new connection, in every process (libpq's smallest is 2).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 2, minimum=2, maximum=60
    )
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # The server plans a statement once per connection instead of on every call: the voice webhook's counts
        # statement went from 1.2 ms to 0.4 ms, and the webhook's PostgreSQL CPU from 1.7 ms to 0.8 ms
        # (bench/webhooks.py --baseline, in-process). Prepared statements need the server to bind the parameters
        # (psycopg prepares a statement after its 5th run on a connection). Turn it off behind a
        # pooler that cannot keep them (pgbouncer in transaction mode before 1.21, or without
        # max_prepared_statements): docs/configuration.md.
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if env_str("CLEARLINE_TEST_DATABASE_TEMPLATE", ""):
    # Test runs only (tools/with_postgres.py --migrate-template): test databases copy a migrated template.
    DATABASES["default"]["TEST"] = {"TEMPLATE": env_str("CLEARLINE_TEST_DATABASE_TEMPLATE", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts (docs/accounts.md): every staff and provider login needs a password and a second factor (TOTP or a
# one-time recovery code); failed logins lock out the username+IP pair, and many failures across usernames lock
# out the IP; sessions end when idle or too old.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
OTP_TOTP_ISSUER = "Clearline"
AXES_FAILURE_LIMIT = env_int("CLEARLINE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
# Failures from one client address across all usernames before the address itself is locked out.
CLEARLINE_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("CLEARLINE_LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_HANDLER = "clearline.accounts.lockout.AddressThrottlingHandler"
CLEARLINE_LOGIN_LOCKOUT_MINUTES = env_int("CLEARLINE_LOGIN_LOCKOUT_MINUTES", 30, minimum=1)
AXES_COOLOFF_TIME = CLEARLINE_LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page says when sign-in works again; attempts during the lockout do not push that time back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "clearline.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "clearline.accounts.lockout.client_ip"
CLEARLINE_SESSION_IDLE_MINUTES = env_int("CLEARLINE_SESSION_IDLE_MINUTES", 30, minimum=1)
CLEARLINE_SESSION_MAX_HOURS = env_int("CLEARLINE_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = CLEARLINE_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = (
    True  # only sessions that exist (signed-in staff) are written; visitors have none
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CLEARLINE_INVITATION_DAYS = env_int("CLEARLINE_INVITATION_DAYS", 7, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "clearline" / "locale"]
# The operator's zone: "today" for contracts and reports. Providers' hours use each provider's own zone.
TIME_ZONE = env_str("CLEARLINE_TIME_ZONE", "America/New_York") or "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "clearline" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Security baseline (docs/configuration.md): secure cookies and HSTS in production.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
# Off by default: both bind every subdomain of the site's domain to HTTPS too (preload for years; see
# docs/configuration.md before turning them on).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if SECURE_HSTS_PRELOAD and not (SECURE_HSTS_INCLUDE_SUBDOMAINS and SECURE_HSTS_SECONDS >= 31536000):
    raise ImproperlyConfigured(
        "SECURE_HSTS_PRELOAD needs SECURE_HSTS_INCLUDE_SUBDOMAINS=1 and SECURE_HSTS_SECONDS of at least "
        "31536000 (browsers' preload list refuses anything less)."
    )
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
CLEARLINE_BEHIND_PROXY = env_bool("CLEARLINE_BEHIND_PROXY", False)
if CLEARLINE_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies in front of the app that append to X-Forwarded-For: the sign-in lockout's client address.
CLEARLINE_PROXY_COUNT = env_int(
    "CLEARLINE_PROXY_COUNT", 1 if CLEARLINE_BEHIND_PROXY else 0, minimum=0, maximum=5
)

WAGTAIL_SITE_NAME = "Clearline"
WAGTAILADMIN_BASE_URL = CLEARLINE_PUBLIC_URL or "http://127.0.0.1:8000"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# The admin's own login page is replaced by the two-factor login (clearline.accounts).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Nothing in the admin asks another host: no Gravatar avatars (initials instead), no release-news check. Our CSP
# would block both anyway, filling the browser console with errors.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

TASKS = {
    "default": {
        "BACKEND": env_str("CLEARLINE_TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Clearline <noreply@localhost>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a silent SMTP server fails a send (Django's default is to wait forever); the worker's
# notification task then retries it later.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1, maximum=300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_phone_numbers": {"()": "clearline.lib.logging.RedactPhoneNumbersFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_phone_numbers"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own loggers (including runserver's request lines) would otherwise keep the unfiltered handlers
    # of its default configuration; they go through the redacting handler like everything else.
    "loggers": {
        name: {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False}
        for name in ("django", "django.server")
    },
}

# How many participating providers ring at once for a general helpline call (1 = one at a time).
CLEARLINE_ROUTING_WAVE_SIZE = env_int("CLEARLINE_ROUTING_WAVE_SIZE", 2, minimum=1, maximum=5)

# Jobs the worker enqueues on a timer: (dotted path of a django-tasks task, interval in seconds).
CLEARLINE_PERIODIC_TASKS = [
    ("clearline.content.tasks.refresh_disclosure_version", 60),
]

# Requests under these paths (signed telephony webhooks) get only this middleware in the WSGI application
# (clearline/wsgi.py): no sessions, users, language, CSRF or page cache, which they never use. It saves each
# webhook 0.5-0.7 ms of CPU, some 15% of the voice webhook (bench/webhooks.py in-process; figures in wsgi.py).
CLEARLINE_LEAN_PATHS = ("/telephony/twilio/",)
CLEARLINE_LEAN_MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]

# Twilio (docs/twilio.md). Unset = the integration is off: its webhooks answer 404, `clearline check` says why.
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", None) or None
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", None) or None
TWILIO_SMS_FROM = env_str("TWILIO_SMS_FROM", None) or None
# The REST API's root (an end-to-end test points it at a local stand-in) and how a wave of providers rings:
# "dial" one <Dial> with a <Number> per provider (the first leg to pick up, voicemail too, ends the others);
# "queue" one REST call per provider while the caller waits in <Enqueue> (docs/twilio.md, "How a wave rings").
TWILIO_API_ROOT = env_str("TWILIO_API_ROOT", "") or "https://api.twilio.com"
CLEARLINE_TWILIO_WAVES = env_choice("CLEARLINE_TWILIO_WAVES", "dial", ("dial", "queue"))
# Whether the caller's 9 and 0 work while providers' phones ring: the SIP controller can always hear them, Twilio
# only in the queue shape (a <Dial> hears no key). One promise for every adapter, so it follows the Twilio shape;
# the disclosure's keys sentence and both adapters read it through the routing policy (docs/configuration.md).
CLEARLINE_KEYS_WHILE_RINGING = CLEARLINE_TWILIO_WAVES == "queue"

# Self-hosted SIP (docs/sip.md): what `clearline sip_config` writes for Kamailio (deploy/kamailio/kamailio.cfg).
# The trunk (host:port) carries E.164 legs; INVITEs are accepted only from the trusted addresses (IP, network or
# IP:port); calls go to the controllers (SIP URIs), or to the fallback URI when none answers (default: the free
# national helpline through the trunk). Development and tests default to loopback stand-ins for `make sip`;
# production has no defaults. A value that does not parse refuses to start.
_sip_development = not PRODUCTION
try:
    _sip_trunk = env_str("CLEARLINE_SIP_TRUNK", "127.0.0.1:5080" if _sip_development else "") or ""
    CLEARLINE_SIP_TRUNK = sip_edge.parse_hostport(_sip_trunk, "CLEARLINE_SIP_TRUNK") if _sip_trunk else None
    CLEARLINE_SIP_TRUSTED = tuple(
        str(source)
        for source in sip_edge.parse_trusted(
            env_list("CLEARLINE_SIP_TRUSTED", ["127.0.0.1"] if _sip_development else [])
        )
    )
    CLEARLINE_SIP_CONTROLLERS = sip_edge.parse_controllers(
        env_list("CLEARLINE_SIP_CONTROLLERS", ["sip:127.0.0.1:5090"] if _sip_development else [])
    )
    _sip_fallback = env_str("CLEARLINE_SIP_FALLBACK_URI", "") or ""
    CLEARLINE_SIP_FALLBACK_URI = (
        sip_edge.parse_sip_uri(_sip_fallback, "CLEARLINE_SIP_FALLBACK_URI")
        if _sip_fallback
        else sip_edge.default_fallback(CLEARLINE_SIP_TRUNK)
    )
    # The call controller (`clearline sip_controller`): the address SIP and RTP bind to (and its SDP names), its
    # SIP port (the one in CLEARLINE_SIP_CONTROLLERS), the first RTP port, where prompts are cached, the threads
    # running call-flow events, and the calls one process holds (4: what the pjsua2-python wheel allows).
    CLEARLINE_SIP_CONTROLLER_IP = str(
        ipaddress.ip_address(env_str("CLEARLINE_SIP_CONTROLLER_IP", "127.0.0.1") or "127.0.0.1")
    )
    CLEARLINE_SIP_CONTROLLER_PORT = env_int("CLEARLINE_SIP_CONTROLLER_PORT", 5090, minimum=1, maximum=65535)
    CLEARLINE_SIP_RTP_PORT = env_int("CLEARLINE_SIP_RTP_PORT", 20000, minimum=1024, maximum=65000)
    CLEARLINE_SIP_PROMPTS_DIR = Path(env_str("CLEARLINE_SIP_PROMPTS_DIR", "") or VAR_DIR / "sip" / "prompts")
    CLEARLINE_SIP_FLOW_THREADS = env_int("CLEARLINE_SIP_FLOW_THREADS", 8, minimum=1, maximum=64)
    CLEARLINE_SIP_MAX_CALLS = env_int("CLEARLINE_SIP_MAX_CALLS", 4, minimum=1, maximum=1000)
except ValueError as _sip_error:
    raise ImproperlyConfigured(str(_sip_error)) from _sip_error

# Caller privacy: days after a callback closes before its encrypted number is deleted (DESIGN.md rule 7).
CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS = env_int(
    "CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS", 3, minimum=0, maximum=14
)
# An overdue callback no provider can take is reported to CLEARLINE_OPERATOR_EMAILS once; one still open this
# many hours after the caller asked is closed as not returned, so its number is purged like any other.
CLEARLINE_CALLBACK_GIVE_UP_HOURS = env_int("CLEARLINE_CALLBACK_GIVE_UP_HOURS", 48, minimum=1, maximum=168)
# A line slot still held this long after it was reserved belongs to a call whose end we never heard about.
CLEARLINE_LINE_SLOT_TTL_MINUTES = env_int("CLEARLINE_LINE_SLOT_TTL_MINUTES", 120, minimum=10)
# Call events the database could not take wait here (on local disk) for the worker (docs/operations.md).
_journal_dir = env_str("CLEARLINE_EVENT_JOURNAL_DIR", "")
if _journal_dir and not Path(_journal_dir).is_absolute():
    raise ImproperlyConfigured(f"CLEARLINE_EVENT_JOURNAL_DIR={_journal_dir!r} must be an absolute path.")
CLEARLINE_EVENT_JOURNAL_DIR = Path(_journal_dir) if _journal_dir else VAR_DIR / "journal"
CLEARLINE_PERIODIC_TASKS += [
    ("clearline.telephony.tasks.enforce_callback_deadlines", 60),
    ("clearline.telephony.tasks.reap_line_slots", 300),
    ("clearline.telephony.tasks.purge_callback_numbers", 3600),
    ("clearline.telephony.tasks.check_finished_calls", 300),
    ("clearline.telephony.tasks.replay_event_journal", 30),
    ("clearline.providers.tasks.check_documents", 3600),
    ("clearline.reports.tasks.compute_daily_figures", 900),
    ("clearline.reports.tasks.purge_call_details", 3600),
    ("clearline.reports.tasks.append_routing_log", 60),
]
# Caller privacy: days a call keeps its plan, caller HMAC and state (docs/operations.md); the trace: below.
CLEARLINE_CALL_DETAIL_RETENTION_DAYS = env_int(
    "CLEARLINE_CALL_DETAIL_RETENTION_DAYS", 90, minimum=7, maximum=3650
)
# Days a call's decision trace is kept after the routing-log month it was chained in ends, so that month's
# published digest can still be recomputed (`clearline routing_log_verify`; docs/operations.md, "Routing log").
CLEARLINE_TRACE_RETENTION_DAYS = env_int("CLEARLINE_TRACE_RETENTION_DAYS", 400, minimum=31, maximum=3650)
# Operators told two weeks before a provider's license or certification expires (comma-separated).
CLEARLINE_OPERATOR_EMAILS = env_list("CLEARLINE_OPERATOR_EMAILS", [])
# A webhook that answers the fallback logs an ERROR and e-mails operators, at most once in this many minutes for
# all the web processes of a machine (a stamp in CLEARLINE_EVENT_JOURNAL_DIR; docs/operations.md).
CLEARLINE_FALLBACK_ALERT_MINUTES = env_int("CLEARLINE_FALLBACK_ALERT_MINUTES", 15, minimum=1, maximum=1440)
