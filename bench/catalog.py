"""Catalogue and contract figures, printed (not asserted).

    .venv/bin/python -m bench.catalog [--clients 20] [--requests 25]

Builds portal_bench with all 1,788 bodies (schemas provisioned), 50 vendors, 500 published
listings with fee schedules and 20,000 usage contracts, serves it with gunicorn (4 workers) and
measures, under N concurrent clients over real HTTP: the catalogue search page at a body's site,
the quote API, and a vendor's contract list page. Then the SQL queries per request, in-process,
with few and with many rows shown.
"""

from __future__ import annotations

import argparse
import random
import re
import time

from bench._common import run_clients, start_gunicorn, use_bench_database

PASSWORD = "bench-password-2026"  # noqa: S105


def build() -> dict:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, User
    from apps.catalog.models import Category, FeeBand, FeeSchedule, Listing, Pattern
    from apps.catalog.services import normalise
    from apps.contracts.models import Application, Contract, ContractTerm
    from apps.core.domain.fiscal import fiscal_year_of
    from apps.tenants.domain.codes import corporate_number_check_digit
    from apps.tenants.domain.reference import parse_reference_csv
    from apps.tenants.models import Body
    from apps.tenants.provisioning import body_provision
    from apps.tenants.services import body_import_reference
    from apps.vendors.models import Vendor, VendorStaff
    from bench._common import ROOT

    rng = random.Random(2026)
    call_command("migrate_schemas", shared=True, verbosity=0, interactive=False)
    with (ROOT / "data" / "municipalities.csv").open(encoding="utf-8") as fh:
        body_import_reference(records=parse_reference_csv(fh))
    t = time.perf_counter()
    body_provision(bodies=list(Body.objects.order_by("code")))
    print(f"setup: provisioned 1,788 bodies in {time.perf_counter() - t:.1f} s")
    fy = fiscal_year_of(timezone.localdate())
    t = time.perf_counter()
    with transaction.atomic():
        vendors = []
        for i in range(50):
            base = f"{900000000000 + i:012d}"
            corp = f"{corporate_number_check_digit(base)}{base}"
            vendors.append(
                Vendor(
                    name=f"ベンチ事業者{i:02d}株式会社",
                    corporate_number=corp,
                    invoice_registration_number=f"T{corp}",
                )
            )
        Vendor.objects.bulk_create(vendors)
        vendor_users = []
        for i in range(len(vendors)):
            user = User(username=f"vendor{i:02d}", full_name=f"担当{i}", role=Role.VENDOR)
            user.set_password(PASSWORD)
            vendor_users.append(user)
        User.objects.bulk_create(vendor_users)
        VendorStaff.objects.bulk_create(
            [VendorStaff(vendor=v, user=u) for v, u in zip(vendors, vendor_users, strict=True)]
        )
        words = [
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
        listings = []
        for i in range(500):
            vendor = vendors[i % 50]
            name = f"{rng.choice(words)}{rng.choice(words)}サービス{i:03d}"
            listing = Listing(
                vendor=vendor,
                name=name,
                summary=f"{rng.choice(words)}を効率化する{name}",
                description=" ".join(rng.sample(words, 4)),
                category=rng.choice(Category.values),
                pattern=rng.choice(Pattern.values),
                gov_cloud=rng.random() < 0.4,
                lgwan=rng.random() < 0.6,
                ismap=rng.random() < 0.5,
                standard_conformant=rng.random() < 0.3,
                plans=["標準"],
                status="published",
                published_at=timezone.now(),
            )
            listing.search_text = normalise(
                f"{listing.name} {listing.summary} {listing.description} {vendor.name}"
            )
            listings.append(listing)
        Listing.objects.bulk_create(listings)
        schedules = []
        for i, listing in enumerate(listings):
            weighted = i % 2 == 1
            schedules.append(
                FeeSchedule(
                    listing=listing,
                    fiscal_year=fy,
                    version=1,
                    kind="weighted" if weighted else "bands",
                    base_fee_yen=500_000,
                    reference_population=100_000,
                    status="published",
                    published_at=timezone.now(),
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
        bodies = list(Body.objects.order_by("code"))
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < 20_000:
            pairs.add((rng.randrange(len(bodies)), rng.randrange(len(listings))))
        schedule_of = {s.listing_id: s for s in schedules}
        start = (
            timezone.localdate().replace(month=4, day=1)
            if timezone.localdate().month >= 4
            else timezone.localdate().replace(year=fy, month=4, day=1)
        )
        applications, contracts = [], []
        for b, li in sorted(pairs):
            listing = listings[li]
            applications.append(
                Application(
                    body=bodies[b],
                    listing=listing,
                    vendor_id=listing.vendor_id,
                    plan="標準",
                    start_month=start,
                    first_fiscal_year=fy,
                    last_fiscal_year=fy,
                    status="accepted",
                    applicant_id=0,
                    body_decided_at=timezone.now(),
                    vendor_decided_at=timezone.now(),
                )
            )
        Application.objects.bulk_create(applications, batch_size=2000)
        for a in applications:
            contracts.append(
                Contract(
                    application=a,
                    body_id=a.body_id,
                    listing_id=a.listing_id,
                    vendor_id=a.vendor_id,
                    plan="標準",
                    start_month=start,
                )
            )
        Contract.objects.bulk_create(contracts, batch_size=2000)
        ContractTerm.objects.bulk_create(
            [
                ContractTerm(contract=c, fiscal_year=fy, fee_schedule=schedule_of[c.listing_id])
                for c in contracts
            ],
            batch_size=2000,
        )
    print(f"setup: 50 vendors, 500 listings, 20,000 contracts in {time.perf_counter() - t:.1f} s")

    staff_bodies = [b for b in bodies if b.kind in ("city", "town")][:20]
    for body in staff_bodies:
        with schema_context(body.schema_name):
            user = User(username="staff", full_name="職員", role=Role.BODY_STAFF)
            user.set_password(PASSWORD)
            user.save()
    most = max(vendors, key=lambda v: sum(1 for c in contracts if c.vendor_id == v.pk))
    return {
        "fy": fy,
        "listings": [x.pk for x in listings],
        "staff_bodies": staff_bodies,
        "vendors": vendors,
        "vendor_users": vendor_users,
        "busiest_vendor": most,
    }


def query_counts(data: dict) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, User
    from apps.contracts.models import Contract
    from apps.vendors.models import Vendor, VendorStaff

    body = data["staff_bodies"][0]
    staff = Client(HTTP_HOST=f"{body.slug}.localhost")
    with schema_context(body.schema_name):
        staff.force_login(User.objects.get(username="staff"))

    def count(client: Client, path: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        connection.set_schema_to_public()
        return len(ctx.captured_queries), response.status_code

    listing = data["listings"][0]
    rows = []
    wide = "/catalog/"  # 20 rows shown
    narrow = "/catalog/?q=サービス000"  # 1 row
    rows.append(("catalogue search page, 20 rows shown", count(staff, wide)[0]))
    rows.append(("catalogue search page, 1 row shown", count(staff, narrow)[0]))
    rows.append(
        (
            "quote API",
            count(staff, f"/api/v1/listings/{listing}/quote/?fiscal_year={data['fy']}")[0],
        )
    )
    connection.set_schema_to_public()  # the body-site requests left the connection in a body
    vendor = data["busiest_vendor"]
    vendor_client = Client(HTTP_HOST="localhost")
    vendor_client.force_login(User.objects.get(vendor_staff__vendor=vendor))
    n = Contract.objects.filter(vendor=vendor).count()
    rows.append(
        (f"vendor contract list page, 50 of {n} shown", count(vendor_client, "/contracts/")[0])
    )
    rows.append(
        (
            "vendor contract list API, limit=100",
            count(vendor_client, "/api/v1/contracts/?limit=100")[0],
        )
    )
    rows.append(
        ("vendor contract list API, limit=5", count(vendor_client, "/api/v1/contracts/?limit=5")[0])
    )
    small = Vendor.objects.create(
        name="小規模事業者",
        corporate_number="7000012050002",
        invoice_registration_number="T7000012050002",
    )
    user = User.objects.create_user("tiny", PASSWORD, full_name="x", role=Role.VENDOR)
    VendorStaff.objects.create(vendor=small, user=user)
    tiny = Client(HTTP_HOST="localhost")
    tiny.force_login(user)
    rows.append(("vendor contract list page, 0 contracts", count(tiny, "/contracts/")[0]))
    print("\nSQL queries per request (in-process, including session and user look-ups):")
    for label, queries in rows:
        print(f"  {label:<45} {queries:>3}")


def login(session, base: str, host: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page = session.get(f"{base}/accounts/login/", headers={"Host": host})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        headers={"Host": host},
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.status_code


def load(data: dict, clients: int, requests_each: int) -> None:
    import requests

    proc, port = start_gunicorn(workers=4)
    base = f"http://127.0.0.1:{port}"
    terms = ["", "窓口", "AI", "クラウド 共同利用", "電子申請", "OCR"]
    listings = data["listings"]
    try:

        def search(i: int):  # type: ignore[no-untyped-def]
            body = data["staff_bodies"][i % len(data["staff_bodies"])]
            host = f"{body.slug}.localhost:{port}"
            s = requests.Session()
            login(s, base, host, "staff")
            return lambda n: (
                s.get(
                    f"{base}/catalog/",
                    headers={"Host": host},
                    params={"q": terms[n % len(terms)], "flag": "lgwan" if n % 2 else ""},
                ).status_code
            )

        def quote(i: int):  # type: ignore[no-untyped-def]
            body = data["staff_bodies"][i % len(data["staff_bodies"])]
            host = f"{body.slug}.localhost:{port}"
            s = requests.Session()
            login(s, base, host, "staff")
            return lambda n: (
                s.get(
                    f"{base}/api/v1/listings/{listings[(i * 31 + n) % len(listings)]}/quote/",
                    headers={"Host": host},
                    params={"fiscal_year": data["fy"]},
                ).status_code
            )

        def vendor_contracts(i: int):  # type: ignore[no-untyped-def]
            host = f"localhost:{port}"
            s = requests.Session()
            login(s, base, host, data["vendor_users"][i % 50].username)
            return lambda n: (
                s.get(
                    f"{base}/contracts/", headers={"Host": host}, params={"page": 1 + n % 3}
                ).status_code
            )

        print(
            f"\nUnder {clients} concurrent clients, {requests_each} requests each, real HTTP to "
            "gunicorn (4 sync workers) on this 2-core machine:"
        )
        for label, factory in [
            ("catalogue search page", search),
            ("quote API", quote),
            ("vendor contract list page", vendor_contracts),
        ]:
            r = run_clients(clients, requests_each, factory)
            print(
                f"  {label:<28} median {r['median_ms']:6.1f} ms   p95 {r['p95_ms']:6.1f} ms   "
                f"{r['per_second']:5.1f} req/s   {r['requests']} requests, {r['errors']} errors"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25)
    args = parser.parse_args()
    use_bench_database()
    data = build()
    query_counts(data)
    load(data, args.clients, args.requests)


if __name__ == "__main__":
    main()
