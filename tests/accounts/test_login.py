"""Log-in: each user only at the site it belongs to; lock-out; the auth log."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(host: str, username: str, password: str = PASSWORD) -> tuple[Client, object]:
    client = Client(HTTP_HOST=host)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return client, response


def test_staff_log_in_at_their_own_body(portal) -> None:
    client, response = _login("ichinomiya.localhost", "tanaka")
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.context["user"].username == "tanaka"
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.schema, event.actor_id) == ("ichinomiya", portal.users["ichinomiya_staff"].pk)
    assert AccessLog.objects.filter(username="tanaka").count() == 1


def test_staff_of_body_a_cannot_log_in_at_body_b(portal) -> None:
    # given: tanaka exists only in 一宮市's schema
    sessions = Session.objects.count()
    # when
    client, response = _login("toyohashi.localhost", "tanaka")
    # then
    assert response.status_code == 200
    assert "ログインIDまたはパスワードが正しくありません" in response.content.decode()
    assert client.get("/").status_code == 302  # still anonymous: sent to the log-in page
    assert Session.objects.count() == sessions
    failure = AuditEvent.objects.get(action="auth.login_failed")
    assert failure.data["schema"] == "toyohashi"
    assert failure.data["username"] == "tanaka"
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    with schema_context("toyohashi"):
        assert not User.objects.filter(username="tanaka").exists()
        assert User.objects.filter(last_login__isnull=False).count() == 0


def test_body_staff_cannot_log_in_at_the_public_site(portal) -> None:
    client, response = _login("localhost", "tanaka")
    assert response.status_code == 200
    assert client.get("/api/v1/me/").status_code == 401


def test_a_public_user_cannot_log_in_at_a_body(portal) -> None:
    client, response = _login("ichinomiya.localhost", "aichi-sec")
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_a_session_made_at_one_body_does_not_work_at_another(portal) -> None:
    # given: a session cookie of 一宮市's "admin" (id 1 there)
    client, _ = _login("ichinomiya.localhost", "admin")
    cookie = client.cookies["sessionid"].value
    # when: the same cookie is replayed at 豊橋市, whose "admin" also has id 1
    other = Client(HTTP_HOST="toyohashi.localhost")
    other.cookies["sessionid"] = cookie
    response = other.get("/")
    # then
    assert response.status_code == 302
    assert other.get("/api/v1/me/").status_code == 401


def test_repeated_failures_lock_the_name_out_at_that_site_only(portal) -> None:
    for _ in range(3):  # AXES_FAILURE_LIMIT is 3 in the test settings
        _login("ichinomiya.localhost", "tanaka", "wrong-password")
    _, locked = _login("ichinomiya.localhost", "tanaka")  # the right password, too late
    assert locked.status_code == 429
    assert "ロック" in locked.content.decode()
    attempt = AccessAttempt.objects.get(username="ichinomiya:tanaka")
    assert attempt.failures_since_start == 4  # the refused fourth try counts as well
    # 豊橋市's "suzuki" and a same-named user elsewhere are not affected
    _, other = _login("toyohashi.localhost", "suzuki")
    assert other.status_code == 302


def test_logout(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_staff")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
