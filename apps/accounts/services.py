"""Writes for users."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from apps.accounts.auth import role_allowed_here
from apps.accounts.models import BODY_ROLES, Role, User
from apps.accounts.viewer import Viewer
from apps.core.errors import ApplicationError, NotFound
from apps.core.services import audit_record


def user_create(
    *, viewer: Viewer, username: str, full_name: str, role: str, password: str, email: str = ""
) -> User:
    """The operator (or the platform) creates a user in the current schema. The role must be
    one that belongs to this site: body roles in a body's schema, secretariat, vendor and
    operator roles in the public schema."""
    viewer.require_operator()
    return _user_create(
        actor=viewer.actor,
        username=username,
        full_name=full_name,
        role=role,
        password=password,
        email=email,
    )


@transaction.atomic
def _user_create(
    *, actor: Any, username: str, full_name: str, role: str, password: str, email: str = ""
) -> User:
    errors: dict[str, list[str]] = {}
    username = username.strip()
    if not username:
        errors["username"] = ["ログインIDを入力してください。"]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [
            f"ログインID「{username}」はすでに使われています。別のIDにしてください。"
        ]
    if not full_name.strip():
        errors["full_name"] = ["氏名を入力してください。"]
    if not role_allowed_here(role):
        errors["role"] = ["この画面では作成できない役割です。"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["メールアドレスの形式が正しくありません。"]
    candidate = User(username=username, full_name=full_name.strip(), role=role, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ApplicationError(
            "入力内容に誤りがあります。各項目のメッセージを確認してください。",
            "invalid_user",
            fields=errors,
        )
    candidate.set_password(password)
    candidate.save()
    audit_record(actor=actor, action="user.created", target=candidate, data={"role": role})
    return candidate


def staff_create(
    *, viewer: Viewer, username: str, full_name: str, role: str, password: str, email: str = ""
) -> User:
    """A body's local administrator adds a member of staff to the body."""
    viewer.require_body_admin()
    if role not in BODY_ROLES:
        raise ApplicationError(
            "職員の役割は「職員」か「団体管理者」を選んでください。",
            "invalid_role",
            fields={"role": ["body role required"]},
        )
    return _user_create(
        actor=viewer.user,
        username=username,
        full_name=full_name,
        role=role,
        password=password,
        email=email,
    )


@transaction.atomic
def finance_role_set(*, viewer: Viewer, staff_id: int, on: bool) -> User:
    """The body's administrator gives (or takes back) a member of staff the finance role: who
    may see the body's budget outlook."""
    viewer.require_body_admin()
    user = User.objects.filter(pk=staff_id, role=Role.BODY_STAFF).first()
    if user is None:
        raise NotFound("この職員は見つかりません。", "staff_not_found")
    user.finance_role = on
    user.save(update_fields=["finance_role"])
    audit_record(actor=viewer.user, action="staff.finance_role", target=user, data={"on": on})
    return user
