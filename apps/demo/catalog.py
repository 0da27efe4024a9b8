"""Demo catalogue, contracts and council joint services (the brief's Aichi figures):
the chatbot used by 33 members of the research group, AI-OCR by 47, and the e-government
council's four joint services with 54, 54, 54 and 28 participants. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.viewer import Viewer, system_viewer
from apps.catalog.domain.fees import Band
from apps.catalog.models import FeeSchedule, Listing, ScheduleStatus
from apps.catalog.services import (
    ScheduleInput,
    fee_schedule_publish,
    fee_schedule_save_draft,
    listing_create,
    listing_publish,
)
from apps.contracts.models import LIVE_CONTRACT_STATUSES, Contract
from apps.contracts.services import contract_record_existing
from apps.core.domain.fiscal import fiscal_year_of
from apps.groups.models import Group, JointService, Membership
from apps.groups.services import (
    ParticipantInput,
    joint_service_create,
    joint_service_year_save,
)
from apps.vendors.models import Vendor

BANDS_SMALL = [
    Band(0, 10_000, 240_000),
    Band(10_000, 50_000, 600_000),
    Band(50_000, 100_000, 960_000),
    Band(100_000, 300_000, 1_440_000),
    Band(300_000, None, 2_160_000),
]

LISTINGS = [
    # vendor index, listing fields, schedule
    (
        0,
        {
            "name": "窓口DXクラウド",
            "summary": "書かない・待たない窓口を実現するSaaS",
            "description": "マイナンバーカードの読取から申請書の作成、基幹系への連携まで。",
            "category": "madoguchi_dx",
            "pattern": "B",
            "gov_cloud": True,
            "lgwan": True,
            "ismap": True,
            "sla": "稼働率99.9%",
            "data_location": "国内 (東京・大阪)",
            "plans": ["標準", "プレミアム"],
            "cancellation_notice_months": 3,
        },
        ScheduleInput(0, "bands", BANDS_SMALL, initial_fee_yen=500_000),
    ),
    (
        0,
        {
            "name": "施設予約クラウド",
            "summary": "公共施設の予約・抽選・支払",
            "category": "facility_booking",
            "pattern": "B",
            "lgwan": True,
            "sla": "稼働率99.5%",
            "data_location": "国内",
            "plans": ["標準"],
            "cancellation_notice_months": 3,
        },
        ScheduleInput(0, "bands", BANDS_SMALL),
    ),
    (
        1,
        {
            "name": "AIチャットボット総合案内",
            "summary": "住民からの問合せに24時間AIが回答",
            "description": "FAQの共同利用で運用負担を軽減します。",
            "category": "ai_chatbot",
            "pattern": "B",
            "gov_cloud": False,
            "lgwan": True,
            "ismap": True,
            "sla": "稼働率99.5%",
            "data_location": "国内",
            "plans": ["標準"],
            "cancellation_notice_months": 1,
        },
        ScheduleInput(
            0,
            "weighted",
            [],
            base_fee_yen=600_000,
            reference_population=100_000,
            doubling_factor=Decimal("1.5"),
            joint_discount_percent=Decimal("10"),
            joint_discount_min_bodies=20,
        ),
    ),
    (
        1,
        {
            "name": "AI-OCR共同利用サービス",
            "summary": "手書き帳票をAIでデータ化 (LGWAN-ASP)",
            "category": "ai_ocr",
            "pattern": "B",
            "lgwan": True,
            "ismap": True,
            "standard_conformant": False,
            "sla": "稼働率99.5%",
            "data_location": "国内",
            "plans": ["標準", "大量読取"],
            "cancellation_notice_months": 3,
        },
        ScheduleInput(
            0,
            "bands",
            BANDS_SMALL,
            joint_discount_percent=Decimal("5"),
            joint_discount_min_bodies=30,
        ),
    ),
    (
        2,
        {
            "name": "電子申請サービス",
            "summary": "オンライン申請・届出の受付と審査",
            "category": "e_application",
            "pattern": "B",
            "gov_cloud": True,
            "lgwan": True,
            "ismap": True,
            "standard_conformant": True,
            "sla": "稼働率99.9%",
            "data_location": "ガバメントクラウド",
            "plans": ["標準"],
            "cancellation_notice_months": 6,
        },
        ScheduleInput(
            0,
            "weighted",
            [],
            base_fee_yen=1_200_000,
            reference_population=100_000,
            doubling_factor=Decimal("1.5"),
            initial_fee_yen=300_000,
        ),
    ),
]

JOINT_SERVICES = [
    ("電子申請・届出システム", 120_000_000, None),
    ("電子調達 (CALS/EC) システム", 80_000_000, None),
    ("電子調達 (物品等) システム", 40_000_000, None),
    ("施設予約システム", 30_000_000, 28),
]


def _vendor_viewer(vendor: Vendor) -> Viewer:
    user = User.objects.get(vendor_staff__vendor=vendor)
    return Viewer(user=user, body=None)


def load_catalog(
    *, vendors: list[Vendor], research_group: Group, council: Group, secretariat_user: User
) -> None:
    fy = fiscal_year_of(timezone.localdate())
    listings: list[Listing] = []
    for index, fields, spec in LISTINGS:
        vendor = vendors[index]
        viewer = _vendor_viewer(vendor)
        listing = Listing.objects.filter(vendor=vendor, name=fields["name"]).first()
        if listing is None:
            listing = listing_create(viewer=viewer, data=fields)
        for year in (fy, fy + 1):
            if not FeeSchedule.objects.filter(
                listing=listing, fiscal_year=year, status=ScheduleStatus.PUBLISHED
            ).exists():
                draft = fee_schedule_save_draft(
                    viewer=viewer,
                    listing_id=listing.pk,
                    spec=spec.for_year(year),
                )
                fee_schedule_publish(viewer=viewer, schedule_id=draft.pk)
        if listing.status == "draft":
            listing = listing_publish(viewer=viewer, listing_id=listing.pk)
        listings.append(listing)

    members = [
        m.body
        for m in Membership.objects.filter(group=research_group, left_on=None)
        .select_related("body")
        .order_by("body__code")
    ]
    start = dt.date(fy, 4, 1)
    for listing, count in ((listings[2], 33), (listings[3], 47)):
        have = set(
            Contract.objects.filter(listing=listing, status__in=LIVE_CONTRACT_STATUSES).values_list(
                "body_id", flat=True
            )
        )
        for body in members[:count]:
            if body.pk not in have:
                contract_record_existing(
                    viewer=system_viewer(),
                    listing_id=listing.pk,
                    body_code=body.code,
                    plan=listing.plans[0],
                    start_month=start,
                    fiscal_years=[fy, fy + 1],
                    note="ポータル導入前からの契約 (デモ)",
                )

    viewer = Viewer(user=secretariat_user, body=None)
    council_members = [
        m.body.code
        for m in Membership.objects.filter(group=council, left_on=None)
        .select_related("body")
        .order_by("body__code")
    ]
    for name, total, participants in JOINT_SERVICES:
        service = JointService.objects.filter(group=council, name=name).first()
        if service is None:
            service = joint_service_create(viewer=viewer, group_id=council.pk, name=name)
        # this year's budget and next year's (the outlook shows it to every member)
        for year, budget in ((fy, total), (fy + 1, total * 21 // 20)):
            if service.years.filter(fiscal_year=year).exists():
                continue
            codes = council_members[: participants or len(council_members)]
            joint_service_year_save(
                viewer=viewer,
                service_id=service.pk,
                fiscal_year=year,
                values={
                    "total_cost_yen": budget,
                    "equal_part": Decimal(0),
                    "doubling_factor": Decimal("1.5"),
                },
                participants=[ParticipantInput(c) for c in codes],
            )


def load_training(*, council: Group, secretariat_user: User) -> None:
    """Two programmes of the brief with a session each, and the special allocation tax rate."""
    from apps.training.models import Programme, Session, SupportScheme

    fy = fiscal_year_of(timezone.localdate())
    for year in (fy - 1, fy, fy + 1):
        SupportScheme.objects.get_or_create(
            name="特別交付税措置", fiscal_year=year, defaults={"rate": Decimal("0.7")}
        )
        # Demo schemes (rates and caps for illustration, not an official programme's).
        SupportScheme.objects.get_or_create(
            name="共通化B利用料補助 (デモ)",
            fiscal_year=year,
            defaults={
                "rate": Decimal("0.5"),
                "purpose": "usage_fees",
                "categories": ["ai_ocr", "ai_chatbot"],
                "cap_yen": 3_000_000,
                "bonus_points": Decimal("0.1"),
                "bonus_min_bodies": 10,
            },
        )
        SupportScheme.objects.get_or_create(
            name="ITパスポート受験料補助 (デモ)",
            fiscal_year=year,
            defaults={
                "rate": Decimal("0.5"),
                "payer": "prefecture",
                "purpose": "reskilling",
                "cap_uses": 5,
            },
        )
    starts = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=45
    )
    for title, kind, role, cap, capacity in [
        ("ICTリーダー向けDX研修 (デジタル思考)", "ict_leader_dx", "ict_leader", 2, 30),
        ("情報セキュリティ研修 (全職員・任意)", "security", "any", None, 100),
    ]:
        programme, created = Programme.objects.get_or_create(
            group=council,
            fiscal_year=fy,
            title=title,
            defaults={
                "kind": kind,
                "eligible_role": role,
                "per_body_cap": cap,
                "delivery": "in_person" if cap else "live",
            },
        )
        if created:
            Session.objects.create(
                programme=programme,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                capacity=capacity,
                application_deadline=starts - dt.timedelta(days=7),
                cancellation_deadline=starts - dt.timedelta(days=3),
                venue="愛知県庁 本庁舎" if cap else "",
                online_url="" if cap else "https://example.jp/live",
            )
