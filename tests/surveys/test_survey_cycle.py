"""Choosing what to share, through the API: a needs survey, drafts and answers, results,
savings options modelled with the invoicing apportionment, the decision and what it starts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.approvals.models import SurveyDraft, SurveyDraftComment
from apps.groups.models import JointService, Participation
from apps.invoicing.domain.apportionment import Member, Method, apportion
from apps.surveys.models import CallResponse, JoinInvitation, Survey, SurveyAnswer, SurveyReminder
from apps.surveys.services import notice_send, reminders_send
from apps.tenants.models import PopulationFigure
from tests.clock import FY, TODAY
from tests.contracts.test_contract_path import _json

pytestmark = pytest.mark.django_db

DEADLINE = TODAY + dt.timedelta(days=7)
SURVEY = {
    "title": "施設予約システムの共同利用に関するニーズ調査",
    "area": "施設予約",
    "audience_kind": "group",
    "deadline": DEADLINE.isoformat(),
    "features": ["スマートフォン対応", "抽選機能", "キャッシュレス決済"],
    "questions": ["予約できる施設の数"],
}
ICHINOMIYA = {
    "current_system": "施設予約くん",
    "current_vendor": "尾張システム株式会社",
    "annual_cost_yen": 4_800_000,
    "contract_end": (TODAY + dt.timedelta(days=400)).isoformat(),
    "users_count": 120,
    "transactions_count": 36_000,
    "interest": "considering",
    "features": [0, 2],
    "comment": "抽選は不要",
    "extra": ["42"],
}


def _open(client: Any, group_id: int, **changes: Any) -> dict[str, Any]:
    code, survey = _json(
        client, "post", "/api/v1/surveys/", {**SURVEY, "group_id": group_id, **changes}
    )
    assert code == 201, survey
    return survey


def _answer(client: Any, survey_id: int, values: dict[str, Any]) -> tuple[int, Any]:
    code, draft = _json(client, "put", f"/api/v1/surveys/{survey_id}/draft/", values)
    assert code == 200, draft
    return _json(client, "post", f"/api/v1/surveys/{survey_id}/draft/submit/")


def test_the_whole_cycle_from_survey_to_joint_service(portal, site_client) -> None:
    sec = site_client(None, "aichi_secretariat")
    staff = site_client("ichinomiya", "ichinomiya_staff")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    toyohashi = site_client("toyohashi", "toyohashi_admin")
    council = portal.groups["council"]
    survey = _open(sec, council.pk)
    sid = survey["id"]
    assert (survey["audience_count"], survey["answered"], survey["response_rate"]) == (3, 0, 0.0)
    assert survey["is_open"] is True

    # staff draft and comment; only the administrator submits
    code, draft = _json(staff, "put", f"/api/v1/surveys/{sid}/draft/", ICHINOMIYA)
    assert (code, draft["values"]["annual_cost_yen"], draft["values"]["features"]) == (
        200,
        4_800_000,
        [0, 2],
    )
    code, comment = _json(
        staff, "post", f"/api/v1/surveys/{sid}/draft/comments/", {"text": "費用は財政課に確認済み"}
    )
    assert code == 201
    code, body = _json(staff, "post", f"/api/v1/surveys/{sid}/draft/submit/")
    assert (code, body["error"]["code"]) == (403, "not_body_admin")
    assert SurveyAnswer.objects.count() == 0
    # the draft and its comment are in the body's schema, not shared
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        assert SurveyDraft.objects.get(survey_id=sid).values["current_system"] == "施設予約くん"
        assert SurveyDraftComment.objects.count() == 1
    with schema_context(portal.bodies["toyohashi"].schema_name):
        assert SurveyDraft.objects.count() == 0
    code, answer = _json(admin, "post", f"/api/v1/surveys/{sid}/draft/submit/")
    assert (code, answer["revision"], answer["interest"], answer["current"]) == (
        201,
        1,
        "considering",
        True,
    )
    # a revision until the deadline; each revision kept
    code, answer = _answer(
        admin, sid, {**ICHINOMIYA, "interest": "interested", "annual_cost_yen": 5_000_000}
    )
    assert (code, answer["revision"]) == (201, 2)
    code, mine = _json(admin, "get", f"/api/v1/surveys/{sid}/answers/")
    assert [(a["revision"], a["current"], a["annual_cost_yen"]) for a in mine["results"]] == [
        (2, True, 5_000_000),
        (1, False, 4_800_000),
    ]
    assert (
        _answer(
            toyohashi,
            sid,
            {
                "interest": "adopted",
                "annual_cost_yen": 7_200_000,
                "features": [1],
                "contract_end": (TODAY + dt.timedelta(days=30)).isoformat(),
            },
        )[0]
        == 201
    )

    # the secretariat: live response rate, results, all answers
    code, survey = _json(sec, "get", f"/api/v1/surveys/{sid}/")
    assert (survey["answered"], survey["response_rate"]) == (2, 66.7)
    code, results = _json(sec, "get", f"/api/v1/surveys/{sid}/results/")
    assert code == 200
    assert {i["interest"]: i["count"] for i in results["interest"]} == {
        "adopted": 1,
        "considering": 0,
        "interested": 1,
        "none": 0,
    }
    assert results["features"] == [
        {"label": "スマートフォン対応", "count": 1},
        {"label": "抽選機能", "count": 1},
        {"label": "キャッシュレス決済", "count": 1},
    ]
    costs = {b["label"]: b["count"] for b in results["costs"]}
    assert (costs["300万円〜500万円未満"], costs["500万円〜1,000万円未満"], costs["回答なし"]) == (
        0,
        2,
        0,
    )
    code, answers = _json(sec, "get", f"/api/v1/surveys/{sid}/answers/")
    assert [a["body_code"] for a in answers["results"]] == ["232017", "232033"]
    # a body never sees the results
    assert _json(admin, "get", f"/api/v1/surveys/{sid}/results/")[0] == 404

    # savings options: the invoicing apportionment, over the interested bodies
    for label, equal in (("均等割2割・1.5倍", "0.2"), ("人口割のみ・2倍", "0")):
        code, option = _json(
            sec,
            "post",
            f"/api/v1/surveys/{sid}/options/",
            {
                "label": label,
                "total_cost_yen": 9_000_001,
                "equal_part": equal,
                "doubling_factor": "1.5" if equal == "0.2" else "2",
            },
        )
        assert code == 201, option
    code, savings = _json(sec, "get", f"/api/v1/surveys/{sid}/savings/")
    first = savings["options"][0]
    populations = {
        f.body.code: f.population
        for f in PopulationFigure.objects.filter(
            body__code__in=["232017", "232033"], source="census-2020"
        ).select_related("body")
    }
    expected = apportion(
        9_000_001,
        [Member(code=c, population=p) for c, p in populations.items()],
        Method(equal_part=Decimal("0.2"), doubling_factor=Decimal("1.5")),
    )
    assert [(line["code"], line["share_yen"]) for line in first["lines"]] == [
        (s.code, s.amount_yen) for s in expected
    ]
    assert sum(line["share_yen"] for line in first["lines"]) == 9_000_001
    assert first["totals"]["current_total_yen"] == 12_200_000
    assert first["totals"]["saving_total_yen"] == 12_200_000 - 9_000_001
    ichinomiya_line = next(line for line in first["lines"] if line["code"] == "232033")
    assert ichinomiya_line["saving_yen"] == 5_000_000 - ichinomiya_line["share_yen"]
    # a body sees its own line and the totals, never another body's line
    code, own = _json(admin, "get", f"/api/v1/surveys/{sid}/savings/")
    assert own["options"][0]["own"] == ichinomiya_line
    assert own["options"][0]["lines"] == []
    assert own["options"][0]["totals"]["saving_total_yen"] == first["totals"]["saving_total_yen"]

    # no decision while the survey is open
    decision = {
        "pattern": "common_b",
        "go": True,
        "outcome": "joint_service",
        "option_id": first["option"]["id"],
        "fiscal_year": FY + 1,
        "reasons": "2団体で年320万円の削減が見込まれるため",
    }
    code, body = _json(sec, "post", f"/api/v1/surveys/{sid}/decisions/", decision)
    assert (code, body["error"]["code"]) == (409, "survey_not_closed")

    after = timezone.now() + dt.timedelta(days=8)
    with time_machine.travel(after, tick=False):
        # too late to answer; the secretariat extends the deadline, then it closes again
        code, body = _json(admin, "put", f"/api/v1/surveys/{sid}/draft/", ICHINOMIYA)
        assert (code, body["error"]["code"]) == (409, "survey_closed")
        code, body = _json(admin, "post", f"/api/v1/surveys/{sid}/draft/submit/")
        assert (code, body["error"]["code"]) == (409, "survey_closed")
        later = (TODAY + dt.timedelta(days=9)).isoformat()
        assert _json(sec, "post", f"/api/v1/surveys/{sid}/deadline/", {"deadline": later})[0] == 200
        assert (
            _answer(
                admin, sid, {**ICHINOMIYA, "interest": "interested", "annual_cost_yen": 5_000_000}
            )[0]
            == 201
        )
    with time_machine.travel(timezone.now() + dt.timedelta(days=10), tick=False):
        code, recorded = _json(sec, "post", f"/api/v1/surveys/{sid}/decisions/", decision)
        assert code == 201, recorded
        service = JointService.objects.get(pk=recorded["joint_service_id"])
        year = service.years.get()
        assert (service.name, year.fiscal_year, year.total_cost_yen, year.equal_part) == (
            "施設予約",
            FY + 1,
            9_000_001,
            Decimal("0.2000"),
        )
        assert sorted(p.body.code for p in Participation.objects.filter(service_year=year)) == [
            "232017",
            "232033",
        ]
        assert [d["id"] for d in _json(sec, "get", f"/api/v1/surveys/{sid}/decisions/")[1]] == [
            recorded["id"]
        ]
        # the members are asked to confirm: a notice and an e-mail; toyohashi declines
        for slug in ("ichinomiya", "toyohashi"):
            with schema_context(portal.bodies[slug].schema_name):
                User.objects.filter(role="body_admin").update(email=f"it@{slug}.example.jp")
        assert notice_send(kind="joint_service", object_id=recorded["id"]) == 2
        assert sorted(m.to[0] for m in mail.outbox) == [
            "it@ichinomiya.example.jp",
            "it@toyohashi.example.jp",
        ]
        assert "参加を確認してください" in mail.outbox[0].body
        invitations = _json(toyohashi, "get", "/api/v1/survey-invitations/")[1]
        assert [i["status"] for i in invitations] == ["pending"]
        code, answered = _json(
            toyohashi,
            "post",
            f"/api/v1/survey-invitations/{invitations[0]['id']}/",
            {"accept": False},
        )
        assert (code, answered["status"]) == (200, "declined")
        assert [p.body.code for p in Participation.objects.filter(service_year=year)] == ["232033"]
        again = _json(
            toyohashi,
            "post",
            f"/api/v1/survey-invitations/{invitations[0]['id']}/",
            {"accept": True},
        )
        assert (again[0], again[1]["error"]["code"]) == (409, "invitation_answered")
        # the other body cannot answer toyohashi's invitation
        assert (
            _json(
                admin,
                "post",
                f"/api/v1/survey-invitations/{invitations[0]['id']}/",
                {"accept": True},
            )[0]
            == 404
        )
        # a second start from the same survey is refused
        code, body = _json(sec, "post", f"/api/v1/surveys/{sid}/decisions/", decision)
        assert (code, body["error"]["code"]) == (409, "already_started")


def test_a_common_b_decision_publishes_a_call_vendors_answer(
    portal, site_client, published_listing
) -> None:
    vendor, listing_id, _schedule = published_listing
    sec = site_client(None, "aichi_secretariat")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    sid = _open(sec, portal.groups["council"].pk, area="AIチャットボット")["id"]
    assert _answer(admin, sid, {**ICHINOMIYA, "interest": "interested"})[0] == 201
    with time_machine.travel(timezone.now() + dt.timedelta(days=8), tick=False):
        bad = {"pattern": "standard", "go": True, "outcome": "call", "reasons": "x"}
        code, body = _json(sec, "post", f"/api/v1/surveys/{sid}/decisions/", bad)
        assert (code, body["error"]["code"], list(body["error"]["fields"])) == (
            400,
            "invalid_decision",
            ["outcome"],
        )
        code, decision = _json(
            sec, "post", f"/api/v1/surveys/{sid}/decisions/", {**bad, "pattern": "common_b"}
        )
        assert code == 201, decision
        calls = _json(vendor, "get", "/api/v1/service-calls/")[1]["results"]
        call = next(c for c in calls if c["id"] == decision["call_id"])
        assert (call["area"], call["interested_bodies"], call["features"]) == (
            "AIチャットボット",
            1,
            [["スマートフォン対応", 1], ["キャッシュレス決済", 1]],
        )
        # a body and the secretariat cannot answer a call; another vendor's listing is 404
        assert (
            _json(
                admin,
                "post",
                f"/api/v1/service-calls/{call['id']}/responses/",
                {"listing_id": listing_id},
            )[0]
            == 403
        )
        other = site_client(None, "vendor_b")
        assert (
            _json(
                other,
                "post",
                f"/api/v1/service-calls/{call['id']}/responses/",
                {"listing_id": listing_id},
            )[0]
            == 404
        )
        code, response = _json(
            vendor,
            "post",
            f"/api/v1/service-calls/{call['id']}/responses/",
            {"listing_id": listing_id},
        )
        assert code == 201, response
        assert notice_send(kind="call_response", object_id=response["id"]) == 1
        with schema_context(portal.bodies["ichinomiya"].schema_name):
            from apps.accounts.models import Notice

            assert (
                Notice.objects.filter(text__contains="募集「AIチャットボットのサービス募集").count()
                == 1
            )
        twice = _json(
            vendor,
            "post",
            f"/api/v1/service-calls/{call['id']}/responses/",
            {"listing_id": listing_id},
        )
        assert (twice[0], twice[1]["error"]["code"]) == (409, "already_responded")


def test_bad_answers_are_refused_and_nothing_is_written(portal, site_client) -> None:
    sec = site_client(None, "aichi_secretariat")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    sid = _open(sec, portal.groups["council"].pk)["id"]
    cases = [
        ({"annual_cost_yen": -1}, "annual_cost_yen"),
        ({"annual_cost_yen": 10**14}, "annual_cost_yen"),
        ({"annual_cost_yen": 1.5}, "annual_cost_yen"),
        ({"features": [3]}, "invalid_answer"),
        ({"interest": "maybe"}, "interest"),
        ({"extra": ["a", "b"]}, "invalid_answer"),
        ({"contract_end": "2026-02-30"}, "contract_end"),
        ({"comment": "x" * 2001}, "comment"),
        ({"current_system": "a\x00b"}, "current_system"),
    ]
    for values, where in cases:
        code, body = _json(admin, "put", f"/api/v1/surveys/{sid}/draft/", values)
        assert code == 400, (values, body)
        assert where in (body["error"]["code"], *body["error"]["fields"]), (values, body)
    # submitting without an interest
    code, body = _answer(admin, sid, {"annual_cost_yen": 100})
    assert (code, body["error"]["code"], list(body["error"]["fields"])) == (
        400,
        "invalid_answer",
        ["interest"],
    )
    assert SurveyAnswer.objects.count() == 0
    # a survey with a deadline in the past, or no features list, is refused
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    code, body = _json(
        sec,
        "post",
        "/api/v1/surveys/",
        {**SURVEY, "group_id": portal.groups["council"].pk, "deadline": yesterday},
    )
    assert (code, body["error"]["code"]) == (400, "deadline_in_past")
    code, body = _json(
        sec,
        "post",
        "/api/v1/surveys/",
        {**SURVEY, "group_id": portal.groups["council"].pk, "features": ["同じ", "同じ"]},
    )
    assert (code, body["error"]["code"]) == (400, "invalid_survey")
    assert Survey.objects.count() == 1
    code, body = _json(
        sec,
        "post",
        f"/api/v1/surveys/{sid}/options/",
        {"label": "x", "total_cost_yen": 1, "doubling_factor": "1"},
    )
    assert code == 400


def test_the_survey_is_sealed(portal, site_client) -> None:
    """Another secretariat, a body outside the audience, a vendor, staff of the wrong role:
    404 or 403, nothing written."""
    sec = site_client(None, "aichi_secretariat")
    sid = _open(sec, portal.groups["council"].pk)["id"]
    hokkaido = site_client(None, "hokkaido_secretariat")
    hsid = _open(hokkaido, portal.groups["hokkaido"].pk)["id"]  # hokkaido-pref and sapporo
    admin = site_client("ichinomiya", "ichinomiya_admin")
    vendor = site_client(None, "vendor_a")
    # another secretariat's survey: 404 on every endpoint
    for method, path, data in (
        ("get", f"/api/v1/surveys/{hsid}/", None),
        ("get", f"/api/v1/surveys/{hsid}/results/", None),
        ("get", f"/api/v1/surveys/{hsid}/answers/", None),
        ("get", f"/api/v1/surveys/{hsid}/savings/", None),
        ("post", f"/api/v1/surveys/{hsid}/options/", {"label": "x", "total_cost_yen": 1}),
        (
            "post",
            f"/api/v1/surveys/{hsid}/deadline/",
            {"deadline": (TODAY + dt.timedelta(days=30)).isoformat()},
        ),
        ("post", f"/api/v1/surveys/{hsid}/reminders/", None),
        (
            "post",
            f"/api/v1/surveys/{hsid}/decisions/",
            {"pattern": "individual", "go": False, "outcome": "none", "reasons": "x"},
        ),
    ):
        assert _json(sec, method, path, data)[0] == 404, path
    # a body outside the audience: 404, and no draft written
    for method, path, data in (
        ("get", f"/api/v1/surveys/{hsid}/", None),
        ("put", f"/api/v1/surveys/{hsid}/draft/", ICHINOMIYA),
        ("post", f"/api/v1/surveys/{hsid}/draft/comments/", {"text": "x"}),
        ("post", f"/api/v1/surveys/{hsid}/draft/submit/", None),
        ("get", f"/api/v1/surveys/{hsid}/savings/", None),
    ):
        assert _json(admin, method, path, data)[0] == 404, path
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        assert SurveyDraft.objects.count() == 0
    # a vendor sees no survey; a body cannot open or decide; a secretariat cannot answer
    assert _json(vendor, "get", f"/api/v1/surveys/{sid}/")[0] == 404
    assert _json(vendor, "get", "/api/v1/surveys/")[1]["count"] == 0
    assert (
        _json(
            admin, "post", "/api/v1/surveys/", {**SURVEY, "group_id": portal.groups["council"].pk}
        )[0]
        == 403
    )
    assert (
        _json(
            admin, "post", f"/api/v1/surveys/{sid}/options/", {"label": "x", "total_cost_yen": 1}
        )[0]
        == 403
    )
    assert _json(admin, "get", f"/api/v1/surveys/{sid}/results/")[0] == 404
    assert _json(sec, "put", f"/api/v1/surveys/{sid}/draft/", ICHINOMIYA)[0] == 403
    assert (
        _json(
            hokkaido,
            "post",
            "/api/v1/surveys/",
            {**SURVEY, "group_id": portal.groups["council"].pk},
        )[0]
        == 404
    )
    assert Survey.objects.count() == 2
    assert SurveyAnswer.objects.count() == 0


def test_reminders_reach_bodies_that_have_not_answered_once_a_day(portal, site_client) -> None:
    sec = site_client(None, "aichi_secretariat")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    sid = _open(
        sec, portal.groups["council"].pk, deadline=(TODAY + dt.timedelta(days=3)).isoformat()
    )["id"]
    assert _answer(admin, sid, {**ICHINOMIYA})[0] == 201
    # the daily run: 3 days before the deadline; aichi-pref has no site, so only toyohashi
    assert reminders_send() == 2
    assert SurveyReminder.objects.filter(survey_id=sid).count() == 2
    with schema_context(portal.bodies["toyohashi"].schema_name):
        from apps.accounts.models import Notice

        assert Notice.objects.filter(text__contains="まだ回答が提出されていません").count() == 1
    assert reminders_send() == 0  # once a day
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        from apps.accounts.models import Notice

        assert Notice.objects.filter(text__contains="まだ回答").count() == 0
    code, body = _json(sec, "post", f"/api/v1/surveys/{sid}/reminders/")
    assert (code, body) == (202, {"waiting": 2})


def test_calls_and_invitations_are_sealed(portal, site_client, published_listing) -> None:
    """A call is seen by vendors and by the survey's secretariat and audience only; an
    invitation only by its body; nothing written by anyone else."""
    vendor, listing_id, _schedule = published_listing
    hokkaido = site_client(None, "hokkaido_secretariat")
    hsid = _open(hokkaido, portal.groups["hokkaido"].pk, area="施設予約 (北海道)")["id"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=8), tick=False):
        code, decision = _json(
            hokkaido,
            "post",
            f"/api/v1/surveys/{hsid}/decisions/",
            {"pattern": "common_b", "go": True, "outcome": "call", "reasons": "募集する"},
        )
        assert code == 201, decision
    call_id = decision["call_id"]
    sec = site_client(None, "aichi_secretariat")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    assert _json(vendor, "get", f"/api/v1/service-calls/{call_id}/")[0] == 200
    assert _json(hokkaido, "get", f"/api/v1/service-calls/{call_id}/")[0] == 200
    for client in (sec, admin):
        assert _json(client, "get", f"/api/v1/service-calls/{call_id}/")[0] == 404
        assert _json(client, "get", "/api/v1/service-calls/")[1]["count"] == 0
        code, _body = _json(
            client,
            "post",
            f"/api/v1/service-calls/{call_id}/responses/",
            {"listing_id": listing_id},
        )
        assert code == 404
    assert (
        _json(
            hokkaido,
            "post",
            f"/api/v1/service-calls/{call_id}/responses/",
            {"listing_id": listing_id},
        )[0]
        == 403
    )
    assert CallResponse.objects.count() == 0
    # invitations: a body's own only; the secretariat and vendors have none to read
    assert _json(sec, "get", "/api/v1/survey-invitations/")[0] == 403
    assert _json(vendor, "get", "/api/v1/survey-invitations/")[0] == 403
    assert _json(admin, "get", "/api/v1/survey-invitations/")[1] == []
    assert JoinInvitation.objects.count() == 0
