"""The survey pages: the secretariat's console and a body's answer page, in Japanese, with
errors that keep what was typed, and sealed against other bodies, secretariats and vendors."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone

from apps.surveys.models import Decision, SavingsOption, Survey, SurveyAnswer
from tests.clock import FY, TODAY

pytestmark = pytest.mark.django_db

DEADLINE = TODAY + dt.timedelta(days=5)


def _open(client, group_id: int, **changes: str) -> int:  # type: ignore[no-untyped-def]
    form = {
        "group_id": str(group_id),
        "title": "施設予約システムのニーズ調査",
        "area": "施設予約",
        "audience_kind": "group",
        "deadline": DEADLINE.isoformat(),
        "features": "スマートフォン対応\n抽選機能\n",
        "questions": "予約できる施設の数",
        **changes,
    }
    response = client.post("/surveys/open/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Survey.objects.latest("pk").pk


def test_the_secretariat_runs_a_survey_from_its_pages(portal, site_client) -> None:
    sec = site_client(None, "aichi_secretariat")
    council = portal.groups["council"].pk
    # refused: the page comes back with the error summary and what was typed
    response = sec.post(
        "/surveys/open/",
        {
            "group_id": str(council),
            "title": "打ち間違いのない調査名",
            "area": "施設予約",
            "audience_kind": "group",
            "deadline": (TODAY - dt.timedelta(days=1)).isoformat(),
            "features": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "入力内容を確認してください" in html
    assert "打ち間違いのない調査名" in html
    assert Survey.objects.count() == 0
    sid = _open(sec, council)
    page = sec.get(f"/surveys/{sid}/").content.decode()
    assert "0 / 3団体 (0.0%)" in page
    assert "決定は回答期限" in page  # no decision form while open

    # a body's staff drafts, its administrator submits from the page
    staff = site_client("ichinomiya", "ichinomiya_staff")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    answer = {
        "current_system": "施設予約くん",
        "annual_cost_yen": "４，８００，０００",  # as an IME types it
        "interest": "considering",
        "features": ["0"],
        "extra_0": "42",
        "submit": "0",
    }
    assert staff.post(f"/surveys/{sid}/draft/", answer).status_code == 302
    assert staff.post(f"/surveys/{sid}/draft/", {**answer, "submit": "1"}).status_code == 403
    bad = admin.post(f"/surveys/{sid}/draft/", {**answer, "annual_cost_yen": "-5", "submit": "1"})
    assert bad.status_code == 400
    assert "施設予約くん" in bad.content.decode()
    assert SurveyAnswer.objects.count() == 0
    assert admin.post(f"/surveys/{sid}/draft/", {**answer, "submit": "1"}).status_code == 302
    answer_row = SurveyAnswer.objects.get()
    assert (answer_row.annual_cost_yen, answer_row.features, answer_row.extra) == (
        4_800_000,
        [0],
        ["42"],
    )
    body_page = admin.get(f"/surveys/{sid}/").content.decode()
    assert "提出済み (第1版)" in body_page
    # home pages: the secretariat's live rate, the body's waiting survey gone
    assert "1 / 3団体 (33.3%)" in sec.get("/").content.decode()

    # an option and its savings; the CSV of all answers
    response = sec.post(
        f"/surveys/{sid}/options/",
        {
            "label": "均等割2割",
            "total_cost_yen": "3,000,000",
            "basis": "population",
            "equal_part": "0.2",
            "doubling_factor": "1.5",
            "population_source": "census-2020",
        },
    )
    assert response.status_code == 302
    page = sec.get(f"/surveys/{sid}/").content.decode()
    assert "一宮市" in page
    assert "1,800,000円" in page
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(sec.get(f"/surveys/{sid}/answers.csv").streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0][:5] == ["団体コード", "団体名", "版", "提出日時", "導入の意向"]
    assert rows[1][0:2] == ["232033", "一宮市"]
    assert rows[1][4] == "検討中"
    assert rows[1][-1] == "42"
    # the body sees its own line
    own = admin.get(f"/surveys/{sid}/").content.decode()
    assert "3,000,000円" in own
    assert "1,800,000円" in own

    with time_machine.travel(timezone.now() + dt.timedelta(days=6), tick=False):
        closed = admin.post(f"/surveys/{sid}/draft/", answer)
        assert closed.status_code == 400
        assert "回答期限" in closed.content.decode()
        response = sec.post(
            f"/surveys/{sid}/decision/",
            {
                "pattern": "individual",
                "go": "yes",
                "outcome": "call",
                "reasons": "x",
            },
        )
        assert response.status_code == 400
        assert "事業者の募集は共通化Bの決定でだけ行えます" in response.content.decode()
        option = SavingsOption.objects.get()
        response = sec.post(
            f"/surveys/{sid}/decision/",
            {
                "pattern": "common_b",
                "go": "yes",
                "outcome": "joint_service",
                "option_id": str(option.pk),
                "fiscal_year": str(FY + 1),
                "reasons": "削減が見込まれるため",
            },
        )
        assert response.status_code == 302
        decision = Decision.objects.get()
        assert decision.joint_service is not None
        invite = admin.get(f"/surveys/{sid}/").content.decode()
        assert "共同運営への参加の確認" in invite
        invitation = decision.invitations.get()
        assert (
            admin.post(f"/survey-invitations/{invitation.pk}/", {"accept": "yes"}).status_code
            == 302
        )
        invitation.refresh_from_db()
        assert invitation.status == "confirmed"


def test_the_pages_are_sealed(portal, site_client) -> None:
    sec = site_client(None, "aichi_secretariat")
    sid = _open(sec, portal.groups["council"].pk)
    hokkaido = site_client(None, "hokkaido_secretariat")
    hsid = _open(hokkaido, portal.groups["hokkaido"].pk)
    admin = site_client("ichinomiya", "ichinomiya_admin")
    vendor = site_client(None, "vendor_a")
    assert sec.get(f"/surveys/{hsid}/").status_code == 404
    assert sec.get(f"/surveys/{hsid}/answers.csv").status_code == 404
    assert (
        sec.post(
            f"/surveys/{hsid}/options/",
            {
                "label": "x",
                "total_cost_yen": "1",
                "basis": "population",
                "equal_part": "0",
                "doubling_factor": "1.5",
                "population_source": "census-2020",
            },
        ).status_code
        == 404
    )
    assert admin.get(f"/surveys/{hsid}/").status_code == 404
    assert admin.post(f"/surveys/{hsid}/draft/", {"interest": "none"}).status_code == 404
    assert admin.get(f"/surveys/{sid}/answers.csv").status_code == 404
    assert vendor.get(f"/surveys/{sid}/").status_code == 404
    assert admin.post(f"/surveys/{sid}/options/", {"label": "x"}).status_code == 403
    assert admin.post("/surveys/open/", {"title": "x"}).status_code == 403
    assert SavingsOption.objects.count() == 0
    assert SurveyAnswer.objects.count() == 0
    # the body's list holds only its surveys
    listing = admin.get("/surveys/").content.decode()
    assert f'href="/surveys/{sid}/"' in listing
    assert f'href="/surveys/{hsid}/"' not in listing
