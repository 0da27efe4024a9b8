from __future__ import annotations

from celery import shared_task

from apps.contracts.services import contracts_close_ended


@shared_task(name="contracts.close_ended", acks_late=True, soft_time_limit=60, time_limit=90)
def close_ended() -> int:
    return contracts_close_ended()
