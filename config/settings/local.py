"""Development (manage.py, runserver, the demo): DEBUG stays off unless DJANGO_DEBUG=1, and
WhiteNoise serves the static files straight from static/ (no collectstatic needed)."""

from config.settings.base import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG  # noqa: F405
