"""Fuzzing the API from outside: schemathesis reads /api/schema/ from the live test server and,
for each role, sends well-formed and malformed requests to every operation; no answer may be a
server error (5xx).

The server runs in a thread of this process on the test database, so what the requests write is
committed: this module lives in tests/zz_fuzz/ so that it runs after every other test (nothing
after it depends on what it leaves). Examples are derandomised, so a run is repeatable; set
FUZZ_EXAMPLES to generate more per operation and mode (default 6)."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.conftest import Portal
from tests.zz_fuzz.conftest import role_headers

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
# Log-out revokes the very token the fuzzer calls with; it is tested on its own.
SKIPPED = {("POST", "/api/v1/auth/logout/")}
ROLES = [
    ("anonymous", None, None),
    ("body_staff", "ichinomiya", "ichinomiya_staff"),
    ("body_admin", "ichinomiya", "ichinomiya_admin"),
    ("secretariat", None, "aichi_secretariat"),
    ("vendor", None, "vendor_a"),
]


def fuzz(schema: Any, base_url: str, headers_for: Any) -> tuple[Counter, Counter, list[str]]:
    """Every operation, positive and negative examples; returns the cases sent per operation,
    the operations that answered 2xx at least once, and a line for each 5xx."""
    sent: Counter = Counter()
    succeeded: Counter = Counter()
    failures: list[str] = []

    def sender(operation: Any, mode: GenerationMode) -> Any:
        key = (operation.method.upper(), operation.path)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def send(case: Any) -> None:
            response = case.call(base_url=base_url, headers=headers_for(), timeout=60)
            sent[key] += 1
            if response.status_code < 300:
                succeeded[key] += 1
            if response.status_code >= 500:
                failures.append(
                    f"{response.status_code} {key[0]} {case.formatted_path} "
                    f"query={case.query} body={str(case.body)[:200]}"
                )

        return send

    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # (nothing malformed can be sent to an operation without inputs)
            with contextlib.suppress(Unsatisfiable):
                sender(operation, mode)()
    return sent, succeeded, failures


@pytest.mark.parametrize(("role", "slug", "user_key"), ROLES, ids=[r[0] for r in ROLES])
def test_no_request_is_a_server_error(
    portal: Portal, live_portal: Any, api_schema: Any, django_db_blocker: Any, role, slug, user_key
) -> None:
    base_url = f"http://127.0.0.1:{live_portal.port}"
    headers = role_headers(portal, slug, user_key)

    with django_db_blocker.unblock():
        sent, succeeded, failures = fuzz(api_schema, base_url, headers)
    print(
        f"\nfuzz {role}: {sum(sent.values())} cases over {len(sent)} operations, "
        f"{len(succeeded)} operations answered 2xx, {len(failures)} server errors"
    )
    assert sum(sent.values()) > len(sent)  # every operation got cases
    assert failures == []
