from __future__ import annotations

from celery import shared_task

from apps.surveys.services import notice_send, reminders_send


@shared_task(name="surveys.send_reminders", acks_late=True, soft_time_limit=600, time_limit=660)
def send_reminders(survey_id: int | None = None) -> int:
    """Daily (beat) for surveys 7, 3 and 1 day(s) before their deadline, or one survey on the
    secretariat's request. Idempotent: a body is reminded at most once a day per survey."""
    return reminders_send(survey_id=survey_id)


@shared_task(name="surveys.notify", acks_late=True, soft_time_limit=600, time_limit=660)
def notify(kind: str, object_id: int) -> int:
    return notice_send(kind=kind, object_id=object_id)
