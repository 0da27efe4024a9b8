"""Writes for groups: creating them, adding and ending memberships, naming secretariat staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from apps.accounts.models import Role, User
from apps.accounts.viewer import Viewer
from apps.core.domain.bounds import MAX_YEN
from apps.core.errors import ApplicationError, NotFound
from apps.core.services import audit_record
from apps.groups.models import (
    ApportionmentKind,
    Group,
    GroupKind,
    JointService,
    JointServiceYear,
    Membership,
    Participation,
    SecretariatStaff,
)
from apps.tenants.models import Body, PopulationSource


@transaction.atomic
def group_create(
    *, viewer: Viewer, name: str, kind: str, secretariat_code: str, description: str = ""
) -> Group:
    """The operator sets up a council or a research group with the body that runs it."""
    viewer.require_operator()
    secretariat = Body.objects.filter(code=secretariat_code).first()
    if secretariat is None:
        raise NotFound(f"団体コード {secretariat_code} の団体はありません。", "body_not_found")
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
    audit_record(actor=viewer.actor, action="group.created", target=group, data={"name": name})
    return group


@transaction.atomic
def membership_add(
    *, viewer: Viewer, group_id: int, body_code: str, joined_on: dt.date
) -> Membership:
    """The operator records that a body joined a group."""
    viewer.require_operator()
    group = Group.objects.filter(pk=group_id).first()
    body = Body.objects.filter(code=body_code).first()
    if group is None or body is None:
        raise NotFound("協議会・研究会か団体が見つかりません。", "not_found")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(group=group, body=body, joined_on=joined_on)
    except IntegrityError as exc:
        raise ApplicationError(
            f"{body.name}はすでに{group.name}の構成団体です。", "already_member"
        ) from exc
    audit_record(
        actor=viewer.actor,
        action="membership.added",
        target=membership,
        data={"group": group.pk, "body": body.code, "joined_on": str(joined_on)},
    )
    return membership


@transaction.atomic
def membership_end(*, viewer: Viewer, membership_id: int, left_on: dt.date) -> Membership:
    """The operator records that a body left a group."""
    viewer.require_operator()
    membership = Membership.objects.select_for_update().filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("この加入の記録は見つかりません。", "membership_not_found")
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
        actor=viewer.actor,
        action="membership.ended",
        target=membership,
        data={"left_on": str(left_on)},
    )
    return membership


@transaction.atomic
def secretariat_staff_add(*, viewer: Viewer, group_id: int, user_id: int) -> SecretariatStaff:
    """The operator makes a secretariat user one of a group's secretariat staff."""
    viewer.require_operator()
    group = Group.objects.filter(pk=group_id).first()
    user = User.objects.filter(pk=user_id).first()
    if group is None or user is None:
        raise NotFound("協議会・研究会か利用者が見つかりません。", "not_found")
    if user.role != Role.SECRETARIAT:
        raise ApplicationError(
            "事務局の役割を持つ利用者だけを事務局職員にできます。", "not_secretariat_user"
        )
    staff, created = SecretariatStaff.objects.get_or_create(group=group, user=user)
    if created:
        audit_record(
            actor=viewer.actor,
            action="secretariat_staff.added",
            target=staff,
            data={"group": group.pk, "user": user.pk},
        )
    return staff


# --- Council joint services (協議会型) -------------------------------------------------------


@dataclass(frozen=True)
class ParticipantInput:
    body_code: str
    joined_month: dt.date | None = None
    left_month: dt.date | None = None
    usage_count: int | None = None


def _secretariat_group(viewer: Viewer, group_id: int) -> Group:
    from apps.groups.selectors import group_get

    viewer.require_secretariat()
    group = group_get(viewer=viewer, group_id=group_id)
    if group.kind != GroupKind.COUNCIL:
        raise ApplicationError("共同運営システムは協議会にだけ登録できます。", "not_a_council")
    return group


@transaction.atomic
def joint_service_create(
    *, viewer: Viewer, group_id: int, name: str, description: str = ""
) -> JointService:
    group = _secretariat_group(viewer, group_id)
    if not name.strip():
        raise ApplicationError(
            "名称を入力してください。", "invalid_joint_service", fields={"name": ["required"]}
        )
    if JointService.objects.filter(group=group, name=name.strip()).exists():
        raise ApplicationError(
            f"「{name}」はすでに登録されています。",
            "joint_service_exists",
            fields={"name": ["taken"]},
        )
    service = JointService.objects.create(group=group, name=name.strip(), description=description)
    audit_record(
        actor=viewer.user,
        action="joint_service.created",
        target=service,
        data={"name": service.name},
    )
    return service


YEAR_FIELDS = (
    "total_cost_yen",
    "method",
    "equal_part",
    "doubling_factor",
    "population_source",
    "prorate_by_month",
)
YEAR_DEFAULTS: dict[str, Any] = {
    "method": ApportionmentKind.POPULATION,
    "equal_part": Decimal(0),
    "doubling_factor": Decimal("1.5"),
    "population_source": PopulationSource.CENSUS_2020,
    "prorate_by_month": True,
}


@transaction.atomic
def joint_service_year_save(
    *,
    viewer: Viewer,
    service_id: int,
    fiscal_year: int,
    values: dict[str, Any],
    participants: list[ParticipantInput] | None = None,
    partial: bool = False,
) -> JointServiceYear:
    """Set a joint service's budget, apportionment method and participants for a fiscal year,
    all or nothing. A full save (the page, PUT) needs every budget field and the participants;
    a partial save (PATCH) changes only the fields named, and the participants only when given.
    A refusal leaves the year and its participants exactly as they were."""
    from apps.catalog.services import check_fiscal_year
    from apps.groups.selectors import joint_service_get

    service = joint_service_get(viewer=viewer, service_id=service_id)
    _secretariat_group(viewer, service.group_id)
    check_fiscal_year(fiscal_year)
    unknown = set(values) - set(YEAR_FIELDS)
    if unknown:
        raise ValueError(f"not a joint service year field: {sorted(unknown)}")
    existing = (
        JointServiceYear.objects.select_for_update()
        .filter(service=service, fiscal_year=fiscal_year)
        .first()
    )
    if partial:
        if existing is None:
            raise NotFound(
                "この年度の予算はまだ登録されていません。全体を登録してください (PUT)。",
                "joint_service_year_not_found",
            )
        merged = {f: getattr(existing, f) for f in YEAR_FIELDS} | values
    else:
        missing = [f for f in YEAR_FIELDS if f not in values and f not in YEAR_DEFAULTS]
        if missing or participants is None:
            fields = {f: ["必須です。"] for f in missing}
            if participants is None:
                fields["participants"] = ["必須です。"]
            raise ApplicationError(
                "年度の予算を登録するには、総経費と参加団体を指定してください。",
                "invalid_joint_service_year",
                fields=fields,
            )
        merged = YEAR_DEFAULTS | values
    year = _year_apply(viewer, service, fiscal_year, existing, merged)
    if participants is not None:
        _participants_apply(viewer, year, participants)
    return year


def apportionment_term_errors(
    *, total_cost_yen: int, equal_part: Decimal, doubling_factor: Decimal, population_source: str
) -> dict[str, list[str]]:
    """The bounds of a budget split among members, one place for a joint service's year and a
    survey's savings option: a total in whole yen, the equal part, the doubling factor and the
    population source. Field name → messages (empty: all fine)."""
    errors: dict[str, list[str]] = {}
    if not 0 <= total_cost_yen <= MAX_YEN:
        errors["total_cost_yen"] = [f"総経費は0〜{MAX_YEN:,}円の整数で入力してください。"]
    if not Decimal(0) <= equal_part <= Decimal(1):
        errors["equal_part"] = ["均等割の割合は0から1の間で入力してください (例: 0.2)。"]
    if not Decimal(1) < doubling_factor <= Decimal(10):
        errors["doubling_factor"] = [
            "人口2倍のときの倍率は1より大きく10以下にしてください (例: 1.5)。"
        ]
    if population_source not in PopulationSource.values:
        errors["population_source"] = ["使用する人口を選んでください。"]
    return errors


def _year_apply(
    viewer: Viewer,
    service: JointService,
    fiscal_year: int,
    existing: JointServiceYear | None,
    values: dict[str, Any],
) -> JointServiceYear:
    errors = apportionment_term_errors(
        total_cost_yen=values["total_cost_yen"],
        equal_part=values["equal_part"],
        doubling_factor=values["doubling_factor"],
        population_source=values["population_source"],
    )
    if values["method"] not in ApportionmentKind.values:
        errors["method"] = ["按分方法を選んでください。"]
    if errors:
        raise ApplicationError(
            "入力内容に誤りがあります。各項目のメッセージを確認してください。",
            "invalid_joint_service_year",
            fields=errors,
        )
    created = existing is None
    if existing is None:
        year = JointServiceYear.objects.create(service=service, fiscal_year=fiscal_year, **values)
    else:
        year = existing
        for name, value in values.items():
            setattr(year, name, value)
        year.save(update_fields=list(YEAR_FIELDS))
    audit_record(
        actor=viewer.user,
        action="joint_service_year.set",
        target=year,
        data={
            "fiscal_year": fiscal_year,
            "total_cost_yen": values["total_cost_yen"],
            "method": values["method"],
            "equal_part": str(values["equal_part"]),
            "doubling_factor": str(values["doubling_factor"]),
            "created": created,
        },
    )
    return year


def _participants_apply(
    viewer: Viewer, year: JointServiceYear, participants: list[ParticipantInput]
) -> int:
    """Replace who takes part in a joint service in a fiscal year. Every participant must be a
    current member of the council; months must fall in the fiscal year."""
    from apps.core.domain.fiscal import fiscal_year_of

    group = year.service.group
    codes = [p.body_code for p in participants]
    members = {
        m.body.code: m.body
        for m in Membership.objects.filter(
            group=group, left_on__isnull=True, body__code__in=codes
        ).select_related("body")
    }
    errors: dict[str, list[str]] = {}
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        errors["participants"] = [f"同じ団体が2回あります: {', '.join(dupes)}"]
    missing = sorted(set(codes) - set(members))
    if missing:
        errors.setdefault("participants", []).append(
            f"{group.name}の構成団体ではありません: {', '.join(missing)}"
        )
    for p in participants:
        for month in (p.joined_month, p.left_month):
            if month is not None and fiscal_year_of(month) != year.fiscal_year:
                errors.setdefault("participants", []).append(
                    f"{p.body_code}: 月は{year.fiscal_year}年度の中で指定してください。"
                )
        if p.joined_month and p.left_month and p.left_month < p.joined_month:
            errors.setdefault("participants", []).append(
                f"{p.body_code}: 離脱月が参加月より前です。"
            )
    if errors:
        raise ApplicationError(
            "参加団体の指定に誤りがあります。", "invalid_participants", fields=errors
        )
    year.participations.all().delete()
    Participation.objects.bulk_create(
        [
            Participation(
                service_year=year,
                body=members[p.body_code],
                joined_month=p.joined_month.replace(day=1) if p.joined_month else None,
                left_month=p.left_month.replace(day=1) if p.left_month else None,
                usage_count=p.usage_count,
            )
            for p in participants
        ]
    )
    audit_record(
        actor=viewer.user,
        action="participation.set",
        target=year,
        data={"count": len(participants)},
    )
    return len(participants)
