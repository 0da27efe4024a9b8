from __future__ import annotations

from celery import shared_task
from django_tenants.utils import schema_context

from apps.training.services import promoted_notify


@shared_task(name="training.notify_promoted", acks_late=True, soft_time_limit=60, time_limit=90)
def notify_promoted(schema_name: str, seat_id: int) -> bool:
    """Runs in the promoted person's body schema, where their e-mail address is."""
    with schema_context(schema_name):
        return promoted_notify(seat_id=seat_id)
