"""Who is asking, and from which site: the one object every selector scopes by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.accounts.models import Role
from apps.tenants.models import Body


@dataclass(frozen=True)
class Viewer:
    user: Any  # apps.accounts.models.User (of the current schema) or AnonymousUser
    body: Body | None  # the body whose site this is; None on the public site

    @property
    def role(self) -> str | None:
        return getattr(self.user, "role", None) if self.user.is_authenticated else None

    @property
    def is_body_user(self) -> bool:
        return self.body is not None and self.role in (Role.BODY_STAFF, Role.BODY_ADMIN)

    @property
    def is_body_admin(self) -> bool:
        return self.body is not None and self.role == Role.BODY_ADMIN

    @property
    def is_secretariat(self) -> bool:
        return self.body is None and self.role == Role.SECRETARIAT

    @property
    def is_vendor(self) -> bool:
        return self.body is None and self.role == Role.VENDOR

    @property
    def is_operator(self) -> bool:
        return self.body is None and self.role == Role.OPERATOR


def viewer_from_request(request: Any) -> Viewer:
    return Viewer(user=request.user, body=getattr(request, "tenant", None))
