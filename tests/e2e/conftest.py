"""The browser shared by the browser tests: Debian's chromium driven by Playwright."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(chromium_path: str):  # type: ignore[no-untyped-def]
    # Playwright's sync API keeps an event loop in this thread; the test's own (synchronous)
    # database work is safe, as Playwright's documentation for Django says.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def confirm(page, label: str) -> str:  # type: ignore[no-untyped-def]
    """Take an action that cannot be undone as a person does: open its button's panel, read
    the question, press the panel's own button. Returns the question (no JavaScript dialog:
    the panel works without JavaScript)."""
    page.click(f"summary:has-text('{label}')")
    panel = page.locator("details[open] .confirm-panel").last
    question = panel.locator("p").inner_text()
    panel.locator("[data-testid=confirm]").click()
    return str(question)
