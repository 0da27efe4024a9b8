"""Pages of choosing what to share: the secretariat's survey console (response rate, results,
savings options side by side, the decision) and a body's survey page (draft, internal
comments, submission, its own savings line, the confirmation to take part); vendors' calls."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.accounts.viewer import Viewer, viewer_from_request
from apps.catalog.models import ListingStatus
from apps.catalog.selectors import own_listing_list
from apps.core.csv_export import csv_response
from apps.core.domain.wareki import fiscal_year_label
from apps.core.errors import NotFound
from apps.core.views import attempt, page_number, submit
from apps.groups.selectors import group_list
from apps.surveys import selectors, services
from apps.surveys.apis import savings_body
from apps.surveys.forms import (
    AnswerForm,
    CallResponseForm,
    CommentForm,
    DeadlineForm,
    DecisionForm,
    InvitationForm,
    OptionForm,
    SurveyForm,
)
from apps.surveys.models import Interest, Survey


def _groups(viewer: Viewer) -> list[tuple[int, str]]:
    return [(g.pk, g.name) for g in group_list(viewer=viewer)] if viewer.is_secretariat else []


def _list_page(
    request: HttpRequest, *, form: SurveyForm | None = None, status: int = 200
) -> HttpResponse:
    viewer = viewer_from_request(request)
    surveys = list(selectors.survey_list(viewer=viewer))
    for s in surveys:
        s.rate = selectors.response_rate(s)  # type: ignore[attr-defined]
        s.open = selectors.is_open(s)  # type: ignore[attr-defined]
    return render(
        request,
        "surveys/list.html",
        {
            "viewer": viewer,
            "surveys": surveys,
            "form": (form or SurveyForm(groups=_groups(viewer))) if viewer.is_secretariat else None,
            "invitations": [
                i for i in selectors.invitation_list(viewer=viewer) if i.status == "pending"
            ],
        },
        status=status,
    )


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_POST
def survey_open(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    viewer.require_secretariat()
    form = SurveyForm(request.POST, groups=_groups(viewer))
    survey = submit(
        request,
        form,
        lambda d: services.survey_open(viewer=viewer, **d),
        success="調査を開始しました。対象の団体のホーム画面に表示されます。",
    )
    if survey is None:
        return _list_page(request, form=form, status=400)
    return redirect("survey", survey.pk)


# --- one survey -----------------------------------------------------------------------------


def _bars(values: list[int]) -> list[float]:
    top = max(values, default=0)
    return [round(100 * v / top, 1) if top else 0.0 for v in values]


def _savings(viewer: Viewer, survey: Survey, request: HttpRequest) -> dict[str, Any]:
    data = savings_body(viewer, survey)["options"]
    totals = [o["totals"] for o in data]
    current = _bars(
        [t["current_total_yen"] for t in totals] + [t["share_total_yen"] for t in totals]
    )
    for i, o in enumerate(data):
        o["current_bar"], o["share_bar"] = current[i], current[len(data) + i]
    chosen = None
    wanted = request.GET.get("option", "")
    for o in data:
        if str(o["option"].pk) == wanted:
            chosen = o
    chosen = chosen or (data[0] if data else None)
    lines = Paginator(chosen["lines"], 50).get_page(page_number(request)) if chosen else None
    return {"options": data, "chosen": chosen, "lines": lines}


def _secretariat_page(
    request: HttpRequest,
    viewer: Viewer,
    survey: Survey,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    results = selectors.survey_results(viewer=viewer, survey=survey)
    ends = [
        (fiscal_year_label(int(b.label)) if b.label.isdigit() else b.label, b.count, b.percent)
        for b in results.ends
    ]
    options = [(o.pk, o.label) for o in selectors.options_of(survey=survey)]
    decisions = list(selectors.decisions_of(survey=survey))
    latest = decisions[0] if decisions else None
    forms = forms or {}
    return render(
        request,
        "surveys/secretariat.html",
        {
            "viewer": viewer,
            "survey": survey,
            "open": selectors.is_open(survey),
            "rate": selectors.response_rate(survey),
            "results": results,
            "ends": ends,
            "savings": _savings(viewer, survey, request),
            "decisions": decisions,
            "invitations": list(selectors.decision_invitations(decision=latest))
            if latest and latest.joint_service_id
            else [],
            "calls": list(selectors.call_list(viewer=viewer).filter(survey=survey)),
            "deadline_form": forms.get("deadline") or DeadlineForm(),
            "option_form": forms.get("option") or OptionForm(),
            "decision_form": forms.get("decision") or DecisionForm(options=options),
        },
        status=status,
    )


def _body_page(
    request: HttpRequest,
    viewer: Viewer,
    survey: Survey,
    *,
    answer_form: AnswerForm | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    _survey, draft = services.draft_get(viewer=viewer, survey_id=survey.pk)
    revisions = list(selectors.own_answers(viewer=viewer, survey=survey))
    if answer_form is None:
        values = draft.values if draft else {}
        answer_form = AnswerForm(initial=AnswerForm.initial_from(values), survey=survey)
    features = dict(enumerate(survey.features))
    for r in revisions:
        r.feature_labels = [features.get(i, "") for i in r.features]  # type: ignore[attr-defined]
    savings = savings_body(viewer, survey)["options"]
    return render(
        request,
        "surveys/body.html",
        {
            "viewer": viewer,
            "survey": survey,
            "open": selectors.is_open(survey),
            "draft": draft,
            "comments": list(draft.comments.select_related("author")) if draft else [],
            "form": answer_form,
            "comment_form": comment_form or CommentForm(),
            "revisions": revisions,
            "savings": savings,
            "invitations": [
                i
                for i in selectors.invitation_list(viewer=viewer)
                if i.decision.survey_id == survey.pk
            ],
        },
        status=status,
    )


@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
    if viewer.is_body_user:
        return _body_page(request, viewer, survey)
    return _secretariat_page(request, viewer, survey)


def _secretariat_action(
    request: HttpRequest, survey_id: int, name: str, form: Any, action: Any, success: str
) -> HttpResponse:
    viewer = viewer_from_request(request)
    viewer.require_secretariat()
    survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
    done = submit(request, form, lambda d: action(viewer, survey, d), success=success)
    if done is None:
        survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
        return _secretariat_page(request, viewer, survey, forms={name: form}, status=400)
    return redirect(reverse("survey", args=[survey.pk]) + f"#{name}")


@login_required
@require_POST
def survey_deadline(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _secretariat_action(
        request,
        survey_id,
        "deadline",
        DeadlineForm(request.POST),
        lambda v, s, d: services.survey_extend(viewer=v, survey_id=s.pk, **d),
        "回答期限を延長しました。",
    )


@login_required
@require_POST
def survey_option(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _secretariat_action(
        request,
        survey_id,
        "option",
        OptionForm(request.POST),
        lambda v, s, d: services.option_add(viewer=v, survey_id=s.pk, **d),
        "試算案を追加しました。",
    )


@login_required
@require_POST
def survey_decide(request: HttpRequest, survey_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
    options = [(o.pk, o.label) for o in selectors.options_of(survey=survey)]
    return _secretariat_action(
        request,
        survey_id,
        "decision",
        DecisionForm(request.POST, options=options),
        lambda v, s, d: services.decision_record(viewer=v, survey_id=s.pk, **d),
        "決定を記録しました。",
    )


@login_required
@require_POST
def survey_remind(request: HttpRequest, survey_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    waiting = attempt(
        request,
        lambda: services.reminders_request(viewer=viewer, survey_id=survey_id),
        success="",
    )
    if waiting is not None:
        from django.contrib import messages

        messages.success(
            request, f"未回答の{waiting:,}団体に督促を送ります (ホーム画面のお知らせとメール)。"
        )
    return redirect("survey", survey_id)


@login_required
def survey_answers_csv(request: HttpRequest, survey_id: int) -> StreamingHttpResponse:
    viewer = viewer_from_request(request)
    survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
    if not selectors.runs_survey(viewer, survey):  # a body reads its own answers, not all
        raise NotFound(*selectors._SURVEY_404)
    interests = dict(Interest.choices)
    header = [
        "団体コード",
        "団体名",
        "版",
        "提出日時",
        "導入の意向",
        "現在のシステム",
        "現在の事業者",
        "年間運用経費 (円)",
        "現契約の終了日",
        "利用者数",
        "年間件数",
        *[f"機能: {f}" for f in survey.features],
        "自由記述",
        *[f"質問: {q}" for q in survey.questions],
    ]

    def rows() -> Any:
        for a in selectors.current_answers(survey=survey).iterator(chunk_size=500):
            yield [
                a.body.code,
                a.body.name,
                a.revision,
                a.submitted_at.isoformat(timespec="seconds"),
                interests.get(a.interest, a.interest),
                a.current_system,
                a.current_vendor,
                a.annual_cost_yen,
                a.contract_end.isoformat() if a.contract_end else "",
                a.users_count,
                a.transactions_count,
                *["○" if i in a.features else "" for i in range(len(survey.features))],
                a.comment,
                *a.extra,
            ]

    return csv_response(f"survey-{survey.pk}-answers.csv", header, rows())


# --- a body's answer ------------------------------------------------------------------------


@login_required
@require_POST
def survey_draft(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Save the draft; with submit=1 (the administrator), save and submit it."""
    viewer = viewer_from_request(request)
    viewer.require_body_user()
    survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
    form = AnswerForm(request.POST, survey=survey)
    submitting = request.POST.get("submit") == "1"
    if submitting:
        viewer.require_body_admin()

    @transaction.atomic
    def save(_data: dict[str, Any]) -> Any:  # both or neither: a refused submission saves nothing
        services.draft_save(viewer=viewer, survey_id=survey.pk, values=form.values())
        if submitting:
            return services.draft_submit(viewer=viewer, survey_id=survey.pk)
        return True

    done = submit(
        request,
        form,
        save,
        success="回答を提出しました。事務局に共有されました。期限までは改訂できます。"
        if submitting
        else "下書きを保存しました (団体内だけに表示されます)。",
    )
    if done is None:
        return _body_page(request, viewer, survey, answer_form=form, status=400)
    return redirect("survey", survey.pk)


@login_required
@require_POST
def survey_comment(request: HttpRequest, survey_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    viewer.require_body_user()
    survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
    form = CommentForm(request.POST)
    done = submit(
        request,
        form,
        lambda d: services.draft_comment_add(viewer=viewer, survey_id=survey.pk, **d),
        success="コメントを追加しました。",
    )
    if done is None:
        return _body_page(request, viewer, survey, comment_form=form, status=400)
    return redirect(reverse("survey", args=[survey.pk]) + "#comments")


@login_required
@require_POST
def invitation_answer(request: HttpRequest, invitation_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    invitation = selectors.invitation_get(viewer=viewer, invitation_id=invitation_id)
    form = InvitationForm(request.POST)
    submit(
        request,
        form,
        lambda d: services.invitation_answer(viewer=viewer, invitation_id=invitation.pk, **d),
        success="回答しました。",
    )
    return redirect("survey", invitation.decision.survey_id)


# --- calls for services ---------------------------------------------------------------------


def _published(viewer: Viewer) -> list[tuple[int, str]]:
    if not viewer.is_vendor:
        return []
    listings = own_listing_list(viewer=viewer).filter(status=ListingStatus.PUBLISHED)
    return [(li.pk, li.name) for li in listings]


def _calls_page(
    request: HttpRequest,
    *,
    failed: tuple[int, CallResponseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = viewer_from_request(request)
    calls = list(selectors.call_list(viewer=viewer))
    listings = _published(viewer)
    for c in calls:
        c.responses_list = list(selectors.call_responses(call=c))  # type: ignore[attr-defined]
        c.form = (  # type: ignore[attr-defined]
            failed[1]
            if failed and failed[0] == c.pk
            else CallResponseForm(listings=listings, auto_id=f"id_call{c.pk}_%s")
        )
    return render(
        request,
        "surveys/calls.html",
        {"viewer": viewer, "calls": calls, "listings": listings},
        status=status,
    )


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    return _calls_page(request)


@login_required
@require_POST
def call_respond(request: HttpRequest, call_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    call = selectors.call_get(viewer=viewer, call_id=call_id)
    viewer.require_vendor()
    form = CallResponseForm(
        request.POST, listings=_published(viewer), auto_id=f"id_call{call.pk}_%s"
    )
    done = submit(
        request,
        form,
        lambda d: services.call_respond(viewer=viewer, call_id=call.pk, **d),
        success="応募しました。関心のある団体にお知らせします。",
    )
    if done is None:
        return _calls_page(request, failed=(call.pk, form), status=400)
    return redirect("service-calls")
