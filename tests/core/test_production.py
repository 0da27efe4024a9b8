"""What production refuses and switches on: no start without a secret key, DEBUG only when
asked, HTTPS settings by environment, a Content-Security-Policy on every page; API tokens that
expire, are revoked at log-out and can be listed and revoked; the locked-out answer of the API
in JSON like every other error."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import ApiToken
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
# What manage.py sees on a machine where nothing is set (the suite's own variables removed).
BARE_ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("DJANGO_", "PORTAL_", "API_TOKEN")) and k != "DATABASE_URL"
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**BARE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_leaves_only_the_explained_warning() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--settings",
        "config.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "-a-long-random-production-key-0123456789",
    )
    assert result.returncode == 0, result.stderr
    warnings = sorted(
        line.split(")")[0].lstrip("?: (") for line in result.stderr.splitlines() if "?: (" in line
    )
    assert warnings == ["security.W021"]  # HSTS preload: see docs/DEPLOYMENT.md


def test_debug_is_off_unless_asked() -> None:
    code = "from config.settings import env; print(env.DEBUG, env.HTTPS, env.SECRET_KEY == '')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=BARE_ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "True", "True"]
    asked = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**BARE_ENV, "DJANGO_DEBUG": "1", "PORTAL_HTTPS": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert asked.stdout.split() == ["True", "False", "True"]


def test_every_page_has_a_content_security_policy(portal, site_client) -> None:
    for client, path in (
        (Client(HTTP_HOST="localhost"), "/catalog/"),
        (site_client("ichinomiya", "ichinomiya_staff"), "/"),
        (Client(HTTP_HOST="localhost"), "/api/v1/listings/"),
    ):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy


def _issue(host: str, username: str) -> str:
    response = Client(HTTP_HOST=host).post(
        "/api/v1/auth/token/",
        {"username": username, "password": PASSWORD, "name": "会計連携"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "会計連携"
    return str(body["token"])


def test_a_token_expires_after_its_lifetime(portal, settings) -> None:
    key = _issue("ichinomiya.localhost", "tanaka")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    client = Client(HTTP_HOST="ichinomiya.localhost")
    assert client.get("/api/v1/me/", **auth).status_code == 200
    with schema_context("ichinomiya"):
        token = ApiToken.objects.get()
        assert token.digest != key  # only a digest is stored
        assert token.expires_at - token.created_at == dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS + 1)):
        expired = client.get("/api/v1/me/", **auth)
    assert expired.status_code == 401
    assert "有効期限" in expired.json()["error"]["message"]


def test_tokens_are_listed_revoked_and_gone_at_log_out(portal) -> None:
    first = _issue("localhost", "vendor-a")
    second = _issue("localhost", "vendor-a")
    client = Client(HTTP_HOST="localhost")
    auth = {"HTTP_AUTHORIZATION": f"Token {first}"}
    listed = client.get("/api/v1/auth/tokens/", **auth).json()
    assert [t["prefix"] for t in listed] == [second[:8], first[:8]]
    assert "token" not in listed[0]  # the key is never shown again
    # revoke the second with the first
    revoked = client.delete(f"/api/v1/auth/tokens/{listed[0]['id']}/", **auth)
    assert revoked.status_code == 204
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 401
    # another user's token id is a 404, and nothing is revoked
    other = _issue("localhost", "vendor-b")
    other_id = client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {other}").json()[0][
        "id"
    ]
    assert client.delete(f"/api/v1/auth/tokens/{other_id}/", **auth).status_code == 404
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {other}").status_code == 200
    # log-out revokes every token of the user
    out = client.post("/api/v1/auth/logout/", **auth)
    assert (out.status_code, out.json()) == (200, {"revoked": 1})
    assert client.get("/api/v1/me/", **auth).status_code == 401


def test_logging_out_of_the_pages_revokes_the_users_tokens(portal, site_client) -> None:
    key = _issue("ichinomiya.localhost", "tanaka")
    page = site_client("ichinomiya", "ichinomiya_staff")
    listed = page.get("/accounts/tokens/")
    assert [t.prefix for t in listed.context["tokens"]] == [key[:8]]
    page.post("/accounts/logout/")
    me = Client(HTTP_HOST="ichinomiya.localhost").get(
        "/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert me.status_code == 401


def test_the_token_page_shows_a_new_key_once_and_revokes(portal, site_client) -> None:
    page = site_client("ichinomiya", "ichinomiya_admin")
    issued = page.post("/accounts/tokens/", {"name": "集計スクリプト"})
    key = issued.context["new_key"]
    assert len(key) == 40
    assert key in issued.content.decode()
    again = page.get("/accounts/tokens/")
    assert key not in again.content.decode()
    token = again.context["tokens"][0]
    assert page.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert list(page.get("/accounts/tokens/").context["tokens"]) == []
    assert page.post("/accounts/tokens/", {"name": "x\x00"}).status_code == 400


def test_a_locked_out_name_gets_the_apis_json_error(portal) -> None:
    client = Client(HTTP_HOST="localhost")
    for _ in range(3):  # AXES_FAILURE_LIMIT is 3 in the test settings
        client.post(
            "/api/v1/auth/token/",
            {"username": "vendor-a", "password": "wrong"},
            content_type="application/json",
        )
    locked = client.post(
        "/api/v1/auth/token/",
        {"username": "vendor-a", "password": PASSWORD},
        content_type="application/json",
    )
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["error"]["code"] == "locked_out"
    AccessAttempt.objects.all().delete()
