"""The layering of docs/ARCHITECTURE.md, checked: pages and APIs read through selectors and
write through services, never through a model manager of their own (the import rules are
checked by import-linter in `make test`, .importlinter)."""

from __future__ import annotations

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"
THIN = ("views.py", "apis.py", "joint_apis.py", "forms.py", "filters.py")


def test_pages_and_apis_use_no_model_manager() -> None:
    found = []
    for path in sorted(APPS.glob("*/*.py")):
        if path.name not in THIN:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                found.append(f"{path.relative_to(APPS)}:{node.lineno}")
    assert found == []
