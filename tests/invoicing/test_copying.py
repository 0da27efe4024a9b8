"""COPY in place of bulk_create (apps/core/copying.py): the same rows, byte for byte."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from apps.core.copying import copy_new, copy_upsert
from apps.invoicing.models import BurdenShare, Invoice, InvoiceKind
from tests.clock import FY

pytestmark = pytest.mark.django_db

UPDATE = ["months", "weight", "raw_share", "floor_yen", "remainder_yen", "amount_yen"]


def _invoice(portal, source_key: str) -> Invoice:  # type: ignore[no-untyped-def]
    body = portal.bodies["toyohashi"]
    return Invoice(
        kind=InvoiceKind.USAGE,  # an enum member: stored as its value
        fiscal_year=FY,
        issuer_key="vendor:1",
        issuer_name="テスト株式会社",
        recipient=body,
        recipient_name=body.name,
        source_key=source_key,
        subtotal_yen=450_000,
        tax_yen=45_000,
        total_yen=495_000,
        tax_summary=[{"category": "standard_10", "rate": "0.10", "tax_yen": 45_000}],
    )


def _stored(invoice: Invoice) -> dict:  # type: ignore[type-arg]
    row = model_to_dict(Invoice.objects.get(pk=invoice.pk))
    return {k: v for k, v in row.items() if k not in ("id", "source_key")}


def test_copy_new_stores_what_bulk_create_stores(portal) -> None:
    by_bulk, by_copy = _invoice(portal, "t:bulk"), _invoice(portal, "t:copy")
    Invoice.objects.bulk_create([by_bulk])
    copy_new([by_copy])
    assert by_copy.pk is not None and by_copy.pk != by_bulk.pk
    assert not by_copy._state.adding
    assert _stored(by_copy) == _stored(by_bulk)
    assert Invoice.objects.get(pk=by_copy.pk).kind == "usage"
    stamped = Invoice.objects.get(pk=by_copy.pk)
    assert stamped.created_at is not None and stamped.updated_at is not None
    # the ids came from the table's sequence: the next ordinary insert does not collide
    later = _invoice(portal, "t:later")
    later.save()
    assert later.pk > by_copy.pk


def _share(portal, billing, amount: int) -> BurdenShare:  # type: ignore[no-untyped-def]
    return BurdenShare(
        service_year=billing["year"],
        body=portal.bodies["toyohashi"],
        months=12,
        weight=Decimal("1234.5"),
        # 40 decimal places: stored rounded to the column's 36, as bulk_create does
        raw_share=Decimal("0.1234567890123456789012345678901234567891"),
        floor_yen=amount,
        remainder_yen=0,
        amount_yen=amount,
    )


def test_copy_upsert_inserts_then_updates_the_same_row(portal, billing) -> None:
    BurdenShare.objects.all().delete()
    first = _share(portal, billing, 100)
    copy_upsert([first], unique_fields=["service_year", "body"], update_fields=UPDATE)
    stored = BurdenShare.objects.get()
    assert (stored.pk, stored.amount_yen) == (first.pk, 100)
    assert stored.raw_share == Decimal("0.123456789012345678901234567890123457")
    assert stored.computed_at is not None

    again = _share(portal, billing, 250)
    copy_upsert([again], unique_fields=["service_year", "body"], update_fields=UPDATE)
    assert again.pk == first.pk
    assert list(BurdenShare.objects.values_list("pk", "amount_yen", "floor_yen")) == [
        (first.pk, 250, 250)
    ]

    # bulk_create's upsert would have stored the same decimal
    BurdenShare.objects.bulk_create(
        [_share(portal, billing, 250)],
        update_conflicts=True,
        unique_fields=["service_year", "body"],
        update_fields=UPDATE,
    )
    assert BurdenShare.objects.get().raw_share == stored.raw_share
