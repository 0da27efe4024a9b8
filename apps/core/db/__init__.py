"""The portal's database backend (base.py, ENGINE "apps.core.db") and what it adds."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext


def shared_tables() -> AbstractContextManager[None]:
    """Queries run inside read only tables that exist in the public schema alone: they send no
    `SET search_path` (base.DatabaseWrapper.shared_tables; nothing with another backend)."""
    from django.db import connection

    enter = getattr(connection, "shared_tables", None)
    return enter() if enter is not None else nullcontext()
