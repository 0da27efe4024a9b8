"""The deployment files say only what the portal reads: every variable the compose file sets
for the portal's services is one config/settings/env.py reads."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def variables_read() -> set[str]:
    source = (ROOT / "config" / "settings" / "env.py").read_text(encoding="utf-8")
    names = set(re.findall(r'_(?:read|bool)\(\s*"([A-Z0-9_]+)"', source))
    return names | {f"{name}_FILE" for name in names}  # _read takes NAME_FILE for secrets


def test_every_variable_compose_sets_for_the_portal_is_read() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text(encoding="utf-8"))
    read = variables_read()
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY_FILE"} <= read
    portal_services = {
        name: service
        for name, service in compose["services"].items()
        if "build" in service  # the portal's own image, not postgres or redis
    }
    assert set(portal_services) == {"web", "worker", "worker-2", "beat"}
    for name, service in portal_services.items():
        unknown = set(service.get("environment", {})) - read
        assert not unknown, (
            f"{name} sets {sorted(unknown)}, which config/settings/env.py never reads"
        )


def test_a_profile_runs_two_workers() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text(encoding="utf-8"))
    workers = [
        s for s in compose["services"].values() if "celery -A config worker" in s.get("command", "")
    ]
    assert len(workers) == 2
    assert workers[1]["profiles"] == ["two-workers"]
    assert "-n worker2@%h" in workers[1]["command"]  # two workers need two names
