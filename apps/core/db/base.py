"""django-tenants' PostgreSQL backend, without the repeated `SET search_path`.

django-tenants forgets the search_path it set at every set_tenant, and its tenant middleware
calls set_tenant twice a request (public, then the host's body), so with TENANT_LIMIT_SET_CALLS
every request still pays a round trip for a SET, even when the path is the one the connection
already has (a body's pages one after another, the public site, a vendor's or the secretariat's
pages). Here the connection remembers the path it has (`_path_now`), and set_tenant keeps it
when the new tenant's path is the same list. A new or closed connection, a rollback or a
savepoint rollback (either may have undone a SET) forget it, as django-tenants does."""

from __future__ import annotations

from typing import Any

from django_tenants.postgresql_backend import base


class DatabaseWrapper(base.DatabaseWrapper):
    _path_now: list[str] | None = None  # the search_path this connection has, if known

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        super().set_tenant(tenant, include_public)
        if self._path_now is not None and self._path_now == self._get_cursor_search_paths():
            self.search_path_set_schemas = self._path_now

    def _handle_search_path(self, cursor: Any = None) -> None:
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
