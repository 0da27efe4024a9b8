"""A body's local administrator adds staff; nobody else can, and nothing leaks across bodies."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW = {
    "username": "sato",
    "full_name": "佐藤 一郎",
    "email": "sato@example.jp",
    "role": "body_staff",
    "password": "a-long-pass-2026",
}


def _count(schema: str) -> int:
    with schema_context(schema):
        return User.objects.count()


def test_the_body_admin_adds_staff_through_the_page(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_admin")
    response = client.post("/staff/", NEW)
    assert response.status_code == 302
    with schema_context("ichinomiya"):
        user = User.objects.get(username="sato")
        assert (user.full_name, user.role) == ("佐藤 一郎", "body_staff")
        assert user.check_password("a-long-pass-2026")
    assert _count("toyohashi") == 2
    event = AuditEvent.objects.get(
        action="user.created", schema="ichinomiya", target_id=str(user.pk)
    )
    assert (event.actor_id, event.data) == (
        portal.users["ichinomiya_admin"].pk,
        {"role": "body_staff"},
    )


def test_a_taken_username_is_a_form_error_and_nothing_is_written(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_admin")
    response = client.post("/staff/", {**NEW, "username": "tanaka"})
    assert response.status_code == 400
    assert "ログインID「tanaka」はすでに使われています" in response.content.decode()
    assert _count("ichinomiya") == 2


def test_plain_staff_cannot_manage_staff(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_staff")
    assert client.get("/staff/").status_code == 403
    assert client.post("/staff/", NEW).status_code == 403
    api = client.post("/api/v1/staff/", NEW, content_type="application/json")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "permission_denied"
    assert _count("ichinomiya") == 2


def test_the_staff_api_lists_only_the_bodys_own_staff(portal, site_client) -> None:
    response = site_client("toyohashi", "toyohashi_admin").get("/api/v1/staff/")
    assert response.status_code == 200
    assert sorted(u["username"] for u in response.json()) == ["admin", "suzuki"]


def test_the_staff_api_creates_and_validates(portal, site_client) -> None:
    client = site_client("toyohashi", "toyohashi_admin")
    bad = client.post("/api/v1/staff/", {**NEW, "password": "123"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_user"
    assert "password" in bad.json()["error"]["fields"]
    assert _count("toyohashi") == 2
    ok = client.post("/api/v1/staff/", NEW, content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["username"] == "sato"
    assert _count("toyohashi") == 3
    assert _count("ichinomiya") == 2


def test_the_staff_api_does_not_exist_on_the_public_site(portal, site_client) -> None:
    response = site_client(None, "operator").get("/api/v1/staff/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_secretariat_user_role_cannot_be_given_at_a_body(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_admin")
    response = client.post(
        "/api/v1/staff/", {**NEW, "role": "secretariat"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["role"]
    assert _count("ichinomiya") == 2
