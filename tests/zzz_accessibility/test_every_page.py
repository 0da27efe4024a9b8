"""Every page each role reaches from its home, checked by axe-core in a real browser: no
serious or critical violation (WCAG 2.2 A/AA as far as axe can tell).

This directory runs last: it commits demo-like data (a joint service, a listing with fees, a
contract, issued invoices) so that the crawl reaches the pages that show them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD
from tests.e2e.axe import serious_violations

pytestmark = [pytest.mark.browser]

ROLES = [
    # (site, username or None for anonymous)
    ("localhost", None),
    ("ichinomiya.localhost", "admin"),
    ("ichinomiya.localhost", "tanaka"),
    ("localhost", "aichi-sec"),
    ("localhost", "vendor-a"),
    ("localhost", "operator"),
]
SKIP = ("/accounts/logout", "/admin/", "/api/", ".csv", "/pdf/", "/static/", "/i18n/")
MAX_PAGES = 60


def _crawl(browser, base: str, username: str | None) -> list[str]:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="ja-JP")
    if username:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=whoami]")
    queue, seen, problems = ["/"], set(), []
    if username is None:
        queue.append("/accounts/login/")
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.goto(f"{base}{path}")
        problems += serious_violations(page)
        for href in page.eval_on_selector_all(
            "header a[href], main a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or any(s in parts.path for s in SKIP):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in seen and len(seen) + len(queue) < MAX_PAGES * 2:
                queue.append(link)
    page.close()
    return problems


@pytest.mark.parametrize(("site", "username"), ROLES)
def test_no_serious_accessibility_violation_on_any_page_of_a_role(
    live_portal, browser, data, site: str, username: str | None
) -> None:
    problems = _crawl(browser, f"http://{site}:{live_portal.port}", username)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
