"""The browser tests of the whole interface (accessibility, phones), run last: they commit
demo-like data for the pages to show."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.clock import FY, TODAY
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
        _surveys(portal, billing["secretariat"])
    return billing


def _surveys(portal, secretariat) -> None:  # type: ignore[no-untyped-def]
    """An open survey answered by 一宮市 with a savings option, and a decided one whose call
    for services vendors see: every survey page has something to show."""
    import datetime as dt
    from decimal import Decimal

    from apps.accounts.viewer import Viewer
    from apps.surveys import services
    from apps.surveys.models import Survey

    admin = Viewer(user=portal.users["ichinomiya_admin"], body=portal.bodies["ichinomiya"])
    answer = {"annual_cost_yen": 4_800_000, "interest": "considering", "features": [0]}
    made = []
    for title in ("画面確認用の調査 (受付中)", "画面確認用の調査 (決定済み)"):
        survey = services.survey_open(
            viewer=secretariat,
            group_id=portal.groups["council"].pk,
            title=title,
            area=title,
            audience_kind="group",
            deadline=TODAY + dt.timedelta(days=10),
            features=["スマートフォン対応", "抽選機能"],
            questions=["施設の数"],
        )
        with schema_context(portal.bodies["ichinomiya"].schema_name):
            services.draft_save(viewer=admin, survey_id=survey.pk, values=answer)
            services.draft_comment_add(viewer=admin, survey_id=survey.pk, text="確認済み")
            services.draft_submit(viewer=admin, survey_id=survey.pk)
        services.option_add(
            viewer=secretariat,
            survey_id=survey.pk,
            label="均等割2割",
            total_cost_yen=3_000_000,
            equal_part=Decimal("0.2"),
        )
        made.append(survey)
    Survey.objects.filter(pk=made[1].pk).update(deadline=TODAY - dt.timedelta(days=1))
    services.decision_record(
        viewer=secretariat,
        survey_id=made[1].pk,
        pattern="common_b",
        go=True,
        outcome="call",
        reasons="共通化Bで事業者を募集する",
    )
