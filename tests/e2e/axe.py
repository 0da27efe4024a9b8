"""axe-core (shipped by axe-playwright-python) on a page of the real browser: the portal
accepts no serious or critical violation of WCAG 2.x A/AA rules on any page."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
BLOCKING = {"serious", "critical"}


def serious_violations(page: Any) -> list[str]:
    """One line per serious or critical violation: rule, impact, where, and why."""
    results = AXE.run(page, options=OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or violation["help"]).splitlines()[-1].strip()
            where = " ".join(str(t) for t in node["target"])
            lines.append(
                f"{page.url} {violation['id']} ({violation['impact']}): {where} — {summary}"
            )
    return lines


def assert_accessible(page: Any) -> None:
    problems = serious_violations(page)
    assert not problems, "\n".join(problems)
