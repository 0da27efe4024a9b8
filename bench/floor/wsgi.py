"""The floor of a training application (issue #15): the portal exactly as it is served
(config.wsgi: host routing, every middleware, token authentication, DRF, the input and output
serializers), with the application's service replaced by one that reads and writes nothing and
returns an unsaved seat. What it serves per second is what the stack alone allows, so
bench/training.py can print how far the real service is from it. Benchmark only: never served.
"""

from __future__ import annotations

from typing import Any

from config.wsgi import application

__all__ = ["application"]


def _replace_the_service() -> None:
    # imported here: the models load only once config.wsgi has set Django up
    from django.utils import timezone

    from apps.training import apis
    from apps.training.models import Seat, SeatStatus

    def seat_nothing(*, viewer: Any, session_id: int, staff_id: int | None = None) -> Seat:
        """No lock, no count, no row: the seat the response shows, never saved."""
        return Seat(
            id=0,
            session_id=session_id,
            body=viewer.body,
            staff_id=viewer.user.pk,
            participant_name=viewer.user.full_name,
            status=SeatStatus.CONFIRMED,
            applied_at=timezone.now(),
        )

    apis.seat_apply = seat_nothing


_replace_the_service()
