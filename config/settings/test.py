from urllib.parse import urlsplit

from config.settings import env
from config.settings.base import *  # noqa: F403
from config.settings.base import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REST_FRAMEWORK = {**REST_FRAMEWORK}
AXES_FAILURE_LIMIT = 3
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests use their own Redis database so a developer's queue is never touched.
CELERY_BROKER_URL = CELERY_RESULT_BACKEND = urlsplit(env.REDIS_URL)._replace(path="/15").geturl()
CELERY_TASK_ALWAYS_EAGER = False
CACHES = {
    "default": {
        **CACHES["default"],  # noqa: F405
        "LOCATION": urlsplit(env.REDIS_CACHE_URL)._replace(path="/14").geturl(),
    }
}

# Static files come from runserver / the test server's handler here; WhiteNoise serves the
# collected files in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# Close each request's connection when the request ends, so the test server's keep-alive
# threads hold no connection when the test database is dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
