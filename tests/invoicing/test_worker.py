"""The fiscal-year run through real Celery worker processes (Redis broker, the test database):
a re-run creates nothing twice; a worker killed with SIGKILL mid-run is finished by running
again, with no duplicate and no missing invoice; two starts at once do the work once.

The data must be committed for the workers to see it, so these tests are not wrapped in a
transaction; they delete what they made at the end."""

from __future__ import annotations

import os
import signal
import time
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apps.invoicing.models import Invoice, InvoiceLine, InvoiceRun
from apps.invoicing.services.run import unit_lock_key
from apps.invoicing.tasks import start_run
from tests.conftest import EXTRA_CONTRACTS, spawn_worker, stop_worker
from tests.invoicing.conftest import FY

pytestmark = pytest.mark.worker


def _wait(predicate, seconds: float = 90) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _run() -> InvoiceRun | None:
    """The national run of the year (the one the command and beat start)."""
    return InvoiceRun.objects.filter(fiscal_year=FY, group__isnull=True).first()


def _waiting_on_advisory_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return int(cursor.fetchone()[0])


def _assert_complete(expected: int) -> None:
    keys = list(Invoice.objects.values_list("source_key", flat=True))
    assert len(keys) == len(set(keys)) == expected
    # every usage contract starts this year: a fee line and an initial-fee line each
    assert InvoiceLine.objects.filter(invoice__kind="usage").count() == (EXTRA_CONTRACTS + 1) * 2
    assert (
        sum(Invoice.objects.filter(kind="burden").values_list("total_yen", flat=True)) == 12_000_000
    )


def test_the_command_runs_on_a_worker_and_a_rerun_creates_nothing(
    committed_billing, celery_worker_process, django_db_blocker
) -> None:
    _, expected = committed_billing
    with django_db_blocker.unblock():
        out = StringIO()
        call_command("generate_invoices", fiscal_year=FY, stdout=out, timeout=120)
        assert "finished in" in out.getvalue()
        assert f"{expected} created, 0 updated, 0 unchanged, 0 problems" in out.getvalue()
        _assert_complete(expected)
        out = StringIO()
        call_command("generate_invoices", fiscal_year=FY, stdout=out, timeout=120)
        assert f"0 created, 0 updated, {expected} unchanged" in out.getvalue()
        _assert_complete(expected)
        assert _run().attempt == 2


def test_a_worker_killed_mid_run_is_finished_by_running_again(
    committed_billing, django_db_blocker, tmp_path
) -> None:
    _, expected = committed_billing
    queue = f"invoicing-{uuid.uuid4().hex[:6]}"
    env = {"INVOICE_USAGE_CHUNK": "1", "INVOICE_RUN_STALE_SECONDS": "2"}
    with django_db_blocker.unblock():
        # The test holds the lock of the 11th usage unit: the worker (one unit at a time, in the
        # order they were sent: the burden unit, then usage:0, usage:1, ...) finishes eleven
        # units and then waits on that lock, inside its transaction, until it is killed.
        held = unit_lock_key(FY, "usage:10")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", held)
        first = spawn_worker(tmp_path / "w1.log", queue=queue, env=env)
        try:
            start_run.apply_async((FY,), queue=queue)
            assert _wait(lambda: _waiting_on_advisory_lock() == 1)
            assert _run().units_done == 11
        finally:
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", held)
        run = _run()
        assert run.status == "running"
        assert (run.units_done, run.units_total) == (11, EXTRA_CONTRACTS + 2)
        # whatever the killed worker left: units still queued run on the next worker; the unit it
        # was in the middle of rolled back and stays pending until the run is started again
        second = spawn_worker(tmp_path / "w2.log", queue=queue, env=env)
        try:
            # the next worker drains what was still queued; then the attempt goes quiet (its
            # heartbeat older than INVOICE_RUN_STALE_SECONDS) and the run is started again
            assert _wait(
                lambda: (timezone.now() - _run().heartbeat_at).total_seconds() > 2.5, seconds=60
            )
            start_run.apply_async((FY,), queue=queue)
            assert _wait(lambda: (r := _run()).attempt == 2 and r.status == "finished")
        finally:
            stop_worker(second)
        _assert_complete(expected)
        assert Invoice.objects.count() == expected


def test_two_starts_at_once_do_the_work_once(
    committed_billing, django_db_blocker, tmp_path
) -> None:
    _, expected = committed_billing
    queue = f"invoicing-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock():
        worker = spawn_worker(
            tmp_path / "w.log", queue=queue, pool="prefork", env={"INVOICE_USAGE_CHUNK": "10"}
        )
        try:
            results = [start_run.apply_async((FY,), queue=queue) for _ in range(2)]
            dispatched = sorted(r.get(timeout=60) for r in results)
            assert _wait(lambda: (r := _run()) is not None and r.status == "finished")
        finally:
            stop_worker(worker)
        run = _run()
        assert dispatched == [0, run.units_total]  # one start planned the units, one did not
        assert (run.attempt, run.invoices_created) == (1, expected)
        _assert_complete(expected)
