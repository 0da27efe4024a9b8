"""The browser tests of the whole interface (accessibility, phones), run last: they commit
demo-like data for the pages to show."""

from __future__ import annotations

import pytest

from tests.clock import FY
from tests.e2e.conftest import browser  # noqa: F401  (the same Chromium as the browser tests)
from tests.invoicing.conftest import make_billing_data


@pytest.fixture(scope="session")
def data(portal, django_db_blocker):  # type: ignore[no-untyped-def]
    from apps.invoicing.services.documents import invoices_issue_all
    from apps.invoicing.services.run import invoice_run_inline

    with django_db_blocker.unblock():
        # a name of its own: the suite before it may have committed a "電子申請"
        billing = make_billing_data(portal, service_name="電子申請 (画面の確認用)")
        invoice_run_inline(fiscal_year=FY)
        invoices_issue_all(viewer=billing["secretariat"], fiscal_year=FY)
    return billing
