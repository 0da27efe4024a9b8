"""The outlook: every expected cost of a body's fiscal year from the code that makes the
invoices, replaced by the invoices once they exist; support with caps and the joint-use
bonus; the secretariat's view; sealing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django_tenants.utils import schema_context

from apps.accounts.models import AdviserEngagement
from apps.core.domain.wareki import fiscal_year_label
from apps.invoicing.models import Invoice
from apps.invoicing.services.run import invoice_run_inline
from apps.training.models import SupportScheme
from tests.clock import FY, fy_month
from tests.contracts.test_contract_path import _json
from tests.invoicing.conftest import make_billing_data
from tests.invoicing.test_official_invoice import pdf_text

pytestmark = pytest.mark.django_db

# 豊橋市's AI-OCR contract from December: 1,200,000 a year × 4/12 = 400,000, the initial fee
# 50,000, consumption tax 10% of 450,000 = 45,000.
USAGE_GROSS = 495_000


def _outlook(client, fy: int = FY, **params: object):  # type: ignore[no-untyped-def]
    query = "&".join(f"{k}={v}" for k, v in {"fiscal_year": fy, **params}.items())
    return _json(client, "get", f"/api/v1/outlook/?{query}")


def test_the_outlook_equals_the_invoices_once_the_run_has_made_them(portal, site_client) -> None:
    make_billing_data(portal)
    toyohashi = site_client("toyohashi", "toyohashi_admin")
    code, before = _outlook(toyohashi)
    assert code == 200, before
    assert [(line["flow"], line["state"]) for line in before["lines"]] == [
        ("burden", "projected"),
        ("usage", "projected"),
    ]
    usage = before["lines"][1]
    assert (usage["gross_yen"], usage["pattern"], usage["why"]) == (
        USAGE_GROSS,
        "B",
        f"/contracts/{usage['key'].split(':')[2]}/",
    )
    invoice_run_inline(fiscal_year=FY)
    code, after = _outlook(toyohashi)
    invoiced = Invoice.objects.filter(
        recipient=portal.bodies["toyohashi"], fiscal_year=FY
    ).aggregate(total=Sum("total_yen"))["total"]
    assert [line["state"] for line in after["lines"]] == ["draft", "draft"]
    assert after["total"]["gross_yen"] == invoiced == before["total"]["gross_yen"]
    # every burden line of the council adds up to the service's budget
    council = [
        _outlook(site_client(slug, f"{slug}_admin"))[1]["by_flow"][0]["gross_yen"]
        for slug in ("ichinomiya", "toyohashi")
    ]
    sec = site_client(None, "aichi_secretariat")
    code, group = _json(
        sec, "get", f"/api/v1/groups/{portal.groups['council'].pk}/outlook/?fiscal_year={FY}"
    )
    assert code == 200, group
    members = {m["code"]: m for m in group["members"]}
    assert [members["232033"]["burden_yen"], members["232017"]["burden_yen"]] == council
    assert sum(m["burden_yen"] for m in group["members"]) == 12_000_000
    assert members["232017"]["usage_yen"] == USAGE_GROSS


def test_support_with_its_cap_and_the_talent_lines(portal, site_client) -> None:
    make_billing_data(portal)
    SupportScheme.objects.create(
        name="共通化B利用料補助",
        fiscal_year=FY,
        rate=Decimal("0.5"),
        purpose="usage_fees",
        categories=["ai_ocr"],
        cap_yen=200_000,
        bonus_points=Decimal("0.1"),
        bonus_min_bodies=2,
    )
    code, o = _outlook(site_client("toyohashi", "toyohashi_admin"))
    usage = next(line for line in o["lines"] if line["flow"] == "usage")
    # 495,000 × 0.5 = 247,500 (one body uses it: no bonus), cut to the 200,000 cap
    assert (usage["scheme"], usage["covered_yen"], usage["capped"], usage["net_yen"]) == (
        "共通化B利用料補助",
        200_000,
        True,
        295_000,
    )
    SupportScheme.objects.update_or_create(
        name="特別交付税措置", fiscal_year=FY, defaults={"rate": Decimal("0.7")}
    )
    SupportScheme.objects.create(
        name="ITパスポート受験料補助",
        fiscal_year=FY,
        rate=Decimal("0.5"),
        purpose="reskilling",
        cap_uses=1,
    )
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        for kind, role, cost, scheme, month in (
            ("part_time_cio", "CIO補佐官 (副業)", 1_000_001, "特別交付税措置", 5),
            ("reskilling", "ITパスポート受験", 7_501, "ITパスポート受験料補助", 6),
            ("reskilling", "ITパスポート受験", 7_501, "ITパスポート受験料補助", 7),
        ):
            AdviserEngagement.objects.create(
                kind=kind,
                role=role,
                adviser_name="",
                starts_on=fy_month(month),
                ends_on=fy_month(3),
                cost_yen=cost,
                scheme_name=scheme,
            )
    code, o = _outlook(site_client("ichinomiya", "ichinomiya_admin"))
    talent = [line for line in o["lines"] if line["flow"] == "talent"]
    # 1,000,001 × 0.7 = 700,000.7 → 700,000; 7,501 × 0.5 = 3,750.5 → 3,750; then the one
    # use is spent
    assert [(t["covered_yen"], t["net_yen"], t["capped"]) for t in talent] == [
        (700_000, 300_001, False),
        (3_750, 3_751, False),
        (0, 7_501, True),
    ]
    assert o["by_flow"][-1] == {
        "key": "talent",
        "label": "人材 (外部人材・リスキリング)",
        "gross_yen": 1_015_003,
        "covered_yen": 703_750,
        "net_yen": 311_253,
    }


def test_what_if_adds_a_listing_without_a_contract(portal, site_client) -> None:
    data = make_billing_data(portal)
    ichinomiya = site_client("ichinomiya", "ichinomiya_admin")
    code, plain = _outlook(ichinomiya)
    code, added = _outlook(ichinomiya, add_listing=data["listing"].pk)
    assert code == 200, added
    extra = added["lines"][-1]
    assert extra["key"] == f"what-if:listing:{data['listing'].pk}"
    assert added["total"]["gross_yen"] == plain["total"]["gross_yen"] + extra["gross_yen"]
    from apps.contracts.models import Contract

    assert not Contract.objects.filter(body=portal.bodies["ichinomiya"]).exists()


def test_the_outlook_is_sealed_and_refuses_bad_input(portal, site_client) -> None:
    make_billing_data(portal)
    assert _json(site_client(None, "vendor_a"), "get", "/api/v1/outlook/")[0] == 404
    assert _json(site_client(None, "aichi_secretariat"), "get", "/api/v1/outlook/")[0] == 404
    council = portal.groups["council"].pk
    hokkaido = site_client(None, "hokkaido_secretariat")
    assert _json(hokkaido, "get", f"/api/v1/groups/{council}/outlook/")[0] == 404
    assert hokkaido.get(f"/outlook/groups/{council}/").status_code == 404
    assert (
        _json(site_client(None, "vendor_a"), "get", f"/api/v1/groups/{council}/outlook/")[0] == 403
    )
    # a member of staff without the finance role: 403, until the administrator names them
    tanaka = site_client("ichinomiya", "ichinomiya_staff")
    code, body = _json(tanaka, "get", "/api/v1/outlook/")
    assert (code, body["error"]["code"]) == (403, "not_finance_staff")
    assert tanaka.get("/outlook/").status_code == 403
    assert tanaka.post("/outlook/finance-staff/", {"staff_id": "2", "on": "yes"}).status_code == 403
    admin = site_client("ichinomiya", "ichinomiya_admin")
    staff_id = portal.users["ichinomiya_staff"].pk
    assert (
        admin.post("/outlook/finance-staff/", {"staff_id": str(staff_id), "on": "yes"}).status_code
        == 302
    )
    assert _json(tanaka, "get", "/api/v1/outlook/")[0] == 200
    staff = tanaka
    assert _json(staff, "get", f"/api/v1/groups/{council}/outlook/")[0] == 404
    for bad in ("fiscal_year=abc", "fiscal_year=1999", "add_listing=0", "add_option=-1"):
        code, body = _json(staff, "get", f"/api/v1/outlook/?{bad}")
        assert code == 400, (bad, body)
    assert _outlook(staff, add_listing=999_999)[0] == 404
    assert _outlook(staff, add_option=999_999)[0] == 404
    # the pages
    page = staff.get(f"/outlook/?fiscal_year={FY}")
    assert page.status_code == 200
    assert "予算の見通し" in page.content.decode()
    pdf = staff.get(f"/outlook/pdf/?fiscal_year={FY}")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert f"{fiscal_year_label(FY)} 予算要求資料" in text
    assert "一宮市" in text
    assert "見込み" in text
    csv = b"".join(staff.get(f"/outlook.csv?fiscal_year={FY}").streaming_content).decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[0].startswith("区分,方式,内容,状態,見込額 (円)")
    sec = site_client(None, "aichi_secretariat")
    assert sec.get(f"/outlook/groups/{council}/?fiscal_year={FY}").status_code == 200


def test_a_live_contract_not_yet_renewed_is_projected_on_next_years_schedule(
    portal, site_client
) -> None:
    from apps.catalog.domain.fees import Band
    from apps.catalog.services import ScheduleInput, fee_schedule_publish, fee_schedule_save_draft

    data = make_billing_data(portal)
    toyohashi = site_client("toyohashi", "toyohashi_admin")
    code, o = _outlook(toyohashi, FY + 1)
    assert [line["flow"] for line in o["lines"]] == []
    assert [p["reason"] for p in o["problems"]] == [
        "AI-OCR: この年度の料金表がまだ公開されていないため、利用料を見込めません。"
    ]
    draft = fee_schedule_save_draft(
        viewer=data["vendor"],
        listing_id=data["listing"].pk,
        spec=ScheduleInput(
            FY + 1, "bands", [Band(0, 100_000, 360_000), Band(100_000, None, 1_300_000)]
        ),
    )
    fee_schedule_publish(viewer=data["vendor"], schedule_id=draft.pk)
    code, o = _outlook(toyohashi, FY + 1)
    (line,) = o["lines"]
    # the whole year on next year's schedule, no initial fee, 10% tax: 1,300,000 + 130,000
    assert (line["gross_yen"], line["state"], line["note"]) == (
        1_430_000,
        "projected",
        "更新前の見込み",
    )
    assert o["problems"] == []
