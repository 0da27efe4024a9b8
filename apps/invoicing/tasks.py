"""Thin tasks: ids in, one service call, explicit names and time limits, acks_late (a task
whose worker dies is delivered again; every unit is idempotent)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from apps.core.domain.fiscal import fiscal_year_of
from apps.invoicing.services.run import invoice_run_start, invoice_unit_process


@shared_task(
    name="invoicing.start_run", bind=True, acks_late=True, soft_time_limit=120, time_limit=150
)
def start_run(  # type: ignore[no-untyped-def]
    self, fiscal_year: int, started_by: str = "", group_id: int | None = None
) -> int:
    run, unit_ids = invoice_run_start(
        fiscal_year=fiscal_year, group_id=group_id, started_by=started_by
    )
    # The units go to the queue the run was started on, so workers can be set aside for runs.
    queue = (self.request.delivery_info or {}).get("routing_key") or None
    for unit_id in unit_ids:
        process_unit.apply_async((unit_id,), queue=queue)
    return len(unit_ids)


@shared_task(
    name="invoicing.process_unit",
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def process_unit(unit_id: int) -> bool:
    return invoice_unit_process(unit_id=unit_id)


@shared_task(
    name="invoicing.start_fiscal_year", acks_late=True, soft_time_limit=120, time_limit=150
)
def start_fiscal_year() -> int:
    """Celery beat, 1 April 00:00 Asia/Tokyo: the run of the fiscal year that starts today."""
    return start_run.delay(fiscal_year_of(timezone.localdate()), started_by="beat").id and 1
