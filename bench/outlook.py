"""Outlook figures, printed (not asserted).

    .venv/bin/python -m bench.outlook

On portal_bench: the 1,788 bodies, 50 vendors with 500 listings and 20,000 usage contracts, a
council of all 1,788 bodies running 10 joint services (everyone takes part) and a council of
200 bodies running 3; a usage-fee support scheme with a cap. 一宮市 gets 50 contracts of its own.
Prints, for a body with 50 contracts and 10 joint services and for one with a few, the outlook
page and API (time, median of 3 after a warm-up, in-process through Django's test client; SQL
queries); and the secretariat's view over 1,788 members and over 200.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from bench._common import measure_page, timings, use_bench_database
from bench.datasets import import_bodies, vendors_listings_contracts


def councils(bodies: list, fy: int) -> tuple:  # type: ignore[type-arg]
    from django.utils import timezone

    from apps.accounts.models import Role, User
    from apps.groups.models import (
        Group,
        GroupKind,
        JointService,
        JointServiceYear,
        Membership,
        Participation,
        SecretariatStaff,
    )

    user = User.objects.create_user("bench-sec", "x", full_name="事務局", role=Role.SECRETARIAT)
    made = []
    for name, members, services in (("全国協議会", bodies, 10), ("小さな協議会", bodies[:200], 3)):
        group = Group.objects.create(name=name, kind=GroupKind.COUNCIL, secretariat=members[0])
        Membership.objects.bulk_create(
            [Membership(group=group, body=b, joined_on=timezone.localdate()) for b in members]
        )
        SecretariatStaff.objects.create(group=group, user=user)
        for i in range(services):
            service = JointService.objects.create(group=group, name=f"共同システム{i + 1}")
            year = JointServiceYear.objects.create(
                service=service,
                fiscal_year=fy,
                total_cost_yen=100_000_000 + i,
                equal_part=Decimal("0.2"),
                doubling_factor=Decimal("1.5"),
            )
            Participation.objects.bulk_create(
                [Participation(service_year=year, body=b) for b in members], batch_size=2000
            )
        made.append(group)
    return user, made


def fifty_contracts(body, listings: list, fy: int) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from apps.catalog.models import FeeSchedule
    from apps.contracts.models import Application, Contract, ContractTerm

    now = timezone.now()
    have = set(Contract.objects.filter(body=body).values_list("listing_id", flat=True))
    chosen = [li for li in listings if li.pk not in have][: 50 - len(have)]
    schedules = {
        s.listing_id: s for s in FeeSchedule.objects.filter(listing__in=chosen, fiscal_year=fy)
    }
    for li in chosen:
        app = Application.objects.create(
            body=body,
            listing=li,
            vendor_id=li.vendor_id,
            plan="標準",
            start_month=dt.date(fy, 4, 1),
            first_fiscal_year=fy,
            last_fiscal_year=fy,
            status="accepted",
            applicant_id=0,
            body_decided_at=now,
            vendor_decided_at=now,
        )
        contract = Contract.objects.create(
            application=app,
            body=body,
            listing=li,
            vendor_id=li.vendor_id,
            plan="標準",
            start_month=app.start_month,
        )
        ContractTerm.objects.create(
            contract=contract, fiscal_year=fy, fee_schedule=schedules[li.pk]
        )


def show(label: str, client, path: str) -> None:  # type: ignore[no-untyped-def]
    times, queries, _size = measure_page(client, path)
    print(f"  {label:<58} {timings(times)}, {queries} queries")


def main() -> None:
    use_bench_database()
    from django.test import Client
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role
    from apps.accounts.services import user_create
    from apps.accounts.viewer import system_viewer
    from apps.contracts.models import Contract
    from apps.core.domain.fiscal import fiscal_year_of
    from apps.tenants.provisioning import body_provision
    from apps.training.models import SupportScheme

    fy = fiscal_year_of(timezone.localdate())
    bodies = import_bodies()
    rng = random.Random(2026)
    data = vendors_listings_contracts(rng=rng, fiscal_year=fy, bodies=bodies)
    user, groups = councils(bodies, fy)
    SupportScheme.objects.create(
        name="共通化B利用料補助",
        fiscal_year=fy,
        rate=Decimal("0.5"),
        purpose="usage_fees",
        cap_yen=1_000_000,
        bonus_points=Decimal("0.1"),
        bonus_min_bodies=5,
    )
    by_code = {b.code: b for b in bodies}
    big, small = by_code["232033"], by_code["232017"]
    fifty_contracts(big, data["listings"], fy)
    body_provision(bodies=[big, small])
    for body in (big, small):
        body.refresh_from_db()
        contracts = Contract.objects.filter(body=body).count()
        client = Client(HTTP_HOST=f"{body.slug}.localhost")
        with schema_context(body.schema_name):
            admin = user_create(
                viewer=system_viewer(),
                username="admin",
                full_name="管理者",
                role=Role.BODY_ADMIN,
                password="bench-password-2026",  # noqa: S106
            )
            client.force_login(admin)
        lines = len(client.get(f"/api/v1/outlook/?fiscal_year={fy}").json()["lines"])
        print(f"{body.name}: {contracts} contracts, 10 joint services → {lines} lines")
        for label, path in (
            ("outlook API (the year and the year before)", f"/api/v1/outlook/?fiscal_year={fy}"),
            ("outlook page", f"/outlook/?fiscal_year={fy}"),
            ("予算要求資料 PDF", f"/outlook/pdf/?fiscal_year={fy}"),
        ):
            show(label, client, path)
    from django.db import connection

    connection.set_schema_to_public()  # the body requests above left the connection there
    sec = Client(HTTP_HOST="localhost")
    sec.force_login(user)
    for group in groups:
        members = group.memberships.count()
        print(f"secretariat: {group.name}, {members:,} members")
        for label, path in (
            ("members' outlook API", f"/api/v1/groups/{group.pk}/outlook/?fiscal_year={fy}"),
            ("members' outlook page (50 a page)", f"/outlook/groups/{group.pk}/?fiscal_year={fy}"),
        ):
            show(label, sec, path)


if __name__ == "__main__":
    main()
