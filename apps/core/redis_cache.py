# mypy: disable-error-code="attr-defined"
# (django-stubs leave out the private attributes of Django's RedisCacheClient used below)
"""Django's Redis cache backend with one client object per connection pool, and reads ahead.

Django's RedisCacheClient builds a new redis.Redis object for every command (redis-py then
fills its table of response callbacks again): about 70 µs on this machine, a quarter of a
cache read, and a request reads the cache four times or so (session, host, catalogue). The
object holds no connection of its own (commands take one from the pool, which is safe across
threads and forks), so one per pool serves every command.

Reading ahead: within a request (`request_scope()`, opened by the first middleware), code that
knows which keys the request will read asks for them all in one round trip
(`cache.read_ahead(keys)`); later reads of those keys in the same request are answered from
what came back, a key Redis did not have included. Any write of a key (set, add, delete, incr,
...) drops it from what was read ahead, so the request reads its own writes. Outside a scope
(tasks, commands) nothing changes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache.backends import redis

_MISSING = object()  # read ahead, and not in Redis
_ahead: ContextVar[dict[str, Any] | None] = ContextVar("cache_read_ahead", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """What is read ahead lives until the end of this block (one request)."""
    token = _ahead.set({})
    try:
        yield
    finally:
        _ahead.reset(token)


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:  # as _get_connection_pool, for this index
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client

    # Reads answered from what the request read ahead (keys are full Redis keys here).

    def read_ahead(self, keys: list[str]) -> None:
        store = _ahead.get()
        if store is None:
            return
        wanted = [k for k in keys if k not in store]
        if wanted:
            found = super().get_many(wanted)
            store.update((k, found.get(k, _MISSING)) for k in wanted)

    def get(self, key: Any, default: Any) -> Any:
        store = _ahead.get()
        if store is not None and key in store:
            value = store[key]
            return default if value is _MISSING else value
        return super().get(key, default)

    def get_many(self, keys: Iterable[Any]) -> dict[Any, Any]:
        keys = list(keys)
        store = _ahead.get()
        if store is None or not all(k in store for k in keys):
            return super().get_many(keys)  # type: ignore[no-any-return]
        return {k: store[k] for k in keys if store[k] is not _MISSING}

    # Writes drop the key from what was read ahead.

    def _forget(self, keys: Iterable[Any]) -> None:
        store = _ahead.get()
        if store:
            for key in keys:
                store.pop(key, None)

    def add(self, key: Any, value: Any, timeout: Any) -> Any:
        self._forget([key])
        return super().add(key, value, timeout)

    def set(self, key: Any, value: Any, timeout: Any) -> Any:
        self._forget([key])
        return super().set(key, value, timeout)

    def touch(self, key: Any, timeout: Any) -> Any:
        self._forget([key])
        return super().touch(key, timeout)

    def delete(self, key: Any) -> Any:
        self._forget([key])
        return super().delete(key)

    def incr(self, key: Any, delta: int) -> Any:
        self._forget([key])
        return super().incr(key, delta)

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> Any:
        self._forget(data)
        return super().set_many(data, timeout)

    def delete_many(self, keys: Iterable[Any]) -> Any:
        keys = list(keys)
        self._forget(keys)
        return super().delete_many(keys)

    def clear(self) -> Any:
        store = _ahead.get()
        if store:
            store.clear()
        return super().clear()


class RedisCache(redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def read_ahead(self, keys: Iterable[str]) -> None:
        """Read these keys now, in one round trip, for the rest of the request (nothing
        outside a request scope)."""
        self._cache.read_ahead([self.make_and_validate_key(k) for k in keys])
