from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.demo.loader import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = "Load the Aichi demo (idempotent) and print the addresses and log-ins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default="8000")
        parser.add_argument(
            "--print-only", action="store_true", help="print the table without loading anything"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        logins = demo_logins() if opts["print_only"] else load_demo()
        port = opts["port"]
        self.stdout.write("\n自治体共同利用ポータル demo")
        self.stdout.write(f"  public site : http://localhost:{port}/")
        self.stdout.write(f"  a body site : http://ichinomiya.localhost:{port}/ (every Aichi body)")
        self.stdout.write(f"  API docs    : http://localhost:{port}/api/docs/")
        self.stdout.write(f"\nDemo log-ins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(
                f"  http://{login.site}:{port}/accounts/login/  {login.username:<18} "
                f"{login.role} ({login.note})"
            )
