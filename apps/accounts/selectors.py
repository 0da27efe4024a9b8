from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.accounts.viewer import Viewer


def staff_list(*, viewer: Viewer) -> QuerySet[User]:
    """The body's staff, for its local administrator only (the query runs in the body's schema)."""
    if not viewer.is_body_admin:
        return User.objects.none()
    return User.objects.order_by("username")
