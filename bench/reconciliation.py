"""Reconciliation and invoice PDF figures, printed (not asserted).

    .venv/bin/python -m bench.reconciliation

On portal_bench: one vendor with 20,000 issued invoices to the 1,788 bodies, and a Zengin
statement of 2,000 credits (1,500 paying an invoice in full from the body's 会計管理者 account,
300 paying part of one with its number written, 200 from nobody the portal knows). Prints the
time to import and match the statement (one transaction, through the product's service), how
many were matched and unmatched, and the size and rendering time of a 20-page invoice PDF.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import statistics
import sys
import time

from bench._common import ROOT, use_bench_database
from bench.datasets import import_bodies

INVOICES = 20_000
FULL, PARTIAL, UNKNOWN = 1_500, 300, 200


def build(bodies: list) -> tuple:  # type: ignore[type-arg]
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import Role, User
    from apps.accounts.viewer import Viewer
    from apps.invoicing.models import Invoice, IssuerSequence
    from apps.vendors.models import Vendor, VendorStaff

    rng = random.Random(2026)
    today = timezone.localdate()
    fy = today.year if today.month >= 4 else today.year - 1
    started = time.perf_counter()
    with transaction.atomic():
        vendor = Vendor.objects.create(
            name="照合ベンチ株式会社",
            corporate_number="4180001234567",
            invoice_registration_number="T4180001234567",
            contact_email="bench@example.jp",
        )
        user = User.objects.create_user("bench-vendor", "x", full_name="担当", role=Role.VENDOR)
        VendorStaff.objects.create(vendor=vendor, user=user)
        amounts = rng.sample(range(100_000, 50_000_000), INVOICES)  # distinct amounts
        invoices = [
            Invoice(
                kind="usage",
                status="issued",
                fiscal_year=fy,
                issuer_vendor=vendor,
                issuer_key=f"vendor:{vendor.pk}",
                issuer_name=vendor.name,
                recipient=bodies[n % len(bodies)],
                recipient_name=bodies[n % len(bodies)].name,
                source_key=f"bench:{n}",
                number=f"V{vendor.pk}-{fy}-{n + 1:06d}",
                sequence=n + 1,
                issue_date=today - dt.timedelta(days=20),
                due_date=today + dt.timedelta(days=10),
                subtotal_yen=amount,
                total_yen=amount,
                tax_summary=[],
            )
            for n, amount in enumerate(amounts)
        ]
        Invoice.objects.bulk_create(invoices, batch_size=2000)
        IssuerSequence.objects.create(
            issuer_key=f"vendor:{vendor.pk}", fiscal_year=fy, last_number=INVOICES
        )
    print(f"data: {INVOICES:,} issued invoices in {time.perf_counter() - started:.1f} s")
    return Viewer(user=user, body=None), f"vendor:{vendor.pk}", invoices, rng


def statement(invoices: list, rng: random.Random) -> bytes:  # type: ignore[type-arg]
    sys.path.insert(0, str(ROOT))
    from django.utils import timezone

    from tests.invoicing.zengin import Tx, zengin

    today = timezone.localdate()
    chosen = rng.sample(invoices, FULL + PARTIAL)
    txs = [
        Tx(today - dt.timedelta(days=1), i.total_yen, f"{i.recipient.kana} ｶｲｹｲｶﾝﾘｼﾔ")
        for i in chosen[:FULL]
    ]
    txs += [
        Tx(today - dt.timedelta(days=1), i.total_yen // 2, i.recipient.kana, memo=i.number)
        for i in chosen[FULL:]
    ]
    txs += [Tx(today, 1_000 + n, "ｶ)ｿﾉﾀﾉｲﾗｲﾆﾝ") for n in range(UNKNOWN)]
    rng.shuffle(txs)
    return zengin(txs)


def reconcile(viewer, issuer: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from apps.invoicing.models import CreditStatus
    from apps.invoicing.services.reconciliation import statement_import

    connection.queries_log.clear()
    started = time.perf_counter()
    imported = statement_import(
        viewer=viewer, issuer_key=issuer, filename="bench.txt", content=data
    )
    elapsed = time.perf_counter() - started
    unmatched = imported.items.filter(status=CreditStatus.UNMATCHED).count()
    print(
        f"reconciliation: {imported.credits:,} credits against {INVOICES:,} invoices in "
        f"{elapsed:.2f} s ({len(data) / 1024:.0f} KB file): matched {imported.matched:,}, "
        f"unmatched {unmatched:,} (expected {FULL + PARTIAL:,} / {UNKNOWN:,})"
    )
    started = time.perf_counter()
    again = statement_import(
        viewer=viewer, issuer_key=issuer, filename="csv.txt", content=data + b"\r\n"
    )
    print(
        f"the same credits again: {again.duplicates:,} recognised, {again.matched} recorded, "
        f"{time.perf_counter() - started:.2f} s"
    )


def pdf_pages(viewer, vendor_pk: int, bodies: list) -> None:  # type: ignore[no-untyped-def, type-arg]
    from django.db import transaction
    from django.utils import timezone

    from apps.invoicing.models import Invoice, InvoiceLine
    from apps.invoicing.pdf import invoice_pdf
    from apps.invoicing.services.documents import invoice_issue

    today = timezone.localdate()
    bodies_fy = today.year if today.month >= 4 else today.year - 1

    def make(lines: int) -> Invoice:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                kind="usage",
                fiscal_year=bodies_fy,
                issuer_key=f"vendor:{vendor_pk}",
                issuer_vendor_id=vendor_pk,
                issuer_name="照合ベンチ株式会社",
                issuer_registration_number="T4180001234567",
                recipient=bodies[0],
                recipient_name=bodies[0].name,
                source_key=f"bench:pdf:{lines}",
                subtotal_yen=lines * 1_000,
                tax_yen=lines * 100,
                total_yen=lines * 1_100,
                tax_summary=[
                    {
                        "category": "standard_10",
                        "rate": "0.10",
                        "taxable_yen": lines * 1_000,
                        "tax_yen": lines * 100,
                    }
                ],
            )
            InvoiceLine.objects.bulk_create(
                InvoiceLine(
                    invoice=invoice,
                    position=n,
                    description=f"サービス利用料 明細{n:04d}",
                    amount_yen=1_000,
                    tax_category="standard_10",
                )
                for n in range(1, lines + 1)
            )
        invoice_issue(viewer=viewer, invoice_id=invoice.pk)
        return Invoice.objects.prefetch_related("lines").get(pk=invoice.pk)

    lines = 690  # twenty A4 pages: about 25 lines on the first, 35 on each after it
    invoice = make(lines)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        data = invoice_pdf(invoice)
        times.append(time.perf_counter() - started)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    print(
        f"invoice PDF: {lines} lines, {pages} pages, {len(data) / 1024:.0f} KB, "
        f"median {statistics.median(times) * 1000:.0f} ms of 3"
    )


def main() -> None:
    use_bench_database()
    bodies = import_bodies()
    viewer, issuer, invoices, rng = build(bodies)
    reconcile(viewer, issuer, statement(invoices, rng))
    pdf_pages(viewer, int(issuer.split(":")[1]), bodies)


if __name__ == "__main__":
    main()
