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


def confirming(page):  # type: ignore[no-untyped-def]
    """Accept every confirmation the page asks for (an action that cannot be undone) and keep
    the questions, so a test can check that it was asked."""
    asked: list[str] = []

    def accept(dialog):  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return asked
