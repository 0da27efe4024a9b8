"""A training session (and its programme) for the tests that need one: a month ahead unless
said otherwise, applications open until five days before, cancellations until two."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from apps.training.models import Programme, Seat, Session
from tests.clock import FY


def session_for(
    group: Any, *, title: str, capacity: int = 5, days_ahead: int = 30, venue: str = "県庁"
) -> Session:
    programme = Programme.objects.create(group=group, fiscal_year=FY, title=title, kind="security")
    starts = (timezone.now() + dt.timedelta(days=days_ahead)).replace(second=0, microsecond=0)
    return Session.objects.create(
        programme=programme,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=capacity,
        application_deadline=starts - dt.timedelta(days=5),
        cancellation_deadline=starts - dt.timedelta(days=2),
        venue=venue,
    )


def confirmed_seat(session: Session, portal: Any, *, slug: str, user_key: str, name: str) -> Seat:
    return Seat.objects.create(
        session=session,
        body=portal.bodies[slug],
        staff_id=portal.users[user_key].pk,
        participant_name=name,
        status="confirmed",
    )
