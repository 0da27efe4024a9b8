"""Writes for choosing what to share: opening a needs survey, a body's draft and answer, the
savings options, the decision and what it starts (a council joint service whose members
confirm, or a call for services vendors answer), reminders and notices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.viewer import Viewer
from apps.core.domain.bounds import LONG_TEXT, MAX_COUNT, MAX_YEN, SHORT_TEXT
from apps.core.domain.wareki import wareki_date
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
)
from apps.groups.services import apportionment_term_errors
from apps.surveys.models import (
    INTERESTED,
    AudienceKind,
    CallResponse,
    Decision,
    Interest,
    InviteStatus,
    JoinInvitation,
    Outcome,
    Pattern,
    SavingsOption,
    ServiceCall,
    Survey,
    SurveyAnswer,
    SurveyAudience,
    SurveyReminder,
)
from apps.surveys.selectors import (
    _SURVEY_404,
    call_get,
    invitation_get,
    is_open,
    option_get,
    survey_get,
    unanswered_audience,
)
from apps.tenants.models import Body, PopulationSource

MAX_FEATURES = 30
MAX_QUESTIONS = 10
REMIND_DAYS_BEFORE = (7, 3, 1)  # automatic reminders, days before the deadline


def _invalid(message: str, code: str, fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError(message, code, fields=fields)


def _own_group(viewer: Viewer, group_id: int) -> Group:
    """One of the groups the secretariat staffs (group_list's scope; 404 for another)."""
    from apps.groups.selectors import group_get

    viewer.require_secretariat()
    return group_get(viewer=viewer, group_id=group_id)


def _run_survey(viewer: Viewer, survey_id: int, *, lock: bool = False) -> Survey:
    """The survey, for its secretariat (403 for another role, 404 for another secretariat)."""
    viewer.require_secretariat()
    survey = survey_get(viewer=viewer, survey_id=survey_id)
    if lock:
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
    return survey


def _clean_list(items: list[str], *, most: int, field: str, what: str) -> list[str]:
    cleaned = [i.strip() for i in items if i.strip()]
    errors = []
    if len(cleaned) > most:
        errors.append(f"{what}は{most}個までです。")
    if len(set(cleaned)) != len(cleaned):
        errors.append(f"同じ{what}が2回あります。")
    if any(len(i) > SHORT_TEXT for i in cleaned):
        errors.append(f"{what}は1つ{SHORT_TEXT}文字までです。")
    if errors:
        raise _invalid(f"{what}の指定に誤りがあります。", "invalid_survey", {field: errors})
    return cleaned


@transaction.atomic
def survey_open(
    *,
    viewer: Viewer,
    group_id: int,
    title: str,
    area: str,
    audience_kind: str,
    deadline: dt.date,
    features: list[str],
    questions: list[str] | None = None,
    description: str = "",
) -> Survey:
    """Open a needs survey to the group's current members or to every body of the prefecture
    of the group's secretariat. The audience is fixed now (one INSERT of its rows)."""
    group = _own_group(viewer, group_id)
    today = timezone.localdate()
    if deadline < today:
        raise _invalid(
            "回答期限は今日以降の日付にしてください。",
            "deadline_in_past",
            {"deadline": ["今日以降の日付にしてください。"]},
        )
    if audience_kind not in AudienceKind.values:
        raise _invalid("対象を選んでください。", "invalid_survey", {"audience_kind": ["選択"]})
    features = _clean_list(features, most=MAX_FEATURES, field="features", what="機能の選択肢")
    questions = _clean_list(
        questions or [], most=MAX_QUESTIONS, field="questions", what="追加の質問"
    )
    if audience_kind == AudienceKind.GROUP:
        bodies = Membership.objects.filter(group=group, left_on__isnull=True).values_list(
            "body_id", flat=True
        )
        prefecture = ""
    else:
        prefecture = group.secretariat.prefecture
        bodies = Body.objects.filter(prefecture=prefecture).values_list("pk", flat=True)
    body_ids = list(bodies)
    if not body_ids:
        raise _invalid("対象の団体がありません。", "empty_audience", {"audience_kind": ["0団体"]})
    survey = Survey.objects.create(
        group=group,
        title=title.strip(),
        area=area.strip(),
        description=description,
        audience_kind=audience_kind,
        prefecture=prefecture,
        deadline=deadline,
        features=features,
        questions=questions,
        audience_count=len(body_ids),
    )
    SurveyAudience.objects.bulk_create(
        [SurveyAudience(survey=survey, body_id=b) for b in body_ids], batch_size=2000
    )
    audit_record(
        actor=viewer.actor,
        action="survey.opened",
        target=survey,
        data={"group": group.pk, "audience": len(body_ids), "deadline": deadline.isoformat()},
    )
    return survey


@transaction.atomic
def survey_extend(*, viewer: Viewer, survey_id: int, deadline: dt.date) -> Survey:
    """Move the deadline later (also reopening a closed survey), until a decision is taken."""
    survey = _run_survey(viewer, survey_id, lock=True)
    if Decision.objects.filter(survey=survey).exists():
        raise ApplicationError(
            "決定を記録した調査の期限は延長できません。", "survey_decided", status=409
        )
    if deadline <= survey.deadline or deadline < timezone.localdate():
        raise _invalid(
            f"新しい期限は今の期限 ({wareki_date(survey.deadline)}) より後で、"
            "今日以降の日付にしてください。",
            "deadline_not_later",
            {"deadline": ["今の期限より後の日付にしてください。"]},
        )
    before = survey.deadline
    survey.deadline = deadline
    survey.save(update_fields=["deadline"])
    audit_record(
        actor=viewer.actor,
        action="survey.extended",
        target=survey,
        data={"from": before.isoformat(), "to": deadline.isoformat()},
    )
    return survey


# --- a body's answer ------------------------------------------------------------------------

ANSWER_FIELDS = (
    "current_system",
    "current_vendor",
    "annual_cost_yen",
    "contract_end",
    "users_count",
    "transactions_count",
    "interest",
    "features",
    "comment",
    "extra",
)


def _int_or_none(errors: dict[str, list[str]], name: str, value: Any, most: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        errors[name] = [f"0〜{most:,}の整数で入力してください。"]
        return None
    return value


def clean_answer(survey: Survey, raw: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """An answer's values checked against the survey (its checklist and questions) and the
    bounds; `complete` for submitting (the interest is then required). Dates may come as ISO
    text (a draft is stored as JSON). Returns the values with Python types."""
    errors: dict[str, list[str]] = {}
    unknown = set(raw) - set(ANSWER_FIELDS)
    if unknown:
        errors["non_field_errors"] = [f"不明な項目: {', '.join(sorted(unknown))}"]
    out: dict[str, Any] = {}
    for name in ("current_system", "current_vendor", "comment"):
        value = raw.get(name) or ""
        most = LONG_TEXT if name == "comment" else SHORT_TEXT
        if not isinstance(value, str) or len(value) > most:
            errors[name] = [f"{most}文字までの文字で入力してください。"]
        out[name] = value if isinstance(value, str) else ""
    out["annual_cost_yen"] = _int_or_none(
        errors, "annual_cost_yen", raw.get("annual_cost_yen"), MAX_YEN
    )
    out["users_count"] = _int_or_none(errors, "users_count", raw.get("users_count"), MAX_COUNT)
    out["transactions_count"] = _int_or_none(
        errors, "transactions_count", raw.get("transactions_count"), MAX_COUNT
    )
    end = raw.get("contract_end")
    if isinstance(end, str) and end:
        try:
            end = dt.date.fromisoformat(end)
        except ValueError:
            errors["contract_end"] = ["日付は 2027-03-31 の形で入力してください。"]
            end = None
    out["contract_end"] = end if isinstance(end, dt.date) else None
    interest = raw.get("interest") or ""
    if interest and interest not in Interest.values:
        errors["interest"] = ["導入の意向を選んでください。"]
    elif complete and not interest:
        errors["interest"] = ["提出するには導入の意向を選んでください。"]
    out["interest"] = interest
    features = raw.get("features") or []
    if not isinstance(features, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(survey.features)
        for i in features
    ):
        errors["features"] = ["必要な機能は一覧から選んでください。"]
        features = []
    out["features"] = sorted(set(features))
    extra = raw.get("extra") or []
    if (
        not isinstance(extra, list)
        or len(extra) > len(survey.questions)
        or not all(isinstance(t, str) and len(t) <= LONG_TEXT for t in extra)
    ):
        errors["extra"] = [
            f"追加の質問への回答は{len(survey.questions)}個まで、各{LONG_TEXT}文字までです。"
        ]
        extra = []
    out["extra"] = list(extra) + [""] * (len(survey.questions) - len(extra))
    if errors:
        raise _invalid(
            "回答の内容に誤りがあります。各項目のメッセージを確認してください。",
            "invalid_answer",
            errors,
        )
    return out


def _answerable(viewer: Viewer, survey_id: int) -> Survey:
    """The survey, when the viewer's body is in its audience (404 otherwise) and it is open."""
    viewer.require_body_user()
    survey = survey_get(viewer=viewer, survey_id=survey_id)
    if not is_open(survey):
        raise ApplicationError(
            f"回答期限 ({wareki_date(survey.deadline)}) を過ぎたため、回答できません。"
            "延長が必要なときは事務局に連絡してください。",
            "survey_closed",
            status=409,
        )
    return survey


@transaction.atomic
def answer_submit(*, viewer: Viewer, survey_id: int, values: dict[str, Any]) -> SurveyAnswer:
    """The body's administrator submits its answer: a new revision that supersedes the last
    (kept). Shared with the secretariat from now on."""
    body = viewer.require_body_admin()
    survey = _answerable(viewer, survey_id)
    cleaned = clean_answer(survey, values, complete=True)
    answer = _record(survey, body, cleaned, submitted_by=viewer.user.pk, at=timezone.now())
    audit_record(
        actor=viewer.actor,
        action="survey.answered",
        target=answer,
        data={"survey": survey.pk, "body": body.code, "revision": answer.revision},
    )
    return answer


def _record(
    survey: Survey, body: Body, cleaned: dict[str, Any], *, submitted_by: int, at: dt.datetime
) -> SurveyAnswer:
    """A new revision superseding the body's current one (kept)."""
    # One submission at a time per body and survey: the audience row is the lock.
    SurveyAudience.objects.select_for_update().filter(survey=survey, body=body).first()
    previous = (
        SurveyAnswer.objects.filter(survey=survey, body=body, superseded_at__isnull=True)
        .order_by("-revision")
        .first()
    )
    if previous is not None:
        SurveyAnswer.objects.filter(pk=previous.pk).update(superseded_at=at)
    return SurveyAnswer.objects.create(
        survey=survey,
        body=body,
        revision=(previous.revision + 1) if previous else 1,
        submitted_at=at,
        submitted_by=submitted_by,
        **cleaned,
    )


@transaction.atomic
def answer_import(
    *,
    viewer: Viewer,
    survey_id: int,
    body_code: str,
    values: dict[str, Any],
    submitted_at: dt.datetime,
) -> SurveyAnswer:
    """The operator records an answer a body gave outside the portal (an earlier paper or
    spreadsheet survey; the demo): the same checks, dated when it was given."""
    viewer.require_operator()
    survey = Survey.objects.filter(pk=survey_id).first()
    audience = SurveyAudience.objects.filter(survey=survey, body__code=body_code).first()
    if survey is None or audience is None:
        raise NotFound(*_SURVEY_404)
    answer = _record(
        survey,
        audience.body,
        clean_answer(survey, values, complete=True),
        submitted_by=0,
        at=submitted_at,
    )
    audit_record(
        actor=viewer.actor,
        action="survey.answer_imported",
        target=answer,
        data={"survey": survey.pk, "body": body_code, "revision": answer.revision},
    )
    return answer


def draft_get(*, viewer: Viewer, survey_id: int) -> tuple[Survey, Any]:
    """The body's draft (None before the first save), for any of its staff."""
    from apps.approvals.models import SurveyDraft

    viewer.require_body_user()
    survey = survey_get(viewer=viewer, survey_id=survey_id)
    return survey, SurveyDraft.objects.filter(survey=survey).first()


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


@transaction.atomic
def draft_save(*, viewer: Viewer, survey_id: int, values: dict[str, Any]) -> Any:
    """Any of the body's staff saves the draft (it stays in the body's schema)."""
    from apps.approvals.models import SurveyDraft

    survey = _answerable(viewer, survey_id)
    cleaned = clean_answer(survey, values, complete=False)
    draft, _created = SurveyDraft.objects.select_for_update().get_or_create(
        survey=survey, defaults={"updated_by": viewer.user}
    )
    draft.values = _json_values(cleaned)
    draft.updated_by = viewer.user
    draft.save()
    audit_record(actor=viewer.actor, action="survey.draft_saved", target=draft, data={})
    return draft


@transaction.atomic
def draft_comment_add(*, viewer: Viewer, survey_id: int, text: str) -> Any:
    from apps.approvals.models import SurveyDraft, SurveyDraftComment

    survey = _answerable(viewer, survey_id)
    if not text.strip():
        raise _invalid("コメントを入力してください。", "invalid_comment", {"text": ["必須です。"]})
    draft, _created = SurveyDraft.objects.get_or_create(
        survey=survey, defaults={"updated_by": viewer.user}
    )
    comment = SurveyDraftComment.objects.create(draft=draft, author=viewer.user, text=text)
    audit_record(actor=viewer.actor, action="survey.draft_commented", target=comment, data={})
    return comment


@transaction.atomic
def draft_submit(*, viewer: Viewer, survey_id: int) -> SurveyAnswer:
    """The administrator submits the draft as it stands (checked in full)."""
    from apps.approvals.models import SurveyDraft

    viewer.require_body_admin()
    survey = _answerable(viewer, survey_id)
    draft = SurveyDraft.objects.filter(survey=survey).first()
    if draft is None:
        raise ApplicationError(
            "下書きがありません。回答を入力して保存してから提出してください。", "no_draft"
        )
    return answer_submit(viewer=viewer, survey_id=survey.pk, values=draft.values)


# --- savings options ------------------------------------------------------------------------


@transaction.atomic
def option_add(
    *,
    viewer: Viewer,
    survey_id: int,
    label: str,
    total_cost_yen: int,
    basis: str = "population",
    equal_part: Decimal = Decimal(0),
    doubling_factor: Decimal = Decimal("1.5"),
    population_source: str = PopulationSource.CENSUS_2020,
) -> SavingsOption:
    survey = _run_survey(viewer, survey_id)
    errors = apportionment_term_errors(
        total_cost_yen=total_cost_yen,
        equal_part=equal_part,
        doubling_factor=doubling_factor,
        population_source=population_source,
    )
    if not label.strip():
        errors["label"] = ["案の名前を入力してください。"]
    if basis not in ("population", "usage"):
        errors["basis"] = ["按分の基準を選んでください。"]
    if SavingsOption.objects.filter(survey=survey, label=label.strip()).exists():
        errors["label"] = [f"「{label}」という案はすでにあります。"]
    if errors:
        raise _invalid("試算案の内容に誤りがあります。", "invalid_option", errors)
    option = SavingsOption.objects.create(
        survey=survey,
        label=label.strip(),
        total_cost_yen=total_cost_yen,
        basis=basis,
        equal_part=equal_part,
        doubling_factor=doubling_factor,
        population_source=population_source,
    )
    audit_record(
        actor=viewer.actor,
        action="survey.option_added",
        target=option,
        data={
            "survey": survey.pk,
            "total_cost_yen": total_cost_yen,
            "equal_part": str(equal_part),
            "doubling_factor": str(doubling_factor),
        },
    )
    return option


# --- the decision ---------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    viewer: Viewer,
    survey_id: int,
    pattern: str,
    go: bool,
    outcome: str,
    reasons: str,
    option_id: int | None = None,
    fiscal_year: int | None = None,
) -> Decision:
    """Record the decision on a closed survey. A "go" as a council joint service creates it
    with its first budget (the option chosen) and the interested members as participants, who
    are asked to confirm; a "go" as 共通化B publishes a call for services."""
    survey = _run_survey(viewer, survey_id, lock=True)
    if is_open(survey):
        raise ApplicationError(
            f"回答期限 ({wareki_date(survey.deadline)}) が過ぎるまで決定は記録できません。",
            "survey_not_closed",
            status=409,
        )
    errors: dict[str, list[str]] = {}
    if pattern not in Pattern.values:
        errors["pattern"] = ["方式を選んでください。"]
    if outcome not in Outcome.values:
        errors["outcome"] = ["次の手続を選んでください。"]
    if not reasons.strip():
        errors["reasons"] = ["理由を入力してください。"]
    if not go and outcome != Outcome.NONE:
        errors["outcome"] = ["実施しない決定では、次の手続は「なし」を選んでください。"]
    if go and outcome == Outcome.CALL_FOR_SERVICES and pattern != Pattern.COMMON_B:
        errors["outcome"] = ["事業者の募集は共通化Bの決定でだけ行えます。"]
    if go and outcome == Outcome.JOINT_SERVICE and survey.group.kind != GroupKind.COUNCIL:
        errors["outcome"] = ["共同運営システムは協議会の調査でだけ開始できます。"]
    option = option_get(viewer=viewer, survey=survey, option_id=option_id) if option_id else None
    if outcome == Outcome.JOINT_SERVICE:
        if option is None:
            errors["option_id"] = ["共同運営で開始するには採用する試算案を選んでください。"]
        if fiscal_year is None:
            errors["fiscal_year"] = ["開始年度を指定してください。"]
    if errors:
        raise _invalid("決定の内容に誤りがあります。", "invalid_decision", errors)
    if (
        outcome != Outcome.NONE
        and Decision.objects.filter(survey=survey).exclude(outcome=Outcome.NONE).exists()
    ):
        raise ApplicationError(
            "この調査からはすでに共同運営または募集を開始しています。",
            "already_started",
            status=409,
        )
    decision = Decision.objects.create(
        survey=survey,
        pattern=pattern,
        go=go,
        outcome=outcome,
        option=option,
        fiscal_year=fiscal_year if outcome == Outcome.JOINT_SERVICE else None,
        reasons=reasons,
        decided_by=viewer.user.pk,
    )
    if outcome == Outcome.JOINT_SERVICE:
        _start_joint_service(decision, survey, option, fiscal_year)  # type: ignore[arg-type]
    elif outcome == Outcome.CALL_FOR_SERVICES:
        _publish_call(decision, survey)
    audit_record(
        actor=viewer.actor,
        action="survey.decided",
        target=decision,
        data={"survey": survey.pk, "pattern": pattern, "go": go, "outcome": outcome},
    )
    return decision


def _start_joint_service(
    decision: Decision, survey: Survey, option: SavingsOption, fiscal_year: int
) -> None:
    from apps.catalog.services import check_fiscal_year

    check_fiscal_year(fiscal_year)
    if JointService.objects.filter(group=survey.group, name=survey.area).exists():
        raise ApplicationError(
            f"「{survey.area}」という共同運営システムはすでにあります。",
            "joint_service_exists",
            status=409,
        )
    members = list(
        Membership.objects.filter(
            group=survey.group,
            left_on__isnull=True,
            body__in=SurveyAnswer.objects.filter(
                survey=survey, superseded_at__isnull=True, interest__in=INTERESTED
            ).values("body"),
        ).values_list("body_id", flat=True)
    )
    if not members:
        raise ApplicationError(
            "導入に関心のある構成団体がないため、共同運営を開始できません。",
            "no_interested_members",
        )
    service = JointService.objects.create(
        group=survey.group, name=survey.area, description=f"ニーズ調査「{survey.title}」から開始"
    )
    year = JointServiceYear.objects.create(
        service=service,
        fiscal_year=fiscal_year,
        total_cost_yen=option.total_cost_yen,
        method=ApportionmentKind.USAGE if option.basis == "usage" else ApportionmentKind.POPULATION,
        equal_part=option.equal_part,
        doubling_factor=option.doubling_factor,
        population_source=option.population_source,
    )
    usage = dict(
        SurveyAnswer.objects.filter(
            survey=survey, superseded_at__isnull=True, body_id__in=members
        ).values_list("body_id", "transactions_count")
    )
    Participation.objects.bulk_create(
        [Participation(service_year=year, body_id=b, usage_count=usage.get(b)) for b in members]
    )
    JoinInvitation.objects.bulk_create(
        [JoinInvitation(decision=decision, body_id=b) for b in members]
    )
    decision.joint_service = service
    decision.save(update_fields=["joint_service"])
    transaction.on_commit(lambda: _enqueue_notice("joint_service", decision.pk))


def _publish_call(decision: Decision, survey: Survey) -> ServiceCall:
    from apps.surveys.domain.results import feature_ranking

    rows = SurveyAnswer.objects.filter(
        survey=survey, superseded_at__isnull=True, interest__in=INTERESTED
    )
    chosen = list(rows.values_list("features", flat=True))
    ranking = [[b.label, b.count] for b in feature_ranking(survey.features, chosen) if b.count]
    return ServiceCall.objects.create(
        decision=decision,
        survey=survey,
        title=f"{survey.area}のサービス募集 ({survey.group.name})",
        area=survey.area,
        features=ranking,
        interested_bodies=len(chosen),
    )


@transaction.atomic
def invitation_answer(*, viewer: Viewer, invitation_id: int, accept: bool) -> JoinInvitation:
    """The body's administrator confirms (or declines) taking part; declining removes it from
    the joint service's first year."""
    body = viewer.require_body_admin()
    invitation = invitation_get(viewer=viewer, invitation_id=invitation_id)
    invitation = JoinInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InviteStatus.PENDING:
        raise ApplicationError(
            f"この確認には回答済みです ({invitation.get_status_display()})。",
            "invitation_answered",
            status=409,
        )
    invitation.status = InviteStatus.CONFIRMED if accept else InviteStatus.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    decision = invitation.decision
    if not accept and decision.joint_service_id and decision.fiscal_year:
        Participation.objects.filter(
            service_year__service_id=decision.joint_service_id,
            service_year__fiscal_year=decision.fiscal_year,
            body=body,
        ).delete()
    audit_record(
        actor=viewer.actor,
        action="survey.invitation_answered",
        target=invitation,
        data={"accept": accept, "body": body.code},
    )
    return invitation


@transaction.atomic
def call_respond(*, viewer: Viewer, call_id: int, listing_id: int) -> CallResponse:
    """A vendor answers a call with one of its published listings; the bodies that were
    interested are told (a notice on their home page and an e-mail)."""
    from apps.catalog.models import ListingStatus
    from apps.catalog.selectors import own_listing_get

    viewer.require_vendor()
    call = call_get(viewer=viewer, call_id=call_id)
    listing = own_listing_get(viewer=viewer, listing_id=listing_id)
    if listing.status != ListingStatus.PUBLISHED:
        raise _invalid(
            "公開中のサービスだけで応募できます。先にサービスを公開してください。",
            "listing_not_published",
            {"listing_id": ["公開中のサービスを選んでください。"]},
        )
    try:
        with transaction.atomic():
            response = CallResponse.objects.create(call=call, listing=listing)
    except IntegrityError as exc:
        raise ApplicationError(
            "このサービスですでに応募しています。", "already_responded", status=409
        ) from exc
    audit_record(
        actor=viewer.actor,
        action="survey.call_responded",
        target=response,
        data={"call": call.pk, "listing": listing.pk},
    )
    transaction.on_commit(lambda: _enqueue_notice("call_response", response.pk))
    return response


# --- reminders and notices ------------------------------------------------------------------


def _enqueue_notice(kind: str, object_id: int) -> None:
    from apps.surveys.tasks import notify

    notify.delay(kind, object_id)


def notify_bodies(*, bodies: list[Body], subject: str, text: str) -> int:
    """A notice on the home page of each body's administrators, and an e-mail to them. Bodies
    without a site (not provisioned) have no one to tell. Returns the people told."""
    from django.core.mail import send_mail
    from django_tenants.utils import schema_context

    from apps.accounts.models import Notice, Role, User

    told = 0
    for body in bodies:
        if body.provisioned_at is None:
            continue
        with schema_context(body.schema_name):
            admins = list(User.objects.filter(role=Role.BODY_ADMIN, is_active=True))
            Notice.objects.bulk_create([Notice(user=u, text=text[:300]) for u in admins])
            emails = [u.email for u in admins if u.email]
            if emails:
                send_mail(subject, text, None, emails)
            told += len(admins)
    return told


def notice_send(*, kind: str, object_id: int) -> int:
    """What the `notify` task sends, by kind: the members of a new joint service asked to
    confirm, or the interested bodies told of a listing answering a call."""
    if kind == "joint_service":
        decision = Decision.objects.select_related("survey", "joint_service").get(pk=object_id)
        bodies = [
            i.body for i in JoinInvitation.objects.filter(decision=decision).select_related("body")
        ]
        text = (
            f"共同運営システム「{decision.survey.area}」の開始が決まりました。"
            "ニーズ調査のページで参加を確認してください。"
        )
        return notify_bodies(bodies=bodies, subject="共同運営への参加の確認", text=text)
    response = CallResponse.objects.select_related("call", "listing", "listing__vendor").get(
        pk=object_id
    )
    call = response.call
    bodies = [
        a.body
        for a in SurveyAnswer.objects.filter(
            survey_id=call.survey_id, superseded_at__isnull=True, interest__in=INTERESTED
        ).select_related("body")
    ]
    text = (
        f"募集「{call.title}」に応えるサービス「{response.listing.name}」"
        f"({response.listing.vendor.name}) が公開されています。サービス一覧で確認できます。"
    )
    return notify_bodies(bodies=bodies, subject="募集に応えるサービスが公開されました", text=text)


def reminders_send(*, survey_id: int | None = None, today: dt.date | None = None) -> int:
    """Remind the bodies that have not answered: every open survey whose deadline is 7, 3 or
    1 day(s) away, or one survey now (the secretariat's button). At most once a day per body
    and survey, so running it twice sends nothing more. Returns the bodies reminded."""
    today = today or timezone.localdate()
    surveys = Survey.objects.filter(deadline__gte=today)
    if survey_id is not None:
        surveys = surveys.filter(pk=survey_id)
    else:
        surveys = surveys.filter(
            deadline__in=[today + dt.timedelta(days=d) for d in REMIND_DAYS_BEFORE]
        )
    reminded = 0
    for survey in surveys:
        waiting = (
            unanswered_audience(survey=survey)
            .exclude(
                body__in=SurveyReminder.objects.filter(survey=survey, sent_on=today).values("body")
            )
            .select_related("body")
        )
        bodies = [a.body for a in waiting]
        text = (
            f"ニーズ調査「{survey.title}」の回答期限は{wareki_date(survey.deadline)}です。"
            "まだ回答が提出されていません。"
        )
        with transaction.atomic():
            created = SurveyReminder.objects.bulk_create(
                [SurveyReminder(survey=survey, body=b, sent_on=today) for b in bodies],
                ignore_conflicts=True,
            )
            notify_bodies(bodies=bodies, subject="ニーズ調査の回答のお願い", text=text)
        reminded += len(created)
    return reminded


def reminders_request(*, viewer: Viewer, survey_id: int) -> int:
    """The secretariat asks for reminders now (sent by the worker); the number of bodies
    that have not answered."""
    from apps.surveys.tasks import send_reminders

    survey = _run_survey(viewer, survey_id)
    if not is_open(survey):
        raise ApplicationError(
            "回答期限を過ぎた調査の督促はできません。", "survey_closed", status=409
        )
    waiting = unanswered_audience(survey=survey).count()
    audit_record(actor=viewer.actor, action="survey.reminders_requested", target=survey, data={})
    transaction.on_commit(lambda: send_reminders.delay(survey.pk))
    return waiting
