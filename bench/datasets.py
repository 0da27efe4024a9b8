"""Bench data built straight into the database (bulk inserts, not the product's services):
vendors with staff, published listings with fee schedules, and usage contracts."""

from __future__ import annotations

import random
import time
from functools import cache
from typing import Any

PASSWORD = "bench-password-2026"  # noqa: S105


@cache
def password_hash() -> str:
    """PASSWORD hashed once for every bench user: the hasher's work (about 0.2 s a user) had
    been most of the time building 50 vendors took."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


WORDS = [
    "窓口",
    "電子申請",
    "AI",
    "OCR",
    "チャットボット",
    "施設予約",
    "クラウド",
    "LGWAN",
    "共同利用",
    "標準準拠",
    "文書管理",
    "会計",
]


def import_bodies() -> list[Any]:
    """The 1,788 bodies from data/municipalities.csv, on a database use_bench_database() has
    just made (already migrated)."""
    from apps.tenants.domain.reference import parse_reference_csv
    from apps.tenants.models import Body
    from apps.tenants.services import body_import_reference
    from bench._common import ROOT

    with (ROOT / "data" / "municipalities.csv").open(encoding="utf-8") as fh:
        body_import_reference(records=parse_reference_csv(fh))
    return list(Body.objects.order_by("code"))


def council_with_services(
    *, rng: random.Random, fiscal_year: int, bodies: list[Any], services: int = 10
) -> Any:
    """One council of all `bodies`, each taking part in `services` joint services for the
    year (one body in 97 from October), with budgets and methods drawn from rng."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction

    from apps.groups.models import (
        Group,
        GroupKind,
        JointService,
        JointServiceYear,
        Membership,
        Participation,
    )

    with transaction.atomic():
        council = Group.objects.create(
            name="全国共同利用ベンチ協議会", kind=GroupKind.COUNCIL, secretariat=bodies[0]
        )
        Membership.objects.bulk_create(
            [Membership(group=council, body=b, joined_on=dt.date(2024, 4, 1)) for b in bodies]
        )
        for n in range(services):
            service = JointService.objects.create(group=council, name=f"共同システム{n:02d}")
            year = JointServiceYear.objects.create(
                service=service,
                fiscal_year=fiscal_year,
                total_cost_yen=rng.randrange(10**8, 10**10),
                equal_part=Decimal(rng.choice(["0", "0.2", "0.06"])),
                doubling_factor=Decimal("1.5"),
            )
            Participation.objects.bulk_create(
                [
                    Participation(
                        service_year=year,
                        body=b,
                        joined_month=dt.date(fiscal_year, 10, 1) if i % 97 == 0 else None,
                    )
                    for i, b in enumerate(bodies)
                ]
            )
    return council


def vendors_listings_contracts(
    *,
    rng: random.Random,
    fiscal_year: int,
    bodies: list[Any],
    vendors: int = 50,
    listings: int = 500,
    contracts: int = 20_000,
) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import Role, User
    from apps.catalog.domain.text import normalise
    from apps.catalog.models import Category, FeeBand, FeeSchedule, Listing, Pattern
    from apps.contracts.models import Application, Contract, ContractTerm
    from apps.tenants.domain.codes import corporate_number_check_digit
    from apps.vendors.models import Vendor, VendorStaff

    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        vendor_rows = []
        for i in range(vendors):
            base = f"{900000000000 + i:012d}"
            corp = f"{corporate_number_check_digit(base)}{base}"
            vendor_rows.append(
                Vendor(
                    name=f"ベンチ事業者{i:02d}株式会社",
                    corporate_number=corp,
                    invoice_registration_number=f"T{corp}",
                )
            )
        Vendor.objects.bulk_create(vendor_rows)
        users = []
        for i in range(vendors):
            user = User(username=f"vendor{i:02d}", full_name=f"担当{i}", role=Role.VENDOR)
            user.password = password_hash()
            users.append(user)
        User.objects.bulk_create(users)
        VendorStaff.objects.bulk_create(
            [VendorStaff(vendor=v, user=u) for v, u in zip(vendor_rows, users, strict=True)]
        )
        listing_rows = []
        for i in range(listings):
            vendor = vendor_rows[i % vendors]
            name = f"{rng.choice(WORDS)}{rng.choice(WORDS)}サービス{i:03d}"
            listing = Listing(
                vendor=vendor,
                name=name,
                summary=f"{rng.choice(WORDS)}を効率化する{name}",
                description=" ".join(rng.sample(WORDS, 4)),
                category=rng.choice(Category.values),
                pattern=rng.choice(Pattern.values),
                gov_cloud=rng.random() < 0.4,
                lgwan=rng.random() < 0.6,
                ismap=rng.random() < 0.5,
                standard_conformant=rng.random() < 0.3,
                plans=["標準"],
                status="published",
                published_at=now,
            )
            listing.search_text = normalise(
                f"{listing.name} {listing.summary} {listing.description} {vendor.name}"
            )
            listing_rows.append(listing)
        Listing.objects.bulk_create(listing_rows)
        schedules = []
        for i, listing in enumerate(listing_rows):
            weighted = i % 2 == 1
            schedules.append(
                FeeSchedule(
                    listing=listing,
                    fiscal_year=fiscal_year,
                    version=1,
                    kind="weighted" if weighted else "bands",
                    base_fee_yen=500_000,
                    reference_population=100_000,
                    status="published",
                    published_at=now,
                    initial_fee_yen=100_000 if i % 7 == 0 else 0,
                    joint_discount_percent=10 if i % 5 == 0 else None,
                    joint_discount_min_bodies=10 if i % 5 == 0 else None,
                )
            )
        FeeSchedule.objects.bulk_create(schedules)
        FeeBand.objects.bulk_create(
            [
                FeeBand(schedule=s, lower=lo, upper=hi, annual_fee_yen=fee)
                for s in schedules
                if s.kind == "bands"
                for lo, hi, fee in [
                    (0, 10_000, 200_000),
                    (10_000, 50_000, 500_000),
                    (50_000, 200_000, 1_000_000),
                    (200_000, None, 2_000_000),
                ]
            ]
        )
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < contracts:
            pairs.add((rng.randrange(len(bodies)), rng.randrange(len(listing_rows))))
        schedule_of = {s.listing_id: s for s in schedules}
        import datetime as dt

        applications = []
        for b, li in sorted(pairs):
            listing = listing_rows[li]
            start = dt.date(fiscal_year, rng.choice([4, 4, 4, 7, 10, 1]), 1)
            if start.month < 4:
                start = start.replace(year=fiscal_year + 1)
            applications.append(
                Application(
                    body=bodies[b],
                    listing=listing,
                    vendor_id=listing.vendor_id,
                    plan="標準",
                    start_month=start,
                    first_fiscal_year=fiscal_year,
                    last_fiscal_year=fiscal_year,
                    status="accepted",
                    applicant_id=0,
                    body_decided_at=now,
                    vendor_decided_at=now,
                )
            )
        Application.objects.bulk_create(applications, batch_size=2000)
        contract_rows = [
            Contract(
                application=a,
                body_id=a.body_id,
                listing_id=a.listing_id,
                vendor_id=a.vendor_id,
                plan="標準",
                start_month=a.start_month,
            )
            for a in applications
        ]
        Contract.objects.bulk_create(contract_rows, batch_size=2000)
        ContractTerm.objects.bulk_create(
            [
                ContractTerm(
                    contract=c, fiscal_year=fiscal_year, fee_schedule=schedule_of[c.listing_id]
                )
                for c in contract_rows
            ],
            batch_size=2000,
        )
    print(
        f"setup: {vendors} vendors, {listings} listings, {contracts:,} contracts in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return {
        "vendors": vendor_rows,
        "vendor_users": users,
        "listings": listing_rows,
        "contracts": contract_rows,
    }
