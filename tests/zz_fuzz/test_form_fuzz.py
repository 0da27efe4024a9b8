"""Malformed values to every page URL, as each role: every field any form or filter of the
portal declares gets a NUL byte, a superscript digit, a 5,000-digit number, 1e20, NaN, Infinity,
a negative number, a date in year 1, a month 13, 20,000 characters, a formula... as a POST body
and as a query string. No answer may be a server error; each page either refuses (a form error,
400, 403, 404, 405) or does what a valid request would.

The requests go through Django's test client (the whole middleware stack, in this test's
transaction, so nothing they write outlives the test)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_filters import FilterSet

from tests.clock import FY
from tests.invoicing.conftest import make_billing_data
from tests.training.factories import confirmed_seat, session_for

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

MALFORMED = [
    "abc\x00def",
    "²",
    "9" * 5000,
    "1e20",
    "NaN",
    "Infinity",
    "-5",
    "",
    "0001-01-01",
    f"{FY}-13",
    "x" * 20_000,
    '=HYPERLINK("http://example.invalid","x")',
    "１２３",
    "\u202e\u0007",
]
ROLES = [
    ("anonymous", None, None),
    ("anonymous_body_site", "ichinomiya", None),
    ("body_staff", "ichinomiya", "ichinomiya_staff"),
    ("body_admin", "ichinomiya", "ichinomiya_admin"),
    ("other_body_admin", "toyohashi", "toyohashi_admin"),
    ("secretariat", None, "aichi_secretariat"),
    ("other_secretariat", None, "hokkaido_secretariat"),
    ("vendor", None, "vendor_a"),
    ("operator", None, "operator"),
]
FORM_MODULES = [
    "apps.accounts.forms",
    "apps.catalog.forms",
    "apps.catalog.filters",
    "apps.contracts.forms",
    "apps.contracts.filters",
    "apps.core.forms",
    "apps.groups.forms",
    "apps.invoicing.forms",
    "apps.invoicing.filters",
    "apps.training.forms",
]
# Fields that forms build at run time (one per member of a council).
DYNAMIC_FIELDS = ["joined_232033", "left_232033", "usage_232033", "participant"]


def field_names() -> list[str]:
    """Every field name declared by a form or filter of the portal."""
    names: set[str] = set(DYNAMIC_FIELDS)
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(value.base_fields)
            if isinstance(value, type) and issubclass(value, FilterSet):
                names.update(value.base_filters)
    names.update({"page", "ids", "limit", "offset", "contact_name", "address", "username"})
    return sorted(names)


def page_paths(urlconf: str) -> list[str]:
    """Every page URL of a site (not the API, the admin or static files), as a pattern."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and not route.startswith(("api/", "admin/", "i18n/")):
                found.append("/" + route)

    walk(get_resolver(urlconf).url_patterns, "")
    return sorted(set(found))


@pytest.fixture
def world(portal: Any) -> dict[str, Any]:
    """One of everything a page URL can name, belonging to 一宮市, the Aichi council and
    vendor A, so that the pages' forms are reached (and, for other parties, refused)."""
    from apps.accounts.viewer import Viewer
    from apps.contracts.models import Application, Contract
    from apps.invoicing.models import Invoice
    from apps.invoicing.services.documents import invoices_issue_all
    from apps.invoicing.services.run import invoice_run_inline

    data = make_billing_data(portal)
    invoice_run_inline(fiscal_year=FY)
    invoices_issue_all(viewer=data["secretariat"], fiscal_year=FY)
    invoice = Invoice.objects.filter(recipient__code="232033").first()
    contract = Contract.objects.first()
    session = session_for(portal.groups["council"], title="研修")
    seat = confirmed_seat(
        session, portal, slug="ichinomiya", user_key="ichinomiya_staff", name="一宮 太郎"
    )
    application = Application.objects.filter(listing=data["listing"]).first()
    assert Viewer  # (imported for the fixtures' services)
    return {
        "listing_id": data["listing"].pk,
        "schedule_id": data["listing"].fee_schedules.first().pk,
        "application_id": application.pk if application else 1,
        "contract_id": contract.pk,
        "invoice_id": invoice.pk,
        "line_id": invoice.lines.first().pk,
        "group_id": portal.groups["council"].pk,
        "service_id": data["year"].service_id,
        "session_id": session.pk,
        "seat_id": seat.pk,
        "programme_id": session.programme_id,
        "token_id": 1,
        "vendor_id": portal.vendors["a"].pk,
        "fiscal_year": FY,
        "code": "232033",
    }


def concrete(pattern: str, ids: dict[str, Any]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m[1], 1)), pattern)


@pytest.mark.parametrize(("role", "slug", "user_key"), ROLES, ids=[r[0] for r in ROLES])
def test_no_malformed_value_is_a_server_error(
    portal: Any, world: dict[str, Any], role: str, slug: str | None, user_key: str | None
) -> None:
    from django_tenants.utils import schema_context

    client = Client(HTTP_HOST=portal.host(slug), raise_request_exception=False)
    if user_key:
        with schema_context(portal.bodies[slug].schema_name if slug else "public"):
            client.force_login(portal.users[user_key])
    urlconf = "config.urls_body" if slug else "config.urls_public"
    names = field_names()
    failures: list[str] = []
    urls = [concrete(p, world) for p in page_paths(urlconf)]
    for url in urls:
        if url.endswith("/logout/"):
            continue  # (would end the session the rest of the test runs in)
        for value in MALFORMED:
            payload = {name: value for name in names}
            for method in ("get", "post"):
                response = getattr(client, method)(url, payload)
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} {method.upper()} {url} {value[:20]!r}")
    print(f"\nform fuzz {role}: {len(urls)} page URLs, {len(urls) * len(MALFORMED) * 2} requests")
    assert failures == []
