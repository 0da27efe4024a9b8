"""Who is asking, and from which site: the one object every selector scopes by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.accounts.models import Role
from apps.core.errors import PermissionDenied
from apps.tenants.models import Body


@dataclass(frozen=True)
class Viewer:
    user: Any  # apps.accounts.models.User (of the current schema) or AnonymousUser
    body: Body | None  # the body whose site this is; None on the public site
    # The platform itself, acting for the operator: set-up commands, the reference import and
    # the demo loader (system_viewer()). Never a request.
    system: bool = False

    @property
    def actor(self) -> Any:
        """Who the audit log names: the user, or None for the platform itself."""
        return self.user if getattr(self.user, "is_authenticated", False) else None

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

    # Permissions: each refuses with the one message of its role (a 403).

    def require_body_user(self) -> Body:
        return require_body_user(self)

    def require_body_admin(self) -> Body:
        return require_body_admin(self)

    def require_finance(self) -> Body:
        """The body, for its administrator or a member of staff with the finance role."""
        body = self.require_body_user()
        if not (self.is_body_admin or getattr(self.user, "finance_role", False)):
            raise refusal("finance")
        return body

    def require_secretariat(self) -> None:
        require_secretariat(self)

    def require_vendor(self) -> None:
        require_vendor(self)

    def require_issuer(self) -> None:
        require_issuer(self)

    def require_secretariat_or_operator(self) -> None:
        require_secretariat_or_operator(self)

    def require_operator(self) -> None:
        require_operator(self)


def system_viewer() -> Viewer:
    """The platform acting on its own (set-up, imports, the demo): an operator's rights and no
    user in the audit log."""
    from django.contrib.auth.models import AnonymousUser

    return Viewer(user=AnonymousUser(), body=None, system=True)


def viewer_from_request(request: Any) -> Viewer:
    return Viewer(user=request.user, body=getattr(request, "tenant", None))


# One message per role: what the action needs, said the same way everywhere.
_REFUSALS = {
    "body_user": (
        "この操作は団体の職員だけが行えます。所属団体のアドレスからログインしてください。",
        "not_body_user",
    ),
    "body_admin": ("この操作は団体管理者だけが行えます。", "not_body_admin"),
    "finance": (
        "予算の見通しは団体管理者と財政・予算担当の職員だけが見られます。"
        "団体管理者に担当の設定を依頼してください。",
        "not_finance_staff",
    ),
    "secretariat": ("この操作は協議会・研究会の事務局だけが行えます。", "not_secretariat"),
    "vendor": ("この操作は事業者の担当者だけが行えます。", "not_vendor_user"),
    "issuer": ("この操作は請求する側 (事務局・事業者) だけが行えます。", "not_issuer"),
    "operator": ("この操作は運営者だけが行えます。", "not_operator"),
    "secretariat_or_operator": (
        "この操作は事務局 (または運営者) だけが行えます。",
        "not_secretariat",
    ),
}


def refusal(role: str) -> PermissionDenied:
    message, code = _REFUSALS[role]
    return PermissionDenied(message, code)


def require_body_user(viewer: Viewer) -> Body:
    """The viewer's body, when the viewer is its staff (staff or administrator); else 403."""
    if not viewer.is_body_user or viewer.body is None:
        raise refusal("body_user")
    return viewer.body


def require_body_admin(viewer: Viewer) -> Body:
    if not viewer.is_body_admin or viewer.body is None:
        raise refusal("body_admin")
    return viewer.body


def require_secretariat(viewer: Viewer) -> None:
    if not viewer.is_secretariat:
        raise refusal("secretariat")


def require_vendor(viewer: Viewer) -> None:
    if not viewer.is_vendor:
        raise refusal("vendor")


def require_issuer(viewer: Viewer) -> None:
    """A secretariat (burden invoices) or a vendor (usage invoices)."""
    if not (viewer.is_secretariat or viewer.is_vendor):
        raise refusal("issuer")


def require_secretariat_or_operator(viewer: Viewer) -> None:
    if not (viewer.is_secretariat or viewer.is_operator):
        raise refusal("secretariat_or_operator")


def require_operator(viewer: Viewer) -> None:
    """The operator (or the platform itself): set-up of groups, vendors and users."""
    if not (viewer.is_operator or viewer.system):
        raise refusal("operator")
