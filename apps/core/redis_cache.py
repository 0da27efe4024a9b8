# mypy: disable-error-code="attr-defined"
# (django-stubs leave out the private attributes of Django's RedisCacheClient used below)
"""Django's Redis cache backend with one client object per connection pool.

Django's RedisCacheClient builds a new redis.Redis object for every command (redis-py then
fills its table of response callbacks again): about 70 µs on this machine, a quarter of a
cache read, and a request reads the cache four times or so (session, host, catalogue). The
object holds no connection of its own (commands take one from the pool, which is safe across
threads and forks), so one per pool serves every command."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis


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


class RedisCache(redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
