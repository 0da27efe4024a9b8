from config.settings.base import *  # noqa: F403

# Static files come from runserver / the test server's handler here; WhiteNoise serves the
# collected files in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405
