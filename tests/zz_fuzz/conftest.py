"""What the tests that call the live server's API from outside share: the published schema,
and the headers of a role (a fresh token for every request)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import schemathesis


@pytest.fixture(scope="module")
def api_schema(live_portal: Any) -> Any:
    url = f"http://127.0.0.1:{live_portal.port}/api/schema/?format=json"
    response = requests.get(url, headers={"Host": "localhost"}, timeout=30)
    assert response.status_code == 200
    return schemathesis.openapi.from_dict(response.json())


def token_for(portal: Any, slug: str | None, user_key: str) -> str:
    from django_tenants.utils import schema_context

    from apps.accounts.tokens import api_token_issue

    schema = portal.bodies[slug].schema_name if slug else "public"
    with schema_context(schema):
        return api_token_issue(user=portal.users[user_key], name="fuzz")[1]


def role_headers(portal: Any, slug: str | None, user_key: str | None) -> Any:
    """Headers for one request as the role: its site, and a fresh token (a generated
    DELETE /auth/tokens/{id}/ may revoke the one before; the rest of the run is still the
    role's)."""
    host = portal.host(slug)

    def headers() -> dict[str, str]:
        h = {"Host": host}
        if user_key:
            h["Authorization"] = f"Token {token_for(portal, slug, user_key)}"
        return h

    return headers
