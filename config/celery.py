"""The Celery app. tenant-schemas-celery's CeleryApp puts the caller's schema into every task's
headers and enters it in the worker, so a task sent from a body's request runs in that body."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = CeleryApp("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
