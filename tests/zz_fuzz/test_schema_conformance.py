"""The published schema describes what the API really answers. For each role, every operation
is called with valid requests built from /api/schema/ (schemathesis, positive examples) and
with the ids of real rows the role may or may not see; each answer's status must be one the
operation documents and its body must match the documented schema for that status.

Like the fuzzer beside it, this writes through a live server and leaves what it wrote (it runs
after the other tests of the suite)."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.clock import FY
from tests.conftest import Portal
from tests.training.factories import confirmed_seat, session_for
from tests.zz_fuzz.conftest import role_headers
from tests.zz_fuzz.test_api_fuzz import ROLES, SKIPPED

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("CONFORMANCE_EXAMPLES", "4"))
CHECKS = [status_code_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def world(portal: Portal, django_db_blocker: Any) -> dict[str, Any]:
    """Committed rows of every kind an API path names (the live server's thread must see them):
    a council service, vendor A's listing and 豊橋市's contract, the year's issued invoices, a
    training session with a seat, and 一宮市's application."""
    from apps.contracts.models import Application
    from apps.invoicing.models import Invoice
    from apps.invoicing.services.documents import invoices_issue_all
    from apps.invoicing.services.run import invoice_run_inline
    from tests.invoicing.conftest import make_billing_data

    with django_db_blocker.unblock():
        data = make_billing_data(portal)
        invoice_run_inline(fiscal_year=FY)
        invoices_issue_all(viewer=data["secretariat"], fiscal_year=FY)
        session = session_for(portal.groups["council"], title="適合性研修")
        seat = confirmed_seat(
            session, portal, slug="ichinomiya", user_key="ichinomiya_staff", name="一宮 太郎"
        )
        invoice = Invoice.objects.filter(kind="burden", recipient__code="232033").first()
        return {
            "listing_id": data["listing"].pk,
            "schedule_id": data["listing"].fee_schedules.first().pk,
            "application_id": Application.objects.filter(listing=data["listing"]).first().pk,
            "contract_id": data["contract"].pk,
            "invoice_id": invoice.pk,
            "group_id": portal.groups["council"].pk,
            "service_id": data["service"].pk,
            "fiscal_year": FY,
            "session_id": session.pk,
            "seat_id": seat.pk,
            "programme_id": session.programme_id,
            "vendor_id": portal.vendors["a"].pk,
            "code": "232033",
            "token_id": 1,
        }


def _summary(exc: BaseException) -> str:
    """One line per failed check (schemathesis raises a group of them)."""
    parts = []
    for e in getattr(exc, "exceptions", [exc]):
        title = getattr(e, "title", type(e).__name__)
        message = str(getattr(e, "message", e)).replace("\n", " ")[:400]
        parts.append(f"{title}: {message}")
    return " | ".join(parts)


def conformance(schema: Any, base_url: str, headers_for: Any, ids: dict[str, Any]) -> Any:
    sent: Counter = Counter()
    succeeded: Counter = Counter()
    failures: list[str] = []

    def sender(operation: Any) -> Any:
        key = (operation.method.upper(), operation.path)
        names = [p.name for p in operation.path_parameters]
        strategy = operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE,
            path_parameters={n: ids[n] for n in names if n in ids},
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def send(case: Any) -> None:
            headers = headers_for()
            response = case.call(base_url=base_url, headers=headers, timeout=60)
            sent[key] += 1
            if response.status_code < 300:
                succeeded[key] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:  # every failed check is reported
                failures.append(
                    f"{key[0]} {case.formatted_path} -> {response.status_code}: {_summary(exc)}"
                )

        return send

    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        with contextlib.suppress(Unsatisfiable):
            sender(operation)()
    return sent, succeeded, failures


@pytest.mark.parametrize(("role", "slug", "user_key"), ROLES, ids=[r[0] for r in ROLES])
def test_every_answer_matches_the_documented_schema(
    portal: Portal,
    live_portal: Any,
    api_schema: Any,
    world: dict[str, Any],
    django_db_blocker: Any,
    role: str,
    slug: str | None,
    user_key: str | None,
) -> None:
    base_url = f"http://127.0.0.1:{live_portal.port}"
    headers = role_headers(portal, slug, user_key)

    with django_db_blocker.unblock():
        sent, succeeded, failures = conformance(api_schema, base_url, headers, world)
    print(
        f"\nconformance {role}: {sum(sent.values())} cases over {len(sent)} operations, "
        f"{len(succeeded)} operations answered 2xx, {len(failures)} conformance failures"
    )
    for line in sorted(set(failures)):
        print("  " + line)
    assert failures == []
