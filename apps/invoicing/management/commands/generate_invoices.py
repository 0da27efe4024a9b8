"""Start the fiscal year's invoice run on the Celery workers and follow its progress.

manage.py generate_invoices --fiscal-year 2026 [--no-wait] [--timeout 600]
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.core.domain.fiscal import fiscal_year_label
from apps.invoicing.models import InvoiceRun, RunStatus
from apps.invoicing.tasks import start_run


class Command(BaseCommand):
    help = "Generate the fiscal year's draft invoices (burden charges and usage fees) on Celery."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--fiscal-year",
            type=int,
            required=True,
            help="the year the fiscal year starts in (2026 = 令和8年度)",
        )
        parser.add_argument("--no-wait", action="store_true", help="enqueue and return")
        parser.add_argument("--timeout", type=int, default=600)

    def handle(self, *args: Any, **opts: Any) -> None:
        fy = opts["fiscal_year"]
        if not 2000 <= fy <= 2100:
            raise CommandError(f"--fiscal-year {fy}: give the year the fiscal year starts in")
        started = time.monotonic()
        result = start_run.delay(fy, started_by="command")
        self.stdout.write(f"{fiscal_year_label(fy)} ({fy}): run enqueued (task {result.id})")
        if opts["no_wait"]:
            return
        last = None
        while time.monotonic() - started < opts["timeout"]:
            run = InvoiceRun.objects.filter(fiscal_year=fy, group__isnull=True).first()
            if run is not None:
                line = f"  attempt {run.attempt}: {run.units_done}/{run.units_total} units"
                if line != last:
                    self.stdout.write(line)
                    last = line
                if run.status == RunStatus.FINISHED and result.ready():
                    self.stdout.write(
                        f"finished in {time.monotonic() - started:.1f} s: "
                        f"{run.invoices_created} created, {run.invoices_updated} updated, "
                        f"{run.invoices_unchanged} unchanged, {len(run.problems)} problems"
                    )
                    for p in run.problems[:20]:
                        self.stdout.write(f"  {p['body']} {p.get('name', '')}: {p['reason']}")
                    return
            time.sleep(0.5)
        raise CommandError(
            "the run did not finish in time: is a Celery worker running? "
            "(`make demo` starts one; or `celery -A config worker`)"
        )
