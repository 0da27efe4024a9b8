"""django-tenants' PostgreSQL backend, without the repeated `SET search_path`.

django-tenants forgets the search_path it set at every set_tenant, and its tenant middleware
calls set_tenant twice a request (public, then the host's body), so with TENANT_LIMIT_SET_CALLS
every request still pays a round trip for a SET, even when the path is the one the connection
already has (a body's pages one after another, the public site, a vendor's or the secretariat's
pages). Here the connection remembers the path it has (`_path_now`), and set_tenant keeps it
when the new tenant's path is the same list. A new or closed connection, a rollback or a
savepoint rollback (either may have undone a SET) forget it, as django-tenants does.

`shared_tables()` runs queries that read only tables which exist in the public schema alone
(the shared apps that are not also tenant apps) without the SET: every path the connection can
have ends in public, so such a name means the same table under any of them. The SET is sent by
the next query outside it, if that query needs it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django_tenants.postgresql_backend import base
from django_tenants.utils import get_public_schema_name


class DatabaseWrapper(base.DatabaseWrapper):
    _path_now: list[str] | None = None  # the search_path this connection has, if known
    _shared_only = False  # inside shared_tables()

    @contextmanager
    def shared_tables(self) -> Iterator[None]:
        """Queries here name only tables of the public schema alone: no SET for them when the
        connection's path is known to hold public."""
        outer, self._shared_only = self._shared_only, True
        try:
            yield
        finally:
            self._shared_only = outer

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        super().set_tenant(tenant, include_public)
        if self._path_now is not None and self._path_now == self._get_cursor_search_paths():
            self.search_path_set_schemas = self._path_now

    def _handle_search_path(self, cursor: Any = None) -> None:
        if (
            self._shared_only
            and self._path_now is not None
            and get_public_schema_name() in self._path_now
        ):
            return
        super()._handle_search_path(cursor)
        if self.search_path_set_schemas is not None:
            self._path_now = self.search_path_set_schemas

    def connect(self) -> None:
        self._path_now = None
        super().connect()

    def close(self) -> None:
        self._path_now = None
        super().close()

    def rollback(self) -> None:
        self._path_now = None
        super().rollback()

    def savepoint_rollback(self, sid: str) -> None:
        self._path_now = None
        super().savepoint_rollback(sid)
