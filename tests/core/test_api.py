"""API plumbing: OpenAPI schema, token auth per site, the JSON error shape, admin access."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from apps.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_openapi_schema_lists_the_api(portal) -> None:
    response = Client(HTTP_HOST="localhost").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert {
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/staff/",
        "/api/v1/groups/",
        "/api/v1/groups/{group_id}/",
        "/api/v1/vendors/{vendor_id}/",
    } <= paths
    assert Client(HTTP_HOST="localhost").get("/api/docs/").status_code == 200


def test_a_token_works_at_its_own_body_only(portal) -> None:
    # given: a token issued at 一宮市
    client = Client(HTTP_HOST="ichinomiya.localhost")
    issued = client.post(
        "/api/v1/auth/token/",
        {"username": "tanaka", "password": "correct-horse-battery-9"},
        content_type="application/json",
    )
    assert issued.status_code == 200
    auth = {"HTTP_AUTHORIZATION": f"Token {issued.json()['token']}"}
    # when / then
    me = Client(HTTP_HOST="ichinomiya.localhost").get("/api/v1/me/", **auth)
    assert me.status_code == 200
    assert me.json() == {
        "username": "tanaka",
        "full_name": "ichinomiya body_staff",
        "role": "body_staff",
        "body_code": "232033",
        "body_name": "一宮市",
    }
    elsewhere = Client(HTTP_HOST="toyohashi.localhost").get("/api/v1/me/", **auth)
    assert elsewhere.status_code == 401
    assert elsewhere.json()["error"]["code"] == "authentication_failed"
    public = Client(HTTP_HOST="localhost").get("/api/v1/me/", **auth)
    assert public.status_code == 401
    assert ApiToken.objects.count() == 0  # the public schema's token table is untouched


def test_wrong_credentials_give_a_json_error(portal) -> None:
    response = Client(HTTP_HOST="localhost").post(
        "/api/v1/auth/token/",
        {"username": "vendor-a", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_credentials",
            "message": "ログインIDまたはパスワードが正しくありません。",
            "fields": {},
        }
    }


def test_a_missing_field_names_the_field(portal) -> None:
    response = Client(HTTP_HOST="localhost").post(
        "/api/v1/auth/token/", {"username": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["password"]


def test_only_the_operator_reaches_the_admin(portal, site_client) -> None:
    assert site_client(None, "operator").get("/admin/").status_code == 200
    assert site_client(None, "aichi_secretariat").get("/admin/").status_code == 302
    assert site_client(None, "vendor_a").get("/admin/tenants/body/").status_code == 302


def test_the_reference_list_api(portal, site_client) -> None:
    response = site_client(None, "aichi_secretariat").get(
        "/api/v1/bodies/?prefecture=愛知県&limit=2"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 55
    assert [(b["code"], b["population_2020"]) for b in data["results"]] == [
        ("230006", 7546192),
        ("231002", 2333406),
    ]
    missing = site_client(None, "aichi_secretariat").get("/api/v1/bodies/999999/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "body_not_found"


@pytest.mark.parametrize(
    ("variables", "why"),
    [
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/x"}, "DATABASE_URL is set"),
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/x", "PORTAL_EMBEDDED": "0"},
            "PORTAL_EMBEDDED=0",
        ),
    ],
)
def test_a_server_that_does_not_answer_is_one_line_and_nothing_embedded(variables, why) -> None:
    result = subprocess.run(
        [sys.executable, "scripts/services.py", "start"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PORTAL_DATA_DIR": "/nonexistent/data", **variables},
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"[services] PostgreSQL does not answer at postgres://postgres@127.0.0.1:1/x ({why}, "
        "so no embedded server is started): start it, or unset DATABASE_URL and "
        "PORTAL_EMBEDDED to use an embedded one"
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/catalog/listing/",
        "/admin/contracts/contract/",
        "/admin/invoicing/invoice/",
        "/admin/training/supportscheme/",
        "/admin/groups/jointserviceyear/",
        "/admin/tenants/body/",
    ],
)
def test_the_operator_administers_everything(portal, site_client, path: str) -> None:
    assert site_client(None, "operator").get(path).status_code == 200
    assert site_client(None, "aichi_secretariat").get(path).status_code == 302


def test_the_operators_admin_is_in_japanese_with_amounts_in_yen(portal, site_client) -> None:
    from apps.invoicing.models import Invoice
    from apps.invoicing.services.run import invoice_run_inline
    from tests.clock import FY
    from tests.invoicing.conftest import make_billing_data

    make_billing_data(portal)
    invoice_run_inline(fiscal_year=FY)
    operator = site_client(None, "operator")
    index = operator.get("/admin/").content.decode()
    for english in ("Access attempts", "料金表s", "Axes", "(catalog)", "Fee schedules"):
        assert english not in index, english
    assert "ログイン試行" in index
    assert "料金表" in index
    invoices = operator.get("/admin/invoicing/invoice/").content.decode()
    assert ">recipient<" not in invoices.lower()
    assert "宛先" in invoices
    total = Invoice.objects.filter(kind="burden").order_by("pk").first().total_yen
    assert f"{total:,}円" in invoices


def test_the_schema_has_no_warning_and_validates(tmp_path) -> None:
    """drf-spectacular's warnings (two views sharing a component, an operation it cannot
    describe) fail the suite, and the schema validates against the OpenAPI 3 meta-schema."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--fail-on-warn",
            "--validate",
            "--file",
            str(tmp_path / "schema.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr
    schema = (tmp_path / "schema.yaml").read_text()
    for component in (
        "ProgrammesRequest:",
        "ApportionmentPreviewRequest:",
        "ApportionmentPreviewResponse:",
        "ErrorResponse:",
        "PaginatedApplicationOutputList:",
    ):
        assert f"\n    {component}" in schema
    assert "\n    Input:" not in schema
    assert "\n    Output:" not in schema


def test_the_live_token_query_is_the_orms(portal) -> None:
    """tokens._live_token: the SQL built once gives, field by field, the token and the user the
    ORM's query gives, in each schema; a revoked token and an unknown digest give none."""
    from django.db.models import Model
    from django_tenants.utils import schema_context

    from apps.accounts.tokens import _digest, _live_token, api_token_issue, api_token_revoke
    from apps.accounts.viewer import Viewer

    def fields(obj: Model) -> dict[str, object]:
        return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}

    for schema, key in (("ichinomiya", "ichinomiya_admin"), ("public", "operator")):
        with schema_context(schema):
            user = portal.users[key]
            token, secret = api_token_issue(user=user, name="試験")
            got = _live_token(_digest(secret))
            orm = ApiToken.objects.select_related("user").get(pk=token.pk)
            assert got is not None
            assert (fields(got), fields(got.user)) == (fields(orm), fields(orm.user))
            assert got.user.username == user.username
            api_token_revoke(viewer=Viewer(user=user, body=None), token_id=token.pk)
            assert _live_token(_digest(secret)) is None
            assert _live_token(_digest("0" * 40)) is None
