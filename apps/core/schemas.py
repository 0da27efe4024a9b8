from __future__ import annotations

from django.db import connection


def current_schema() -> str:
    """The schema the connection works in: a body's schema, or "public" (django-tenants' backend
    keeps it on the connection)."""
    return str(connection.schema_name)  # type: ignore[attr-defined]
