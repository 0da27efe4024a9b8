"""Invoicing figures, printed (not asserted).

    .venv/bin/python -m bench.invoicing

On portal_bench: all 1,788 bodies in one council running 10 joint services, and 20,000 usage
contracts (50 vendors, 500 listings). Prints: the time to apportion one service among 1,788
members; the SQL queries of one unit at two sizes (they must not grow per body); and the full
fiscal-year run through a real Celery worker (2 prefork processes): wall time and the worker's
peak memory.
"""

from __future__ import annotations

import random
import statistics
import time
from decimal import Decimal

from bench._common import use_bench_database
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


def full_run(url: str) -> None:
    from apps.invoicing.models import Invoice, InvoiceLine, InvoiceRun
    from bench.run import run_through_worker

    elapsed, peaks = run_through_worker(url)
    run = InvoiceRun.objects.get(fiscal_year=FY, group__isnull=True)
    print(
        f"\nfull fiscal-year run through a real worker (2 processes): {elapsed:.1f} s, "
        f"{run.units_total} units, {run.invoices_created:,} invoices and "
        f"{InvoiceLine.objects.count():,} lines created, {len(run.problems)} problems"
    )
    print(f"  worker peak memory (VmHWM, main + 2 children): {sum(peaks):.0f} MiB")
    print(
        f"  burden invoices: {Invoice.objects.filter(kind='burden').count():,}, "
        f"usage invoices: {Invoice.objects.filter(kind='usage').count():,}"
    )
    elapsed, _ = run_through_worker(url, attempt=2)
    run = InvoiceRun.objects.get(fiscal_year=FY, group__isnull=True)
    print(
        f"  running it again: {elapsed:.1f} s, {run.invoices_created} created, "
        f"{run.invoices_unchanged:,} unchanged"
    )


def main() -> None:
    url = use_bench_database()
    bodies = import_bodies()
    build(bodies)
    apportion_timing()
    query_counts()
    full_run(url)


if __name__ == "__main__":
    main()
