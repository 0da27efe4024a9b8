"""`make demo` on a machine without PostgreSQL or Redis: from a copy of the checkout with its own
.data/, the embedded servers forced (so the machine's servers are never touched), the demo
starts, a body's site answers 200, SIGTERM stops everything, and no process is left."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 900


def _copy_checkout(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{entry.name}: {cmdline}")
    return found


@pytest.mark.embedded
def test_the_demo_starts_on_embedded_servers_and_leaves_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "portal"
    _copy_checkout(copy)
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PORTAL_TEST_TODAY")
    }
    env.update(PORTAL_EMBEDDED="1", PORTAL_PORT=str(port))
    log = (tmp_path / "demo.log").open("w")
    demo = subprocess.Popen(
        [sys.executable, "scripts/demo.py"],
        cwd=copy,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal would give it
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        status = None
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                status = requests.get(
                    f"http://127.0.0.1:{port}/",
                    headers={"Host": f"ichinomiya.localhost:{port}"},
                    timeout=5,
                ).status_code
            except requests.RequestException:
                status = None
            if status == 200:
                break
            time.sleep(2)
        output = (tmp_path / "demo.log").read_text()
        assert status == 200, output[-3000:]
        assert "embedded server" in output or "embedded, started" in output
        assert "ichinomiya-admin" in output  # the table of addresses and log-ins
        page = requests.get(
            f"http://127.0.0.1:{port}/no-such-page/",
            headers={"Host": f"ichinomiya.localhost:{port}"},
            timeout=5,
        )
        assert page.status_code == 404
        assert "ページが見つかりません" in page.text  # DEBUG off: the portal's own page
        redis_pid = int((copy / ".data" / "redis" / "redis.pid").read_text())
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=60)
        log.close()
    time.sleep(1)
    left = _processes_mentioning(str(copy))
    assert left == [], left
    assert not Path(f"/proc/{redis_pid}").exists()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass  # nothing listens on the demo's port any more
