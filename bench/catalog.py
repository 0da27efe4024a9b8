"""Catalogue and contract figures, printed (not asserted).

    .venv/bin/python -m bench.catalog

Builds portal_bench with all 1,788 bodies (schemas provisioned), 50 vendors, 500 published
listings with fee schedules and 20,000 usage contracts, and prints the SQL queries per request,
in-process, with few and with many rows shown. The same pages under load, against a bare Django
view, are bench.http's (which uses this build).
"""

from __future__ import annotations

import random
import time

from bench._common import use_bench_database
from bench.datasets import PASSWORD, import_bodies, password_hash, vendors_listings_contracts


def build() -> dict:
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, User
    from apps.core.domain.fiscal import fiscal_year_of
    from apps.tenants.provisioning import body_provision

    bodies = import_bodies()
    t = time.perf_counter()
    body_provision(bodies=bodies)
    print(f"setup: provisioned 1,788 bodies in {time.perf_counter() - t:.1f} s")
    fy = fiscal_year_of(timezone.localdate())
    made = vendors_listings_contracts(rng=random.Random(2026), fiscal_year=fy, bodies=bodies)
    staff_bodies = [b for b in bodies if b.kind in ("city", "town")][:20]
    for body in staff_bodies:
        with schema_context(body.schema_name):
            user = User(username="staff", full_name="職員", role=Role.BODY_STAFF)
            user.password = password_hash()
            user.save()
    contracts = made["contracts"]
    busiest = max(made["vendors"], key=lambda v: sum(1 for c in contracts if c.vendor_id == v.pk))
    return {
        "fy": fy,
        "listings": [x.pk for x in made["listings"]],
        "staff_bodies": staff_bodies,
        "vendors": made["vendors"],
        "vendor_users": made["vendor_users"],
        "busiest_vendor": busiest,
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


def main() -> None:
    use_bench_database()
    data = build()
    query_counts(data)


if __name__ == "__main__":
    main()
