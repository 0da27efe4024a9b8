"""Reads for applications and contracts, scoped to the viewer: a body sees its own, a vendor
its own, a secretariat its members' use of listings; nobody else anything."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from apps.accounts.viewer import Viewer
from apps.approvals.models import ApplicationReview
from apps.contracts.models import (
    LIVE_CONTRACT_STATUSES,
    Application,
    ApplicationStatus,
    Contract,
    ContractTerm,
)
from apps.core.errors import NotFound
from apps.groups.models import Group, Membership


def application_list(*, viewer: Viewer, status: str | None = None) -> QuerySet[Application]:
    """A body sees all its applications; a vendor only those the body has approved and sent on
    (an application still in, or refused by, the body's internal approval is the body's own)."""
    qs = Application.objects.select_related("body", "listing", "vendor")
    if viewer.is_body_user:
        qs = qs.filter(body=viewer.body)
    elif viewer.is_vendor:
        qs = qs.filter(
            vendor__staff__user_id=viewer.user.pk, body_decided_at__isnull=False
        ).exclude(status=ApplicationStatus.REJECTED_BY_BODY)
    else:
        return qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def application_get(
    *, viewer: Viewer, application_id: int, for_update: bool = False
) -> Application:
    qs = application_list(viewer=viewer).filter(pk=application_id)
    if for_update:
        qs = Application.objects.select_for_update().filter(pk__in=qs.values("pk"))
    application = qs.select_related("body", "listing", "vendor").first()
    if application is None:
        raise NotFound(
            "この申込は見つからないか、閲覧の権限がありません。", "application_not_found"
        )
    return application


def contract_list(*, viewer: Viewer, status: str | None = None) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("body", "listing", "vendor").prefetch_related(
        Prefetch(
            "terms",
            queryset=ContractTerm.objects.select_related("fee_schedule").order_by("fiscal_year"),
        )
    )
    if viewer.is_body_user:
        qs = qs.filter(body=viewer.body)
    elif viewer.is_vendor:
        qs = qs.filter(vendor__staff__user_id=viewer.user.pk)
    else:
        return qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def contract_get(*, viewer: Viewer, contract_id: int) -> Contract:
    contract = contract_list(viewer=viewer).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound("この契約は見つからないか、閲覧の権限がありません。", "contract_not_found")
    return contract


def group_listing_usage(*, group: Group) -> QuerySet:
    """For a group's secretariat: each listing its current members use, with how many of them
    (the brief's "33 bodies use the AI chatbot")."""
    members = Membership.objects.filter(group=group, left_on__isnull=True).values("body")
    return (
        Contract.objects.filter(body__in=members, status__in=LIVE_CONTRACT_STATUSES)
        .values("listing_id", "listing__name", "listing__category", "vendor__name")
        .annotate(bodies=Count("body", distinct=True))
        .order_by("-bodies", "listing__name")
    )


def group_listing_users(*, group: Group, listing_id: int) -> QuerySet:
    members = Membership.objects.filter(group=group, left_on__isnull=True).values("body")
    return (
        Contract.objects.filter(
            body__in=members, listing_id=listing_id, status__in=LIVE_CONTRACT_STATUSES
        )
        .select_related("body")
        .order_by("body__code")
    )


def application_reviews(*, viewer: Viewer, application_id: int) -> QuerySet[ApplicationReview]:
    """The body's internal approval and comments (its own schema): its staff read them; a
    vendor never does (an empty list)."""
    application = application_get(viewer=viewer, application_id=application_id)
    if not viewer.is_body_user:
        return ApplicationReview.objects.none()
    return (
        ApplicationReview.objects.filter(application=application)
        .select_related("author")
        .order_by("created_at", "pk")
    )
