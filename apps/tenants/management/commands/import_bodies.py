"""Import all 1,788 bodies from the reference list and optionally provision their schemas.

manage.py import_bodies                            # import only (idempotent)
manage.py import_bodies --provision-prefecture 愛知県
manage.py import_bodies --provision-group あいち電子自治体推進協議会
manage.py import_bodies --provision-codes 232033,232114
manage.py import_bodies --provision-all
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.tenants.domain.reference import ReferenceDataError, parse_reference_csv
from apps.tenants.models import Body
from apps.tenants.provisioning import body_provision
from apps.tenants.services import body_import_reference

DEFAULT_CSV = Path(settings.BASE_DIR) / "data" / "municipalities.csv"


class Command(BaseCommand):
    help = "Import the reference list of bodies; provision schemas for a chosen set of them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--csv", default=str(DEFAULT_CSV), help="reference CSV to read")
        parser.add_argument(
            "--provision-prefecture",
            action="append",
            default=[],
            help="provision every body of this prefecture (repeatable)",
        )
        parser.add_argument(
            "--provision-group",
            action="append",
            default=[],
            help="provision the current members of this group (by name)",
        )
        parser.add_argument(
            "--provision-codes", default="", help="comma-separated body codes to provision"
        )
        parser.add_argument("--provision-all", action="store_true", help="provision every body")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["csv"])
        if not path.exists():
            raise CommandError(f"{path} not found: pass --csv with the reference list's path")
        try:
            with path.open(encoding="utf-8") as fh:
                records = parse_reference_csv(fh)
        except ReferenceDataError as exc:
            raise CommandError(f"{path}: {exc}. Nothing was imported.") from exc
        result = body_import_reference(records=records)
        self.stdout.write(
            f"bodies: {len(records)} in the list, {result.bodies_created} created, "
            f"{result.bodies_updated} updated; population figures: {result.figures_created} "
            f"created, {result.figures_updated} updated"
        )
        bodies = self._selection(opts)
        if bodies is None:
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  provisioned {done}/{total}")

        outcome = body_provision(bodies=bodies, progress=progress)
        self.stdout.write(
            f"provisioned {len(outcome.provisioned)} bodies ({outcome.already} already had a "
            f"schema) in {outcome.seconds:.1f} s"
        )

    def _selection(self, opts: dict[str, Any]) -> list[Body] | None:
        from apps.groups.models import Group

        if opts["provision_all"]:
            return list(Body.objects.order_by("code"))
        chosen: dict[str, Body] = {}
        for pref in opts["provision_prefecture"]:
            in_pref = list(Body.objects.filter(prefecture=pref))
            if not in_pref:
                raise CommandError(f"no bodies in prefecture {pref!r} (write it as in 愛知県)")
            chosen.update({b.code: b for b in in_pref})
        for name in opts["provision_group"]:
            group = Group.objects.filter(name=name).first()
            if group is None:
                raise CommandError(f"no group named {name!r}")
            for b in Body.objects.filter(memberships__group=group, memberships__left_on=None):
                chosen[b.code] = b
        codes = [c.strip() for c in opts["provision_codes"].split(",") if c.strip()]
        if codes:
            found = {b.code: b for b in Body.objects.filter(code__in=codes)}
            missing = sorted(set(codes) - set(found))
            if missing:
                raise CommandError(f"unknown body codes: {', '.join(missing)}")
            chosen.update(found)
        if not (
            opts["provision_all"]
            or opts["provision_prefecture"]
            or opts["provision_group"]
            or codes
        ):
            return None
        return [chosen[c] for c in sorted(chosen)]
