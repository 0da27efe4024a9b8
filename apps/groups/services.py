"""Writes for groups: creating them, adding and ending memberships, naming secretariat staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from apps.accounts.models import Role
from apps.core.errors import ApplicationError
from apps.core.services import audit_record
from apps.groups.models import Group, GroupKind, Membership, SecretariatStaff
from apps.tenants.models import Body


@transaction.atomic
def group_create(
    *, actor: Any, name: str, kind: str, secretariat: Body, description: str = ""
) -> Group:
    if kind not in GroupKind.values:
        raise ApplicationError(
            "種別は協議会か研究会を選んでください。",
            "invalid_group_kind",
            fields={"kind": ["unknown kind"]},
        )
    if Group.objects.filter(name=name).exists():
        raise ApplicationError(
            f"「{name}」という名称の協議会・研究会はすでにあります。",
            "group_name_taken",
            fields={"name": ["taken"]},
        )
    group = Group.objects.create(
        name=name, kind=kind, secretariat=secretariat, description=description
    )
    audit_record(actor=actor, action="group.created", target=group, data={"name": name})
    return group


@transaction.atomic
def membership_add(*, actor: Any, group: Group, body: Body, joined_on: dt.date) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(group=group, body=body, joined_on=joined_on)
    except IntegrityError as exc:
        raise ApplicationError(
            f"{body.name}はすでに{group.name}の構成団体です。", "already_member"
        ) from exc
    audit_record(
        actor=actor,
        action="membership.added",
        target=membership,
        data={"group": group.pk, "body": body.code, "joined_on": str(joined_on)},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, left_on: dt.date) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ApplicationError("この団体はすでに脱退しています。", "already_left")
    if left_on < membership.joined_on:
        raise ApplicationError(
            "脱退日は加入日より後の日付にしてください。",
            "left_before_joined",
            fields={"left_on": ["before joined_on"]},
        )
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit_record(
        actor=actor, action="membership.ended", target=membership, data={"left_on": str(left_on)}
    )
    return membership


@transaction.atomic
def secretariat_staff_add(*, actor: Any, group: Group, user: Any) -> SecretariatStaff:
    if user.role != Role.SECRETARIAT:
        raise ApplicationError(
            "事務局の役割を持つ利用者だけを事務局職員にできます。", "not_secretariat_user"
        )
    staff, created = SecretariatStaff.objects.get_or_create(group=group, user=user)
    if created:
        audit_record(
            actor=actor,
            action="secretariat_staff.added",
            target=staff,
            data={"group": group.pk, "user": user.pk},
        )
    return staff
