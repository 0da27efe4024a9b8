"""The Aichi demo of the brief: both groups, three vendors and a user for every role.
Every step finds what already exists, so loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import Role, User
from apps.accounts.services import user_create
from apps.accounts.viewer import Viewer, system_viewer
from apps.demo.catalog import load_catalog, load_training
from apps.demo.surveys import load_surveys
from apps.groups.models import Group, GroupKind, Membership
from apps.groups.services import group_create, membership_add, secretariat_staff_add
from apps.invoicing.models import IssuerProfile
from apps.invoicing.services.issuers import issuer_profile_save
from apps.tenants.domain.reference import parse_reference_csv
from apps.tenants.models import Body
from apps.tenants.provisioning import body_provision, domain_for
from apps.tenants.services import body_import_reference
from apps.vendors.models import Vendor
from apps.vendors.services import vendor_create, vendor_staff_add

SYSTEM = system_viewer()  # the demo acts as the platform (the operator's rights)

DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 (printed for the demo; not a secret)
AICHI = "愛知県"
AICHI_CODE = "230006"
NAGOYA_CODE = "231002"
COUNCIL = "あいち電子自治体推進協議会"
RESEARCH_GROUP = "あいちAIロボティクス連携共同研究会"
JOINED_ON = dt.date(2024, 4, 1)

VENDORS = [
    ("株式会社デモクラウド", "4180001234567", "T4180001234567", "愛知県名古屋市中区三の丸3-1-2"),
    ("AIサービス共同株式会社", "8120009876543", "T8120009876543", "大阪府大阪市北区梅田1-1-1"),
    (
        "電子申請ソリューションズ株式会社",
        "8010401234568",
        "T8010401234568",
        "東京都千代田区霞が関2-1-2",
    ),
]


@dataclass(frozen=True)
class Login:
    site: str
    username: str
    role: str
    note: str


def _public_user(username: str, full_name: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            viewer=SYSTEM,
            username=username,
            full_name=full_name,
            role=role,
            password=DEMO_PASSWORD,
        )
    return user


def _body_user(body: Body, username: str, full_name: str, role: str) -> None:
    with schema_context(body.schema_name):
        if not User.objects.filter(username=username).exists():
            user_create(
                viewer=SYSTEM,
                username=username,
                full_name=full_name,
                role=role,
                password=DEMO_PASSWORD,
            )


def load_demo(csv_path: Path | None = None) -> list[Login]:
    path = csv_path or Path(settings.BASE_DIR) / "data" / "municipalities.csv"
    with path.open(encoding="utf-8") as fh:
        body_import_reference(records=parse_reference_csv(fh))
    aichi_bodies = list(Body.objects.filter(prefecture=AICHI).order_by("code"))
    body_provision(bodies=aichi_bodies)
    pref = Body.objects.get(code=AICHI_CODE)

    groups = {}
    for name, kind, members in [
        (COUNCIL, GroupKind.COUNCIL, [b for b in aichi_bodies if b.code != NAGOYA_CODE]),
        (RESEARCH_GROUP, GroupKind.USAGE_GROUP, aichi_bodies),
    ]:
        group = Group.objects.filter(name=name).first() or group_create(
            viewer=SYSTEM, name=name, kind=kind, secretariat_code=pref.code
        )
        have = set(
            Membership.objects.filter(group=group, left_on=None).values_list("body_id", flat=True)
        )
        for body in members:
            if body.pk not in have:
                membership_add(
                    viewer=SYSTEM, group_id=group.pk, body_code=body.code, joined_on=JOINED_ON
                )
        groups[name] = group

    _public_user("operator", "運営 太郎", Role.OPERATOR)
    secretariat = _public_user("aichi-jimukyoku", "愛知 花子", Role.SECRETARIAT)
    for group in groups.values():
        secretariat_staff_add(viewer=SYSTEM, group_id=group.pk, user_id=secretariat.pk)

    vendors = []
    for i, (name, corp, reg, address) in enumerate(VENDORS, start=1):
        vendor = Vendor.objects.filter(corporate_number=corp).first() or vendor_create(
            viewer=SYSTEM,
            name=name,
            corporate_number=corp,
            invoice_registration_number=reg,
            address=address,
            contact_name=f"営業担当{i}",
            contact_email=f"sales{i}@example.jp",
        )
        staff = _public_user(f"vendor{i}", f"{name} 担当", Role.VENDOR)
        vendor_staff_add(viewer=SYSTEM, vendor_id=vendor.pk, user_id=staff.pk)
        vendors.append(vendor)
        _issuer_profile(
            Viewer(user=staff, body=None),
            f"vendor:{vendor.pk}",
            address=address,
            representative=f"代表取締役 {name[:2]} 一郎",
            holder=f"ﾃﾞﾓｼﾞｷﾞﾖｳｼﾔ{i}(ｶ",
        )
    _issuer_profile(
        Viewer(user=secretariat, body=None),
        f"group:{groups[COUNCIL].pk}",
        address="名古屋市中区三の丸三丁目1番2号 愛知県庁内",
        representative="会長 愛知県知事",
        holder="ｱｲﾁｹﾝｼﾁﾖｳｿﾝﾃﾞﾝｼｼﾞﾁﾀｲｷﾖｳｷﾞｶｲ",
    )
    load_training(council=groups[COUNCIL], secretariat_user=secretariat)
    load_catalog(
        vendors=vendors,
        research_group=groups[RESEARCH_GROUP],
        council=groups[COUNCIL],
        secretariat_user=secretariat,
    )

    load_surveys(
        council=groups[COUNCIL],
        research_group=groups[RESEARCH_GROUP],
        secretariat_user=secretariat,
    )
    for code, prefix in DEMO_BODIES:
        body = Body.objects.get(code=code)
        _body_user(body, f"{prefix}-admin", f"{body.name} 管理者", Role.BODY_ADMIN)
        _body_user(body, f"{prefix}-staff", f"{body.name} 職員", Role.BODY_STAFF)
    _talent(Body.objects.get(code="232033"))
    return demo_logins()


def _talent(body: Body) -> None:
    """一宮市's outside experts and reskilling next fiscal year, for its outlook."""
    from apps.accounts.models import AdviserEngagement
    from apps.core.domain.fiscal import fiscal_year_end, fiscal_year_of, fiscal_year_start
    from apps.training.services import engagement_record

    fy = fiscal_year_of(timezone.localdate()) + 1
    start, end = fiscal_year_start(fy), fiscal_year_end(fy)
    with schema_context(body.schema_name):
        if AdviserEngagement.objects.filter(starts_on__gte=start).exists():
            return
        admin = Viewer(user=User.objects.get(username="ichinomiya-admin"), body=body)
        for kind, role, name, cost, scheme in (
            (
                "adviser",
                "CIO補佐監",
                "デジタル推進アドバイザー (外部)",
                4_800_000,
                "特別交付税措置",
            ),
            ("part_time_cio", "CIO補佐官 (副業)", "副業人材", 1_200_000, "特別交付税措置"),
            ("fixed_term", "DX推進担当 (任期付き職員)", "任期3年", 7_200_000, "特別交付税措置"),
            (
                "reskilling",
                "ITパスポート受験 (10名)",
                "職員研修",
                75_000,
                "ITパスポート受験料補助 (デモ)",
            ),
        ):
            engagement_record(
                viewer=admin,
                kind=kind,
                role=role,
                adviser_name=name,
                starts_on=start,
                ends_on=end,
                cost_yen=cost,
                scheme_name=scheme,
            )


DEMO_BODIES = [("232033", "ichinomiya"), ("232017", "toyohashi")]


def demo_logins() -> list[Login]:
    """The addresses and log-ins of the demo (what load_demo makes), for the printed table."""
    base = settings.BASE_DOMAIN
    logins = [
        Login(base, "operator", "運営者", "/admin/ も使えます"),
        Login(base, "aichi-jimukyoku", "事務局", "両グループの事務局"),
    ]
    logins += [
        Login(base, f"vendor{i}", "事業者", name) for i, (name, *_) in enumerate(VENDORS, start=1)
    ]
    for code, prefix in DEMO_BODIES:
        body = Body.objects.get(code=code)
        logins.append(Login(domain_for(body), f"{prefix}-admin", "団体管理者", body.name))
        logins.append(Login(domain_for(body), f"{prefix}-staff", "職員", body.name))
    return logins


def _issuer_profile(
    viewer: Viewer, issuer_key: str, *, address: str, representative: str, holder: str
) -> None:
    """The details the demo's issuers print on their invoices (a fictitious account at a real
    bank and branch, so that the 全銀協 code check passes)."""
    if IssuerProfile.objects.filter(issuer_key=issuer_key).exists():
        return
    issuer_profile_save(
        viewer=viewer,
        issuer_key=issuer_key,
        data={
            "postal_code": "460-8501",
            "address": address,
            "representative": representative,
            "contact": "",
            "bank_code": "0005",
            "branch_code": "150",
            "account_type": "1",
            "account_number": "1234567",
            "account_holder_kana": holder,
        },
    )
