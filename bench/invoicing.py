"""Invoicing figures, printed (not asserted).

    .venv/bin/python -m bench.invoicing

On portal_bench: all 1,788 bodies in one council running 10 joint services, and 20,000 usage
contracts (50 vendors, 500 listings). Prints: the time to apportion one service among 1,788
members; the SQL queries of one unit at two sizes (they must not grow per body); and the full
fiscal-year run through a real Celery worker (2 prefork processes): wall time and the worker's
peak memory.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from bench._common import ROOT, use_bench_database
from bench.datasets import council_with_services, import_bodies, vendors_listings_contracts

FY = 2026


def build(bodies: list) -> None:  # type: ignore[type-arg]
    rng = random.Random(2026)
    started = time.perf_counter()
    council_with_services(rng=rng, fiscal_year=FY, bodies=bodies)
    print(
        f"setup: council of {len(bodies):,} members, 10 joint services in "
        f"{time.perf_counter() - started:.1f} s"
    )
    vendors_listings_contracts(rng=rng, fiscal_year=FY, bodies=bodies)


def apportion_timing() -> None:
    from apps.invoicing.domain.apportionment import Member, Method, apportion
    from apps.tenants.models import PopulationFigure

    members = [
        Member(code, population)
        for code, population in PopulationFigure.objects.filter(source="census-2020").values_list(
            "body__code", "population"
        )
    ]
    times = []
    for _ in range(21):
        t = time.perf_counter()
        apportion(1_234_567_890, members, Method(equal_part=Decimal("0.2")))
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"\napportion one service among {len(members):,} members: median "
        f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms (21 runs)"
    )


def query_counts() -> None:
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from apps.invoicing.models import InvoiceRun, RunUnit
    from apps.invoicing.services.run import invoice_unit_process, plan_units

    print("\nSQL queries of one unit (in-process, rolled back):")
    for burden_chunk, usage_chunk in ((50, 100), (200, 500)):
        settings.INVOICE_BURDEN_CHUNK = burden_chunk
        settings.INVOICE_USAGE_CHUNK = usage_chunk
        units = plan_units(FY)
        burden = next(p for k, p in units if k.startswith("burden"))
        usage = next(p for k, p in units if k.startswith("usage"))
        for label, payload, size in (
            ("burden unit", burden, len(burden["bodies"])),
            ("usage unit", usage, len(usage["contracts"])),
        ):
            with transaction.atomic():
                run = InvoiceRun.objects.create(fiscal_year=FY, attempt=1, units_total=1)
                unit = RunUnit.objects.create(run=run, attempt=1, key="bench", payload=payload)
                with CaptureQueriesContext(connection) as ctx:
                    invoice_unit_process(unit_id=unit.pk)
                transaction.set_rollback(True)
            noun = "members" if label.startswith("burden") else "contracts"
            print(f"  {label:<12} of {size:>3} {noun:<9}: {len(ctx.captured_queries):>3} queries")
    settings.INVOICE_BURDEN_CHUNK = 200
    settings.INVOICE_USAGE_CHUNK = 500


def peak_rss_kb(pid: int) -> int:
    """Peak resident memory (VmHWM) of a process and its children."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        status = Path(f"/proc/{p}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total


def full_run(url: str) -> None:
    from apps.invoicing.models import Invoice, InvoiceLine, InvoiceRun
    from apps.invoicing.tasks import start_run
    from config.celery import app

    queue = "bench-invoicing"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "-Q",
            queue,
            "-n",
            "bench@localhost",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=["bench@localhost"], timeout=0.5):
            if time.monotonic() > deadline:
                raise RuntimeError("worker did not start")
        started = time.perf_counter()
        start_run.apply_async((FY,), queue=queue)
        while True:
            run = InvoiceRun.objects.filter(fiscal_year=FY, group__isnull=True).first()
            if run and run.status == "finished" and run.units_total:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        peak = peak_rss_kb(worker.pid)
        print(
            f"\nfull fiscal-year run through a real worker (2 processes): {elapsed:.1f} s, "
            f"{run.units_total} units, {run.invoices_created:,} invoices and "
            f"{InvoiceLine.objects.count():,} lines created, {len(run.problems)} problems"
        )
        print(f"  worker peak memory (VmHWM, main + 2 children): {peak / 1024:.0f} MiB")
        print(
            f"  burden invoices: {Invoice.objects.filter(kind='burden').count():,}, "
            f"usage invoices: {Invoice.objects.filter(kind='usage').count():,}"
        )
        started = time.perf_counter()
        start_run.apply_async((FY,), queue=queue)
        time.sleep(0.5)
        while True:
            run = InvoiceRun.objects.get(fiscal_year=FY, group__isnull=True)
            if run.attempt == 2 and run.status == "finished":
                break
            time.sleep(0.2)
        print(
            f"  running it again: {time.perf_counter() - started:.1f} s, "
            f"{run.invoices_created} created, {run.invoices_unchanged:,} unchanged"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    url = use_bench_database()
    bodies = import_bodies()
    build(bodies)
    apportion_timing()
    query_counts()
    full_run(url)


if __name__ == "__main__":
    main()
