"""Screenshots of five key pages of a running demo, at desktop width and on a phone, for
docs/screenshots/ (made by this script, never by hand).

    python scripts/screenshots.py --port 8000 --out docs/screenshots/after

It logs in as the demo's users (password portal-demo-2026) through Debian's chromium."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "portal-demo-2026"  # noqa: S105  (the demo's published password, README)
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# (file name, site, user, path): what a body's staff, its administrator and the secretariat see
PAGES = [
    ("1-body-home", "ichinomiya", "ichinomiya-admin", "/"),
    ("2-catalogue", "ichinomiya", "ichinomiya-staff", "/catalog/?q=電子申請"),
    ("3-listing", "ichinomiya", "ichinomiya-staff", "/catalog/1/"),
    ("4-training", "ichinomiya", "ichinomiya-staff", "/training/"),
    ("5-secretariat-invoices", None, "aichi-jimukyoku", "/invoices/"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        for name, site, user, path in PAGES:
            host = f"{site}.localhost" if site else "localhost"
            base = f"http://{host}:{args.port}"
            for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page = browser.new_page(locale="ja-JP", viewport=viewport)
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("load")
                page.goto(f"{base}{path}")
                page.wait_for_load_state("load")
                page.screenshot(path=str(args.out / f"{name}-{label}.png"), full_page=True)
                page.close()
        browser.close()
    print(f"wrote {len(PAGES) * 2} screenshots to {args.out}")


if __name__ == "__main__":
    main()
