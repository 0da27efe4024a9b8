"""Reads for groups, scoped to the viewer here and nowhere else."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery

from apps.accounts.viewer import Viewer
from apps.core.errors import NotFound
from apps.groups.models import Group, JointService, JointServiceYear, Membership, Participation
from apps.tenants.models import PopulationSource
from apps.tenants.selectors import latest_population


def _open_member_count() -> Subquery:
    return Subquery(
        Membership.objects.filter(group=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def group_list(*, viewer: Viewer) -> QuerySet[Group]:
    """The groups the viewer may see: an operator all, a secretariat user the groups it staffs,
    a body's user the groups the body currently belongs to, anyone else none."""
    qs = Group.objects.select_related("secretariat").annotate(member_count=_open_member_count())
    if viewer.is_operator:
        return qs
    if viewer.is_secretariat:
        return qs.filter(staff__user_id=viewer.user.pk)
    if viewer.is_body_user:
        return qs.filter(
            pk__in=Membership.objects.filter(body=viewer.body, left_on__isnull=True).values("group")
        )
    return qs.none()


def group_get(*, viewer: Viewer, group_id: int) -> Group:
    group = group_list(viewer=viewer).filter(pk=group_id).first()
    if group is None:
        raise NotFound(
            "この協議会・研究会は見つからないか、閲覧の権限がありません。", "group_not_found"
        )
    return group


def membership_list(
    *, viewer: Viewer, group_id: int, source: str = PopulationSource.CENSUS_2020
) -> QuerySet:
    """The current members of a group the viewer may see, with the population figure of the
    given source (404 for a group the viewer may not see)."""
    group = group_get(viewer=viewer, group_id=group_id)
    return (
        Membership.objects.filter(group=group, left_on__isnull=True)
        .select_related("body")
        .annotate(population=latest_population("body", source))
        .order_by("body__code")
    )


def membership_list_for_body(*, viewer: Viewer) -> QuerySet[Membership]:
    if not viewer.is_body_user:
        return Membership.objects.none()
    return (
        Membership.objects.filter(body=viewer.body)
        .select_related("group", "group__secretariat")
        .order_by("left_on", "group__name")
    )


def group_member_summary(*, viewer: Viewer, group_id: int) -> dict[str, int]:
    group = group_get(viewer=viewer, group_id=group_id)
    agg = Membership.objects.filter(group=group).aggregate(
        current=Count("pk", filter=Q(left_on__isnull=True)),
        former=Count("pk", filter=Q(left_on__isnull=False)),
    )
    return {"current": agg["current"], "former": agg["former"]}


def joint_service_list(*, viewer: Viewer) -> QuerySet[JointService]:
    """A secretariat sees its councils' joint services; a body those it takes part in."""
    qs = JointService.objects.select_related("group")
    if viewer.is_secretariat or viewer.is_operator:
        return qs.filter(group__in=group_list(viewer=viewer).values("pk")).order_by("group", "name")
    if viewer.is_body_user:
        return qs.filter(years__participations__body=viewer.body).distinct().order_by("name")
    return qs.none()


def joint_service_get(*, viewer: Viewer, service_id: int) -> JointService:
    service = joint_service_list(viewer=viewer).filter(pk=service_id).first()
    if service is None:
        raise NotFound(
            "この共同運営システムは見つからないか、閲覧の権限がありません。",
            "joint_service_not_found",
        )
    return service


def joint_service_years(*, viewer: Viewer, service_id: int) -> QuerySet[JointServiceYear]:
    """The budgets of a joint service the viewer may see, newest first, with how many take
    part each year."""
    service = joint_service_get(viewer=viewer, service_id=service_id)
    return (
        JointServiceYear.objects.filter(service=service)
        .annotate(participants=Count("participations"))
        .order_by("-fiscal_year")
    )


def participation_list(
    *, viewer: Viewer, service_id: int, fiscal_year: int
) -> QuerySet[Participation]:
    """Who takes part in a joint service in a fiscal year (none when there is no budget yet)."""
    return (
        Participation.objects.filter(
            service_year__service__in=joint_service_list(viewer=viewer).filter(pk=service_id),
            service_year__fiscal_year=fiscal_year,
        )
        .select_related("body")
        .order_by("body__code")
    )


def body_participations(*, viewer: Viewer) -> QuerySet[Participation]:
    if not viewer.is_body_user:
        return Participation.objects.none()
    return (
        Participation.objects.filter(body=viewer.body)
        .select_related("service_year__service__group")
        .order_by("-service_year__fiscal_year", "service_year__service__name")
    )


def joint_service_year_get(
    *, viewer: Viewer, service_id: int, fiscal_year: int
) -> JointServiceYear:
    year = (
        joint_service_years(viewer=viewer, service_id=service_id)
        .filter(fiscal_year=fiscal_year)
        .first()
    )
    if year is None:
        raise NotFound("この年度の予算はまだ登録されていません。", "joint_service_year_not_found")
    return year
