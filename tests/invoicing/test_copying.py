"""COPY in place of bulk_create (apps/core/copying.py): the same rows, byte for byte."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from apps.core.copying import copy_insert, copy_upsert
from apps.invoicing.models import BurdenShare, Invoice, InvoiceKind
from tests.clock import FY

pytestmark = pytest.mark.django_db

UPDATE = ["months", "weight", "raw_share", "floor_yen", "remainder_yen", "amount_yen"]


def _values(portal, source_key: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    body = portal.bodies["toyohashi"]
    return {
        "kind": InvoiceKind.USAGE,  # an enum member: stored as its value
        "fiscal_year": FY,
        "issuer_key": "vendor:1",
        "issuer_name": "テスト株式会社",
        "recipient_id": body.pk,
        "recipient_name": body.name,
        "source_key": source_key,
        "subtotal_yen": 450_000,
        "tax_yen": 45_000,
        "total_yen": 495_000,
        "tax_summary": [{"category": "standard_10", "rate": "0.10", "tax_yen": 45_000}],
    }


def _stored(pk: int) -> dict:  # type: ignore[type-arg]
    row = model_to_dict(Invoice.objects.get(pk=pk))
    return {k: v for k, v in row.items() if k not in ("id", "source_key")}


def test_copy_insert_stores_what_bulk_create_stores(portal) -> None:
    (by_bulk,) = Invoice.objects.bulk_create([Invoice(**_values(portal, "t:bulk"))])
    ids = copy_insert(Invoice, [_values(portal, "t:copy"), _values(portal, "t:copy2")])
    assert len(ids) == 2
    assert ids[0] < ids[1]
    assert by_bulk.pk not in ids
    # every column the rows did not give took the model's default, as in bulk_create
    assert _stored(ids[0]) == _stored(by_bulk.pk) == _stored(ids[1])
    stored = Invoice.objects.get(pk=ids[0])
    assert (stored.kind, stored.status, stored.revision, stored.issuer_details) == (
        "usage",
        "draft",
        1,
        {},
    )
    assert stored.created_at is not None
    assert stored.updated_at is not None
    # the ids came from the table's sequence: the next ordinary insert does not collide
    later = Invoice(**_values(portal, "t:later"))
    later.save()
    assert later.pk > ids[1]


def _share(portal, billing, amount: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "service_year_id": billing["year"].pk,
        "body_id": portal.bodies["toyohashi"].pk,
        "months": 12,
        "weight": Decimal("1234.5"),
        # 40 decimal places: stored rounded to the column's 36, as bulk_create does
        "raw_share": Decimal("0.1234567890123456789012345678901234567891"),
        "floor_yen": amount,
        "remainder_yen": 0,
        "amount_yen": amount,
    }


def test_copy_upsert_inserts_then_updates_the_same_row(portal, billing) -> None:
    BurdenShare.objects.all().delete()
    key = (billing["year"].pk, portal.bodies["toyohashi"].pk)
    unique = ["service_year", "body"]
    first = copy_upsert(
        BurdenShare, [_share(portal, billing, 100)], unique_fields=unique, update_fields=UPDATE
    )
    stored = BurdenShare.objects.get()
    assert first == {key: stored.pk}
    assert stored.amount_yen == 100
    assert stored.raw_share == Decimal("0.123456789012345678901234567890123457")
    assert stored.population_source == ""  # a column the row leaves out: the model's default
    assert stored.computed_at is not None

    again = copy_upsert(
        BurdenShare, [_share(portal, billing, 250)], unique_fields=unique, update_fields=UPDATE
    )
    assert again == first
    assert list(BurdenShare.objects.values_list("pk", "amount_yen", "floor_yen")) == [
        (stored.pk, 250, 250)
    ]

    # bulk_create's upsert would have stored the same decimal
    BurdenShare.objects.bulk_create(
        [BurdenShare(**_share(portal, billing, 250))],
        update_conflicts=True,
        unique_fields=unique,
        update_fields=UPDATE,
    )
    assert BurdenShare.objects.get().raw_share == stored.raw_share
