"""Writes for direct usage contracts (共通化B): apply → the body's internal approval → the
vendor accepts (a contract) or declines; renewal and cancellation. Every state change is a
conditional UPDATE on the expected state, so two requests at once cannot both succeed."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.viewer import (
    Viewer,
)
from apps.approvals.models import ApplicationReview, ReviewKind
from apps.catalog.models import Listing, ListingStatus
from apps.catalog.services import check_fiscal_year, published_schedule_required
from apps.contracts.models import (
    LIVE_CONTRACT_STATUSES,
    OPEN_APPLICATION_STATUSES,
    Application,
    ApplicationStatus,
    Contract,
    ContractStatus,
    ContractTerm,
)
from apps.contracts.selectors import application_get, contract_get
from apps.core.domain.fiscal import fiscal_year_label, fiscal_year_of
from apps.core.errors import ApplicationError, NotFound
from apps.core.services import audit_record
from apps.tenants.models import Body


def _transition(application: Application, frm: tuple[str, ...], to: str, **fields) -> None:  # type: ignore[no-untyped-def]
    updated = Application.objects.filter(pk=application.pk, status__in=frm).update(
        status=to, **fields
    )
    if updated != 1:
        current = Application.objects.get(pk=application.pk)
        raise ApplicationError(
            f"この申込はすでに「{current.get_status_display()}」です。画面を更新して確認してください。",
            "application_state_changed",
            status=409,
        )
    application.status = to
    for k, v in fields.items():
        setattr(application, k, v)


@transaction.atomic
def application_submit(
    *,
    viewer: Viewer,
    listing_id: int,
    plan: str,
    start_month: dt.date,
    fiscal_years: list[int],
    note: str = "",
) -> Application:
    body = viewer.require_body_user()
    listing = Listing.objects.select_related("vendor").filter(pk=listing_id).first()
    if listing is None or listing.status == ListingStatus.DRAFT:
        raise NotFound("このサービスは見つからないか、公開されていません。", "listing_not_found")
    if listing.status == ListingStatus.WITHDRAWN:
        raise ApplicationError(
            f"「{listing.name}」は公開を終了したため申し込めません。", "listing_withdrawn"
        )
    errors: dict[str, list[str]] = {}
    if plan not in listing.plans:
        errors["plan"] = [f"プランは {'、'.join(listing.plans)} から選んでください。"]
    years = sorted(set(fiscal_years))
    if not years:
        errors["fiscal_years"] = ["利用する年度を1つ以上選んでください。"]
    elif years != list(range(years[0], years[-1] + 1)):
        errors["fiscal_years"] = ["利用する年度は連続した年度にしてください。"]
    if start_month.day != 1:
        start_month = start_month.replace(day=1)
    if years and fiscal_year_of(start_month) != years[0]:
        errors["start_month"] = [f"利用開始月は{fiscal_year_label(years[0])}の月にしてください。"]
    if errors:
        raise ApplicationError(
            "申込内容に誤りがあります。各項目のメッセージを確認してください。",
            "invalid_application",
            fields=errors,
        )
    for fy in years:
        check_fiscal_year(fy, "fiscal_years")
        published_schedule_required(listing, fy)
    if Contract.objects.filter(
        body=viewer.body, listing=listing, status__in=LIVE_CONTRACT_STATUSES
    ).exists():
        raise ApplicationError(
            f"「{listing.name}」はすでに契約中です。更新は契約の画面から行ってください。",
            "contract_exists",
        )
    if Application.objects.filter(
        body=viewer.body, listing=listing, status__in=OPEN_APPLICATION_STATUSES
    ).exists():
        raise ApplicationError(
            f"「{listing.name}」への申込はすでに手続き中です。", "application_pending"
        )
    application = Application.objects.create(
        body=body,
        listing=listing,
        vendor=listing.vendor,
        plan=plan,
        start_month=start_month,
        first_fiscal_year=years[0],
        last_fiscal_year=years[-1],
        applicant_id=viewer.user.pk,
        note=note,
    )
    audit_record(
        actor=viewer.user,
        action="application.submitted",
        target=application,
        data={"listing": listing.pk, "fiscal_years": years},
    )
    return application


@transaction.atomic
def application_review(
    *, viewer: Viewer, application_id: int, kind: str, comment: str = ""
) -> ApplicationReview:
    """A comment by any of the body's staff, or the administrator's approval or rejection.
    The review row is written in the body's schema."""
    viewer.require_body_user()
    application = application_get(viewer=viewer, application_id=application_id, for_update=True)
    if kind not in ReviewKind.values:
        raise ApplicationError(
            "種類はコメント・承認・却下から選んでください。",
            "invalid_review_kind",
            fields={"kind": ["unknown"]},
        )
    if kind == ReviewKind.COMMENT and not comment.strip():
        raise ApplicationError(
            "コメントを入力してください。", "comment_required", fields={"comment": ["required"]}
        )
    if kind != ReviewKind.COMMENT:
        viewer.require_body_admin()
        if kind == ReviewKind.REJECTED and not comment.strip():
            raise ApplicationError(
                "却下の理由をコメントに入力してください。",
                "comment_required",
                fields={"comment": ["required"]},
            )
        to = (
            ApplicationStatus.PENDING_VENDOR
            if kind == ReviewKind.APPROVED
            else ApplicationStatus.REJECTED_BY_BODY
        )
        _transition(application, (ApplicationStatus.SUBMITTED,), to, body_decided_at=timezone.now())
    review = ApplicationReview.objects.create(
        application=application, author=viewer.user, kind=kind, comment=comment
    )
    audit_record(
        actor=viewer.user,
        action=f"application.review_{kind}",
        target=application,
        data={"status": application.status},
    )
    return review


@transaction.atomic
def application_accept(*, viewer: Viewer, application_id: int) -> Contract:
    viewer.require_vendor()
    application = application_get(viewer=viewer, application_id=application_id)
    _transition(
        application,
        (ApplicationStatus.PENDING_VENDOR,),
        ApplicationStatus.ACCEPTED,
        vendor_decided_at=timezone.now(),
    )
    schedules = [
        published_schedule_required(application.listing, fy)
        for fy in range(application.first_fiscal_year, application.last_fiscal_year + 1)
    ]
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                application=application,
                body=application.body,
                listing=application.listing,
                vendor=application.vendor,
                plan=application.plan,
                start_month=application.start_month,
            )
    except IntegrityError as exc:
        raise ApplicationError(
            f"{application.body.name}は「{application.listing.name}」をすでに契約中です。",
            "contract_exists",
            status=409,
        ) from exc
    ContractTerm.objects.bulk_create(
        [
            ContractTerm(contract=contract, fiscal_year=s.fiscal_year, fee_schedule=s)
            for s in schedules
        ]
    )
    audit_record(
        actor=viewer.user,
        action="application.accepted",
        target=application,
        data={"contract": contract.pk, "fee_schedules": [s.pk for s in schedules]},
    )
    return contract


@transaction.atomic
def application_decline(*, viewer: Viewer, application_id: int, reason: str) -> Application:
    viewer.require_vendor()
    if not reason.strip():
        raise ApplicationError(
            "辞退の理由を入力してください。", "reason_required", fields={"reason": ["required"]}
        )
    application = application_get(viewer=viewer, application_id=application_id)
    _transition(
        application,
        (ApplicationStatus.PENDING_VENDOR,),
        ApplicationStatus.DECLINED,
        vendor_decided_at=timezone.now(),
        decline_reason=reason.strip(),
    )
    audit_record(
        actor=viewer.user,
        action="application.declined",
        target=application,
        data={"reason": reason.strip()},
    )
    return application


@transaction.atomic
def application_withdraw(*, viewer: Viewer, application_id: int) -> Application:
    viewer.require_body_user()
    application = application_get(viewer=viewer, application_id=application_id)
    _transition(application, OPEN_APPLICATION_STATUSES, ApplicationStatus.WITHDRAWN)
    audit_record(actor=viewer.user, action="application.withdrawn", target=application)
    return application


@transaction.atomic
def contract_renew(*, viewer: Viewer, contract_id: int) -> ContractTerm:
    """Extend a live contract by the fiscal year after its last, priced on that year's schedule."""
    viewer.require_body_admin()
    contract = contract_get(viewer=viewer, contract_id=contract_id)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        raise ApplicationError("契約中の契約だけを更新できます。", "contract_not_active")
    last = contract.terms.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    next_year = (last or fiscal_year_of(contract.start_month) - 1) + 1
    check_fiscal_year(next_year)
    schedule = published_schedule_required(contract.listing, next_year)
    term = ContractTerm.objects.create(
        contract=contract, fiscal_year=next_year, fee_schedule=schedule
    )
    audit_record(
        actor=viewer.user,
        action="contract.renewed",
        target=contract,
        data={"fiscal_year": next_year, "fee_schedule": schedule.pk},
    )
    return term


def cancellation_end(requested_on: dt.date, notice_months: int) -> dt.date:
    """The last day of the month `notice_months` after the month of the request."""
    month_index = requested_on.year * 12 + requested_on.month - 1 + notice_months
    year, month = divmod(month_index, 12)
    return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


@transaction.atomic
def contract_cancel(
    *, viewer: Viewer, contract_id: int, requested_on: dt.date | None = None
) -> Contract:
    """Give notice. A contract that has not started is cancelled at once; otherwise it ends at
    the end of the notice period the listing states, and the fiscal years after that are no
    longer covered."""
    viewer.require_body_admin()
    requested_on = requested_on or timezone.localdate()
    contract = contract_get(viewer=viewer, contract_id=contract_id)
    if contract.start_month > requested_on:
        to, ends_on = ContractStatus.CANCELLED, None
    else:
        to = ContractStatus.ENDING
        ends_on = cancellation_end(requested_on, contract.listing.cancellation_notice_months)
    updated = Contract.objects.filter(pk=contract.pk, status=ContractStatus.ACTIVE).update(
        status=to, ends_on=ends_on, cancel_requested_on=requested_on
    )
    if updated != 1:
        raise ApplicationError(
            "この契約はすでに解約の手続き済みか、終了しています。",
            "contract_not_active",
            status=409,
        )
    if ends_on is not None:
        contract.terms.filter(fiscal_year__gt=fiscal_year_of(ends_on)).delete()
    else:
        contract.terms.all().delete()
    contract.refresh_from_db()
    audit_record(
        actor=viewer.user,
        action="contract.cancelled",
        target=contract,
        data={"status": to, "ends_on": str(ends_on) if ends_on else None},
    )
    return contract


def contracts_close_ended(*, today: dt.date | None = None) -> int:
    """Mark contracts whose notice period has run out as ended (daily, idempotent)."""
    today = today or timezone.localdate()
    return Contract.objects.filter(status=ContractStatus.ENDING, ends_on__lt=today).update(
        status=ContractStatus.ENDED
    )


@transaction.atomic
def contract_record_existing(
    *,
    viewer: Viewer,
    listing_id: int,
    body_code: str,
    plan: str,
    start_month: dt.date,
    fiscal_years: list[int],
    note: str,
) -> Contract:
    """Record a usage contract a body signed before the portal (the operator's migration of
    existing contracts): an accepted application and a contract priced on each year's published
    schedule, with an audit row saying so. Refuses a second live contract like any other."""
    viewer.require_operator()
    listing = Listing.objects.select_related("vendor").filter(pk=listing_id).first()
    body = Body.objects.filter(code=body_code).first()
    if listing is None or body is None:
        raise NotFound("サービスか団体が見つかりません。", "not_found")
    schedules = [published_schedule_required(listing, fy) for fy in fiscal_years]
    application = Application.objects.create(
        body=body,
        listing=listing,
        vendor=listing.vendor,
        plan=plan,
        start_month=start_month,
        first_fiscal_year=fiscal_years[0],
        last_fiscal_year=fiscal_years[-1],
        status=ApplicationStatus.ACCEPTED,
        applicant_id=0,
        note=note,
        body_decided_at=timezone.now(),
        vendor_decided_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                application=application,
                body=body,
                listing=listing,
                vendor=listing.vendor,
                plan=plan,
                start_month=start_month,
            )
    except IntegrityError as exc:
        raise ApplicationError(
            f"{body.name}は「{listing.name}」をすでに契約中です。", "contract_exists"
        ) from exc
    ContractTerm.objects.bulk_create(
        [
            ContractTerm(contract=contract, fiscal_year=s.fiscal_year, fee_schedule=s)
            for s in schedules
        ]
    )
    audit_record(
        actor=viewer.actor,
        action="contract.recorded_existing",
        target=contract,
        data={"note": note},
    )
    return contract
