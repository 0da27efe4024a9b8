"""Demo needs surveys for Aichi: a closed survey on 施設予約 answered by the 28 members that use
the council's 施設予約システム and a few that do not, with two savings options side by side;
and an open survey on AIチャットボット to every body of the prefecture, partly answered.
Idempotent (a survey of the same title is not made twice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.viewer import Viewer, system_viewer
from apps.core.domain.fiscal import fiscal_year_end, fiscal_year_of
from apps.groups.models import Group, JointService, Participation
from apps.invoicing.domain.apportionment import Member, Method, apportion
from apps.surveys.models import Survey
from apps.surveys.services import answer_import, option_add, survey_open
from apps.tenants.models import PopulationFigure

CLOSED_TITLE = "施設予約システムの次期更新に関するニーズ調査"
OPEN_TITLE = "AIチャットボットの共同利用に関するニーズ調査"
FEATURES = [
    "スマートフォンからの予約",
    "抽選予約",
    "キャッシュレス決済",
    "利用者登録のオンライン化",
    "多言語対応",
    "LGWAN接続",
]
# Members that do not use the council's system, with what they run today.
OTHERS = [
    ("施設予約ナビ", "東海情報サービス株式会社", 3_600_000, "considering", [0, 2, 3]),
    ("自庁開発システム", "", 5_200_000, "interested", [0, 1, 2]),
    ("紙・電話予約", "", None, "interested", [0, 3]),
    ("スポーツ施設予約システム", "中部電算株式会社", 2_400_000, "none", [0]),
    ("施設予約ナビ", "東海情報サービス株式会社", 4_100_000, "considering", [0, 2, 4]),
]


def load_surveys(*, council: Group, research_group: Group, secretariat_user: User) -> None:
    if Survey.objects.filter(title=CLOSED_TITLE).exists():
        return
    viewer = Viewer(user=secretariat_user, body=None)
    system = system_viewer()
    today = timezone.localdate()
    fy = fiscal_year_of(today)
    now = timezone.now()

    # The closed survey: 施設予約, to the council's members.
    closed = survey_open(
        viewer=viewer,
        group_id=council.pk,
        title=CLOSED_TITLE,
        area="施設予約 (次期)",
        audience_kind="group",
        deadline=today,
        features=FEATURES,
        questions=["予約できる施設の数"],
        description="現行の共同運営システムの契約満了に合わせ、次期システムの範囲と費用を検討します。",
    )
    service = JointService.objects.get(group=council, name="施設予約システム")
    users = list(
        Participation.objects.filter(service_year__service=service, service_year__fiscal_year=fy)
        .select_related("body")
        .order_by("body__code")
    )
    population = dict(
        PopulationFigure.objects.filter(
            body__in=[p.body for p in users], source="census-2020"
        ).values_list("body__code", "population")
    )
    year = service.years.get(fiscal_year=fy)
    shares = {
        s.code: s.amount_yen
        for s in apportion(
            year.total_cost_yen,
            [Member(code=c, population=p) for c, p in population.items()],
            Method(equal_part=year.equal_part, doubling_factor=year.doubling_factor),
        )
    }
    for i, p in enumerate(users):
        answer_import(
            viewer=system,
            survey_id=closed.pk,
            body_code=p.body.code,
            values={
                "current_system": "施設予約システム (協議会共同運営)",
                "current_vendor": "協議会事務局",
                "annual_cost_yen": shares.get(p.body.code),
                "contract_end": fiscal_year_end(fy + (1 if i % 4 else 2)),
                "users_count": 500 + 37 * i,
                "transactions_count": 4_000 + 1_300 * i,
                "interest": "adopted",
                "features": [0, 2] if i % 3 else [0, 1, 2, 3],
                "comment": "",
                "extra": [str(10 + i % 25)],
            },
            submitted_at=now - dt.timedelta(days=20 - i % 10),
        )
    taken = {p.body_id for p in users}
    others = (
        council.memberships.filter(left_on=None)
        .exclude(body_id__in=taken)
        .select_related("body")
        .order_by("body__code")
    )
    for (system_name, vendor, cost, interest, features), m in zip(OTHERS, others, strict=False):
        answer_import(
            viewer=system,
            survey_id=closed.pk,
            body_code=m.body.code,
            values={
                "current_system": system_name,
                "current_vendor": vendor,
                "annual_cost_yen": cost,
                "contract_end": fiscal_year_end(fy + 2) if cost else None,
                "transactions_count": 6_000,
                "interest": interest,
                "features": features,
                "comment": "共同化の費用次第で移行を検討します。" if interest != "none" else "",
                "extra": ["12"],
            },
            submitted_at=now - dt.timedelta(days=15),
        )
    for label, equal, factor in (
        ("均等割2割・人口2倍で1.5倍", "0.2", "1.5"),
        ("人口割のみ・人口2倍で2倍", "0", "2"),
    ):
        option_add(
            viewer=viewer,
            survey_id=closed.pk,
            label=label,
            total_cost_yen=33_000_000,
            equal_part=Decimal(equal),
            doubling_factor=Decimal(factor),
        )
    # It ran last month: the demo moves its deadline back so it is closed and can be decided.
    Survey.objects.filter(pk=closed.pk).update(deadline=today - dt.timedelta(days=7))

    # The open survey: AIチャットボット, to every body of Aichi, a third answered so far.
    open_survey = survey_open(
        viewer=viewer,
        group_id=research_group.pk,
        title=OPEN_TITLE,
        area="AIチャットボット",
        audience_kind="prefecture",
        deadline=today + dt.timedelta(days=21),
        features=["住民向けFAQ", "職員向け庁内問合せ", "LINE連携", "多言語対応", "有人切替"],
    )
    audience = list(open_survey.audience.select_related("body").order_by("body__code"))
    for i, a in enumerate(audience[2::3]):  # 一宮市 and 豊橋市 (the demo log-ins) not yet
        if a.body.code in ("232033", "232017"):
            continue
        answer_import(
            viewer=system,
            survey_id=open_survey.pk,
            body_code=a.body.code,
            values={
                "current_system": "" if i % 2 else "FAQチャット",
                "annual_cost_yen": None if i % 2 else 1_200_000 + 100_000 * (i % 7),
                "interest": ("considering", "interested", "adopted", "none")[i % 4],
                "features": [0, 2] if i % 2 else [0, 1, 3],
            },
            submitted_at=now - dt.timedelta(days=i % 5),
        )
