"""scripts/services.py: an embedded server that died is named, with its log."""

from __future__ import annotations

import subprocess

from scripts import services


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_dead_embedded_postgres_is_reported_with_its_log(tmp_path, monkeypatch) -> None:
    pgdata = tmp_path / "postgres"
    pgdata.mkdir()
    (pgdata / "postmaster.pid").write_text(f"{_dead_pid()}\n{pgdata}\n0\n54321\n")
    monkeypatch.setattr(services, "PGDATA", pgdata)
    monkeypatch.setattr(services, "PG_LOG", tmp_path / "postgres.log")
    monkeypatch.setattr(services, "REDIS_PID", tmp_path / "redis" / "redis.pid")
    assert services.postgres_pid() is None
    assert services.crashed() == (
        f"the embedded PostgreSQL has stopped unexpectedly; its log is {tmp_path / 'postgres.log'}"
    )


def test_a_dead_embedded_redis_is_reported_with_its_log(tmp_path, monkeypatch) -> None:
    redis = tmp_path / "redis"
    redis.mkdir()
    (redis / "redis.pid").write_text(str(_dead_pid()))
    (redis / "port").write_text("6390")
    monkeypatch.setattr(services, "PGDATA", tmp_path / "postgres")
    monkeypatch.setattr(services, "REDIS_PID", redis / "redis.pid")
    monkeypatch.setattr(services, "REDIS_PORT_FILE", redis / "port")
    monkeypatch.setattr(services, "REDIS_LOG", redis / "redis.log")
    assert services.crashed() == (
        f"the embedded Redis has stopped unexpectedly; its log is {redis / 'redis.log'}"
    )
