from __future__ import annotations

from typing import Any

from django.db import models

from apps.core.models import AuditEvent
from apps.core.schemas import current_schema


def audit_record(
    *, actor: Any, action: str, target: models.Model | None, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Write the event row every state change leaves. `actor` is a user or None (the system)."""
    return AuditEvent.objects.create(
        schema=current_schema(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
