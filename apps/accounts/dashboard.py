"""What waits for each role, on its home page: counts with a link to the list that holds them
(a page-level module: it reads other apps through their selectors)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from apps.accounts.viewer import Viewer
from apps.contracts.models import ApplicationStatus, ContractStatus
from apps.contracts.selectors import application_list, contract_list
from apps.core.domain.fiscal import fiscal_year_of
from apps.core.domain.wareki import fiscal_year_label
from apps.invoicing.models import CreditStatus
from apps.invoicing.selectors import credit_list, invoice_list, receivables, run_get, run_groups
from apps.surveys.selectors import (
    invitation_list,
    is_open,
    open_surveys_to_answer,
    response_rate,
    survey_list,
)
from apps.training.models import SeatStatus
from apps.training.selectors import LIVE_STATUSES, seat_list


@dataclass(frozen=True)
class Task:
    label: str
    value: str  # what is shown large: a count, an amount or a state
    href: str
    urgent: bool = False  # something overdue or waiting for this person


def _count(n: int) -> str:
    return f"{n:,}件"


def _owed(viewer: Viewer) -> list[Task]:
    """Unpaid and overdue invoices (to pay, for a body; to collect, for an issuer)."""
    overdue = invoice_list(viewer=viewer, payment="overdue").count()
    outstanding = receivables(viewer=viewer).outstanding_yen
    return [
        Task("未払い・未入金の合計", f"{outstanding:,}円", reverse("invoices")),
        Task(
            "支払期限を過ぎた請求書",
            _count(overdue),
            reverse("invoices") + "?payment=overdue",
            urgent=overdue > 0,
        ),
    ]


def _surveys(viewer: Viewer) -> list[Task]:
    """A body: the open surveys it has not answered (and, for its administrator, joint services
    to confirm). A secretariat: each open survey's live response rate."""
    surveys = reverse("surveys")
    if viewer.is_body_user:
        waiting = open_surveys_to_answer(viewer=viewer).count()
        out = [Task("回答を待っているニーズ調査", _count(waiting), surveys, urgent=waiting > 0)]
        if viewer.is_body_admin:
            pending = invitation_list(viewer=viewer).filter(status="pending").count()
            if pending:
                out.append(Task("共同運営への参加の確認", _count(pending), surveys, urgent=True))
        return out
    out = []
    for s in survey_list(viewer=viewer).filter(deadline__gte=timezone.localdate()):
        if is_open(s):
            answered, asked, percent = response_rate(s)
            out.append(
                Task(
                    f"ニーズ調査「{s.area}」の回答率",
                    f"{answered:,} / {asked:,}団体 ({percent}%)",
                    reverse("survey", args=[s.pk]),
                )
            )
    return out


def tasks(viewer: Viewer) -> list[Task]:
    applications = reverse("applications")
    if viewer.is_body_admin:
        submitted = application_list(viewer=viewer, status=ApplicationStatus.SUBMITTED).count()
        pending = seat_list(viewer=viewer).filter(status=SeatStatus.PENDING_APPROVAL).count()
        return [
            Task(
                "承認を待っている申込",
                _count(submitted),
                f"{applications}?status={ApplicationStatus.SUBMITTED}",
                urgent=submitted > 0,
            ),
            Task(
                "承認を待っている研修申込", _count(pending), reverse("training-seats"), pending > 0
            ),
            *_surveys(viewer),
            *_owed(viewer),
        ]
    if viewer.is_body_user:
        mine = application_list(viewer=viewer).filter(
            applicant_id=viewer.user.pk,
            status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.PENDING_VENDOR),
        )
        seats = seat_list(viewer=viewer, mine=True).filter(status__in=LIVE_STATUSES)
        return [
            Task("進行中のわたしの申込", _count(mine.count()), applications),
            Task("わたしの研修 (申込中・確定)", _count(seats.count()), reverse("training-seats")),
            *_surveys(viewer),
        ]
    if viewer.is_vendor:
        waiting = application_list(viewer=viewer, status=ApplicationStatus.PENDING_VENDOR).count()
        ending = contract_list(viewer=viewer, status=ContractStatus.ENDING).count()
        unmatched = credit_list(viewer=viewer, status=CreditStatus.UNMATCHED).count()
        return [
            Task(
                "回答を待っている申込",
                _count(waiting),
                f"{applications}?status={ApplicationStatus.PENDING_VENDOR}",
                urgent=waiting > 0,
            ),
            Task(
                "解約予定の契約",
                _count(ending),
                f"{reverse('contracts')}?status={ContractStatus.ENDING}",
            ),
            *_owed(viewer),
            Task("未照合の入金", _count(unmatched), reverse("bank"), urgent=unmatched > 0),
        ]
    if viewer.is_secretariat:
        fy = fiscal_year_of(timezone.localdate())
        runs = []
        for group in run_groups(viewer=viewer):
            run = run_get(viewer=viewer, fiscal_year=fy, group_id=group.pk)
            state = run.get_status_display() if run else "未実行"
            runs.append(
                Task(
                    f"{group.name}: {fiscal_year_label(fy)}の請求データ作成",
                    state,
                    f"{reverse('invoice-runs')}?fiscal_year={fy}&group={group.pk}",
                )
            )
        unmatched = credit_list(viewer=viewer, status=CreditStatus.UNMATCHED).count()
        return [
            *runs,
            *_surveys(viewer),
            *_owed(viewer),
            Task("未照合の入金", _count(unmatched), reverse("bank"), urgent=unmatched > 0),
        ]
    return []
