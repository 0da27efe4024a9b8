"""The fiscal-year run against inserting the same rows with COPY, at growing sizes (issue #15).

    .venv/bin/python -m bench.run [--sizes 200:5000,600:5000,1788:5000,1788:20000,1788:100000]
                                  [--rounds 3]

For each size (bodies:contracts) on a fresh portal_bench: the first N bodies in one council with
10 joint services (every body in each), and C usage contracts among them (500 listings of 50
vendors). The whole run goes through a real Celery worker (2 prefork processes): wall time from
start to finished, and the peak resident memory (VmHWM) of each worker process. Then, in the same
process and database, the invoices, lines and burden shares the run wrote are inserted again
with one COPY per table (in a transaction rolled back afterwards): the floor of what writing
those rows costs (the burden shares the run also writes are left out of it). Each size is
measured --rounds times (the run's rows removed in between, a new worker each time); prints
each round, the median run time and the median ratio (target: at most 4x), a bulk_create of
the same rows once for scale, and the memory (target: under 250 MiB), so the growth with
bodies and with contracts can be read off.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench._common import ROOT, use_bench_database
from bench.datasets import council_with_services, import_bodies, vendors_listings_contracts

FY = 2026
QUEUE = "bench-run"


def build(bodies_n: int, contracts_n: int) -> None:
    bodies = import_bodies()[:bodies_n]
    rng = random.Random(2026)
    council_with_services(rng=rng, fiscal_year=FY, bodies=bodies)
    vendors_listings_contracts(rng=rng, fiscal_year=FY, bodies=bodies, contracts=contracts_n)


def peak_rss_mib(pid: int) -> list[float]:
    """VmHWM of the worker's main process and of each child, in MiB."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    peaks = []
    for p in pids:
        status = Path(f"/proc/{p}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return peaks


def run_through_worker(url: str, attempt: int = 1) -> tuple[float, list[float]]:
    """Start the national run of FY through a new worker and wait until `attempt` finishes:
    the seconds it took and the peak memory of each worker process."""
    from apps.invoicing.models import InvoiceRun
    from apps.invoicing.tasks import start_run
    from config.celery import app

    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    app.control.purge()
    (ROOT / ".data").mkdir(exist_ok=True)
    log = (ROOT / ".data" / "bench-run-worker.log").open("ab")  # its banner and warnings
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
            QUEUE,
            "-n",
            "benchrun@localhost",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=["benchrun@localhost"], timeout=0.5):
            if time.monotonic() > deadline:
                raise RuntimeError("worker did not start")
        started = time.perf_counter()
        start_run.apply_async((FY,), queue=QUEUE)
        while True:
            run = InvoiceRun.objects.filter(fiscal_year=FY, group__isnull=True).first()
            if run and run.attempt == attempt and run.status == "finished" and run.units_total:
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        return elapsed, peak_rss_mib(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


def copy_same_rows() -> tuple[float, int, int, int]:
    """COPY the run's invoices and lines again (new keys), then roll back. The run also writes
    a burden share per member and service, which this floor leaves out."""
    from django.db import connection, transaction

    tables = {
        "invoicing_invoice": "id",
        "invoicing_invoiceline": "id",
    }
    columns = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = 'public' AND column_name <> 'id' ORDER BY ordinal_position",
                [table],
            )
            columns[table] = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT * FROM invoicing_invoice ORDER BY id")
        names = [c.name for c in cursor.description]
        invoices = cursor.fetchall()
        cursor.execute("SELECT * FROM invoicing_invoiceline ORDER BY id")
        line_names = [c.name for c in cursor.description]
        lines = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM invoicing_burdenshare")
        (shares,) = cursor.fetchone()
    raw = connection.connection  # psycopg 3
    started = time.perf_counter()
    with transaction.atomic():
        with raw.cursor() as cur:
            cur.execute("SELECT max(id) FROM invoicing_invoice")
            offset = cur.fetchone()[0] + 1_000_000
            cols = ["id", *columns["invoicing_invoice"]]
            with cur.copy(f"COPY invoicing_invoice ({', '.join(cols)}) FROM STDIN") as copy:
                for row in invoices:
                    record = dict(zip(names, row, strict=True))
                    record["id"] += offset
                    record["source_key"] = f"copy:{record['source_key']}"
                    record["sequence"] = None
                    copy.write_row([_db(record[c]) for c in cols])
            cols = columns["invoicing_invoiceline"]
            with cur.copy(f"COPY invoicing_invoiceline ({', '.join(cols)}) FROM STDIN") as copy:
                for row in lines:
                    record = dict(zip(line_names, row, strict=True))
                    record["invoice_id"] += offset
                    record["burden_share_id"] = None
                    copy.write_row([_db(record[c]) for c in cols])
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, len(invoices), len(lines), shares


def bulk_create_same_rows() -> float:
    """The same invoices and lines through bulk_create (as Django objects, batches of 1,000
    and 2,000, as the run's own saving does), then roll back."""
    from django.db import transaction

    from apps.invoicing.models import Invoice, InvoiceLine

    invoices = list(Invoice.objects.order_by("pk").values())
    lines = list(InvoiceLine.objects.order_by("pk").values())
    started = time.perf_counter()
    with transaction.atomic():
        made = []
        for row in invoices:
            row = {**row, "source_key": f"copy:{row['source_key']}", "sequence": None}
            row.pop("id")
            made.append(Invoice(**row))
        Invoice.objects.bulk_create(made, batch_size=1000)
        new_id = {old["id"]: new.pk for old, new in zip(invoices, made, strict=True)}
        copies = []
        for row in lines:
            row = {**row, "invoice_id": new_id[row["invoice_id"]], "burden_share_id": None}
            row.pop("id")
            copies.append(InvoiceLine(**row))
        InvoiceLine.objects.bulk_create(copies, batch_size=2000)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def _db(value):  # type: ignore[no-untyped-def]
    from psycopg.types.json import Jsonb

    return Jsonb(value) if isinstance(value, dict | list) else value


def clear_run() -> None:
    """Remove what a run wrote, so that the next attempt does the whole work again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE invoicing_invoiceline, invoicing_burdenshare, invoicing_rununit, "
            "invoicing_invoicerun, invoicing_invoice CASCADE"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200:5000,600:5000,1788:5000,1788:20000,1788:100000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",")]
    print(
        "fiscal-year run through a real Celery worker (2 processes) vs COPY of the same rows, "
        f"{args.rounds} rounds per size (the run's rows removed between rounds), medians:"
    )
    results = []
    for bodies_n, contracts_n in sizes:
        url = use_bench_database()
        build(bodies_n, contracts_n)
        rounds = []
        for r in range(args.rounds):
            if r:
                clear_run()
            elapsed, peaks = run_through_worker(url)
            copied, invoices, lines, shares = copy_same_rows()
            rounds.append((elapsed, copied, peaks))
            print(
                f"      round {r + 1}: run {elapsed:6.1f} s | COPY {copied:5.2f} s: "
                f"{elapsed / copied:4.1f}x | worker peak {max(peaks[1:] or peaks):.0f} MiB"
            )
        bulk = bulk_create_same_rows()  # once: the slower reference, for scale
        elapsed = statistics.median(e for e, _, _ in rounds)
        ratio = statistics.median(e / c for e, c, _ in rounds)
        peaks = max((p for _, _, p in rounds), key=lambda p: max(p[1:] or p))
        results.append((bodies_n, contracts_n, elapsed, ratio, bulk, peaks))
        print(
            f"  {bodies_n:>5,} bodies, {contracts_n:>7,} contracts: {invoices:>7,} invoices, "
            f"{lines:>7,} lines (and {shares:,} burden shares)\n"
            f"      median run {elapsed:6.1f} s, {ratio:4.1f}x COPY | bulk_create {bulk:5.2f} s "
            f"(last round's run {rounds[-1][0] / bulk:4.1f}x) | worker peak "
            f"{max(peaks[1:] or peaks):.0f} MiB per process (main {peaks[0]:.0f} MiB)"
        )
    worst = max(r[3] for r in results)
    print(
        f"  largest median ratio over the sizes: {worst:.1f}x COPY (target: at most 4x); "
        f"largest worker process {max(max(r[5][1:] or r[5]) for r in results):.0f} MiB "
        "(target: under 250 MiB)"
    )


if __name__ == "__main__":
    main()
