"""Two (here eight) vendor requests accepting the same application at the same moment, over
real HTTP to the test server: one contract, the others a 409, nothing doubled."""

from __future__ import annotations

import threading

import pytest
import requests
from django.utils import timezone

from apps.accounts.tokens import api_token_issue
from apps.catalog.models import FeeBand, FeeSchedule, Listing
from apps.contracts.models import Application, Contract, ContractTerm
from tests.clock import FY, fy_month

# Not marked django_db: the data must be committed for the server thread to see it.


@pytest.fixture
def pending_application(portal, django_db_blocker):  # type: ignore[no-untyped-def]
    """Committed (the server thread must see it), and deleted afterwards."""
    with django_db_blocker.unblock():
        vendor = portal.vendors["a"]
        listing = Listing.objects.create(
            vendor=vendor,
            name="同時承諾テスト",
            summary="x",
            category="other",
            pattern="B",
            plans=["標準"],
            status="published",
        )
        schedule = FeeSchedule.objects.create(
            listing=listing, fiscal_year=FY, kind="bands", status="published"
        )
        FeeBand.objects.create(schedule=schedule, lower=0, upper=None, annual_fee_yen=1000)
        application = Application.objects.create(
            body=portal.bodies["ichinomiya"],
            listing=listing,
            vendor=vendor,
            plan="標準",
            start_month=fy_month(12),
            first_fiscal_year=FY,
            last_fiscal_year=FY,
            status="pending_vendor",
            applicant_id=1,
            body_decided_at=timezone.now(),
        )
        token, key = api_token_issue(user=portal.users["vendor_a"])
    yield application, key
    with django_db_blocker.unblock():
        ContractTerm.objects.filter(contract__listing=listing).delete()
        Contract.objects.filter(listing=listing).delete()
        Application.objects.filter(listing=listing).delete()
        FeeBand.objects.filter(schedule__listing=listing).delete()
        FeeSchedule.objects.filter(listing=listing).delete()
        listing.delete()
        token.delete()


def test_concurrent_accepts_make_one_contract(
    live_portal, pending_application, django_db_blocker
) -> None:
    application, token = pending_application
    url = f"http://127.0.0.1:{live_portal.port}/api/v1/applications/{application.pk}/accept/"
    barrier = threading.Barrier(8)
    statuses: list[int] = []
    lock = threading.Lock()

    def accept() -> None:
        barrier.wait()
        response = requests.post(
            url, headers={"Host": "localhost", "Authorization": f"Token {token}"}, timeout=30
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=accept) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [409] * 7
    with django_db_blocker.unblock():
        assert Contract.objects.filter(application=application).count() == 1
        assert ContractTerm.objects.filter(contract__application=application).count() == 1
        assert Application.objects.get(pk=application.pk).status == "accepted"
