"""The session's user is read through Redis (apps/accounts/backends.py) and is never stale: a
changed role, a deactivated account or a new password counts on the very next request, and a
user of one body is never served at another body's address."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def _user_queries(client, path: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, sum('FROM "accounts_user"' in q["sql"] for q in queries.captured_queries)


def test_the_second_request_of_a_session_reads_no_user_row(site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_staff")
    assert _user_queries(client, "/catalog/") == (200, 1)
    assert _user_queries(client, "/catalog/") == (200, 0)


def test_a_new_role_counts_on_the_next_request(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_staff")
    assert client.get("/staff/").status_code == 403  # staff: not the administrator's page
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        user = User.objects.get(pk=portal.users["ichinomiya_staff"].pk)
        user.role = Role.BODY_ADMIN
        user.save(update_fields=["role"])
    assert client.get("/staff/").status_code == 200


def test_a_deactivated_account_is_logged_out_on_the_next_request(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_staff")
    assert client.get("/").status_code == 200
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        user = User.objects.get(pk=portal.users["ichinomiya_staff"].pk)
        user.is_active = False
        user.save(update_fields=["is_active"])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_new_password_ends_the_other_sessions(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_staff")
    assert client.get("/").status_code == 200
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        user = User.objects.get(pk=portal.users["ichinomiya_staff"].pk)
        user.set_password("a-new-password-2026")
        user.save(update_fields=["password"])
    assert client.get("/").status_code == 302


def test_the_same_user_id_at_two_bodies_is_two_users(portal, site_client) -> None:
    ichinomiya, toyohashi = portal.users["ichinomiya_admin"], portal.users["toyohashi_admin"]
    assert ichinomiya.pk == toyohashi.pk  # each body's schema numbers its users from 1
    first = site_client("ichinomiya", "ichinomiya_admin")
    second = site_client("toyohashi", "toyohashi_admin")
    for _ in range(2):  # the second time, both from the cache
        assert "ichinomiya body_admin" in first.get("/").content.decode()
        assert "toyohashi body_admin" in second.get("/").content.decode()
        assert "ichinomiya body_admin" not in second.get("/").content.decode()
