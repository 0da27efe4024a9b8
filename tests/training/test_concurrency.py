"""Never overbooked: 100 applications fired at the same moment, over real HTTP, at a 30-seat
session: exactly 30 confirmed, 70 wait-listed behind them, none lost. Committed data (the
server is another process), removed afterwards."""

from __future__ import annotations

import threading

import pytest
import requests
from django_tenants.utils import schema_context

from apps.accounts.models import ApiToken, User
from apps.accounts.tokens import api_token_issue
from apps.training.models import Seat
from tests.conftest import spawn_gunicorn, stop_worker
from tests.training.factories import session_for

APPLICANTS = {"ichinomiya": 50, "toyohashi": 50}


@pytest.fixture
def crowded_session(portal, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        session = session_for(
            portal.groups["council"], title="情報セキュリティ研修", capacity=30, venue="愛知県庁"
        )
        tokens: list[tuple[str, str]] = []
        for slug, count in APPLICANTS.items():
            with schema_context(portal.bodies[slug].schema_name):
                for n in range(count):
                    user = User.objects.create_user(
                        f"load{n:03d}",
                        "pw-load-2026",
                        full_name=f"受講者{n:03d}",
                        role="body_staff",
                    )
                    tokens.append((slug, api_token_issue(user=user)[1]))
    yield session, tokens
    with django_db_blocker.unblock():
        Seat.objects.filter(session=session).delete()
        programme = session.programme
        session.delete()
        programme.delete()
        for slug in APPLICANTS:
            with schema_context(portal.bodies[slug].schema_name):
                ApiToken.objects.filter(user__username__startswith="load").delete()
                User.objects.filter(username__startswith="load").delete()


def test_one_hundred_at_once_never_overbook(crowded_session, django_db_blocker, tmp_path) -> None:
    session, tokens = crowded_session
    server, port = spawn_gunicorn(tmp_path / "gunicorn.log", workers=4, threads=8)
    barrier = threading.Barrier(len(tokens))
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def apply(slug: str, token: str) -> None:
        barrier.wait()
        response = requests.post(
            f"http://127.0.0.1:{port}/api/v1/training/sessions/{session.pk}/apply/",
            headers={"Host": f"{slug}.localhost", "Authorization": f"Token {token}"},
            json={},
            timeout=60,
        )
        with lock:
            results.append((response.status_code, response.json()))

    try:
        threads = [threading.Thread(target=apply, args=t) for t in tokens]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop_worker(server)
    assert sorted(code for code, _ in results) == [201] * 100
    with django_db_blocker.unblock():
        seats = list(Seat.objects.filter(session=session).order_by("pk"))
    assert len(seats) == 100  # nothing lost
    statuses = [s.status for s in seats]
    assert statuses.count("confirmed") == 30
    assert statuses.count("waitlisted") == 70
    # a consistent order: the thirty confirmed are the first thirty decided, the waiting list
    # follows in the order the applications took the session's lock
    assert statuses == ["confirmed"] * 30 + ["waitlisted"] * 70
    assert sorted(r["status"] for _, r in results) == ["confirmed"] * 30 + ["waitlisted"] * 70
