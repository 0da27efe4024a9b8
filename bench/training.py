"""Training applications under load against a bare lock-and-insert view (issue #15).

    .venv/bin/python -m bench.training [--rounds 3] [--seconds 10] [--staff 8000]

On portal_bench: a council of 10 provisioned bodies, one session with --capacity seats, and
--staff members of staff (token auth), each applying once per round. wrk with 50 connections
posts the applications to gunicorn (2 sync workers), and in turn posts to the bare reference
(bench/bare/: lock one row, insert one row) under the same settings. Prints both throughputs,
p95 and the ratio per round and the median, and checks after each round that no more seats are
confirmed than the session has (the seats are deleted between rounds so that the same staff
apply again).

Each round then posts the same applications to the floor (bench/floor/: the portal as served,
with the application's service replaced by one that writes nothing), after the portal so that
the portal's first round still pays each token's first use: the share of the bare view that
the stack alone reaches, which bounds what any service behind it can reach.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from bench._common import (
    errors_text,
    request_line,
    start_bare,
    start_gunicorn,
    use_bench_database,
    wrk_run,
)
from bench.datasets import import_bodies


def build(clients: int, requests_each: int, capacity: int) -> dict:  # type: ignore[type-arg]
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, User
    from apps.accounts.tokens import issue_keys
    from apps.core.domain.fiscal import fiscal_year_of
    from apps.groups.models import Group, GroupKind, Membership
    from apps.tenants.provisioning import body_provision
    from apps.training.models import Programme, Session

    bodies = [b for b in import_bodies() if b.kind == "city"][:10]
    body_provision(bodies=bodies)
    group = Group.objects.create(
        name="研修ベンチ協議会", kind=GroupKind.COUNCIL, secretariat=bodies[0]
    )
    Membership.objects.bulk_create(
        [Membership(group=group, body=b, joined_on=dt.date(2024, 4, 1)) for b in bodies]
    )
    programme = Programme.objects.create(
        group=group,
        fiscal_year=fiscal_year_of(timezone.localdate()),
        title="負荷試験研修",
        kind="security",
    )
    starts = timezone.now() + dt.timedelta(days=30)
    session = Session.objects.create(
        programme=programme,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=capacity,
        application_deadline=starts - dt.timedelta(days=1),
        cancellation_deadline=starts - dt.timedelta(days=1),
        venue="ベンチ会場",
    )
    total = clients * requests_each
    tokens: list[tuple[str, str]] = []
    for i, body in enumerate(bodies):
        count = total // len(bodies) + (1 if i < total % len(bodies) else 0)
        with schema_context(body.schema_name):
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"load{n:04d}",
                        full_name=f"受講者{n:04d}",
                        role=Role.BODY_STAFF,
                        password="!",  # noqa: S106
                    )  # unusable password: token authentication only
                    for n in range(count)
                ]
            )
            tokens += [(body.slug, key) for key in issue_keys(users)]
    return {"session": session, "tokens": tokens}


def measure(data: dict, rounds: int, seconds: int, capacity: int) -> None:  # type: ignore[type-arg]
    from django.db import connection

    from apps.training.models import Seat
    from bench.bare.views import TABLES

    with connection.cursor() as cursor:
        cursor.execute(TABLES)
    session = data["session"]
    portal, port = start_gunicorn(workers=2)
    bare, bare_port = start_bare(workers=2)
    floor, floor_port = start_gunicorn(workers=2, app="bench.floor.wsgi:application")
    path = f"/api/v1/training/sessions/{session.pk}/apply/"

    def lines(port: int) -> list[str]:
        return [
            request_line(
                "POST",
                path,
                {
                    "Host": f"{slug}.localhost:{port}",
                    "Authorization": f"Token {token}",
                    "Content-Type": "application/json",
                },
                "{}",
            )
            for slug, token in data["tokens"]
        ]

    portal_lines, floor_lines = lines(port), lines(floor_port)
    bare_lines = [
        request_line(
            "POST", "/lock-insert/", {"Host": "localhost", "Authorization": f"client{n}"}, "{}"
        )
        for n in range(1000)
    ]
    ratios, floor_ratios, of_floor = [], [], []
    try:
        print(
            f"\n50 clients (wrk -t2 -c50 -d{seconds}s), each application by another member of "
            f"staff, one session of {capacity} seats; gunicorn 2 sync workers each, 2 cores; "
            "bare = bench/bare/ locking one row and inserting one"
        )
        for r in range(1, rounds + 1):
            # wrk stops at the deadline with requests still queued at the server: let them
            # finish (no new seat for half a second), then delete the seats so that the same
            # staff apply again
            seen = -1
            while (count := Seat.objects.filter(session=session).count()) != seen:
                seen = count
                time.sleep(0.5)
            Seat.objects.filter(session=session).delete()
            ref = wrk_run(bare_port, bare_lines, expected=201, connections=50, seconds=seconds)
            got = wrk_run(port, portal_lines, expected=201, connections=50, seconds=seconds)
            seats = Seat.objects.filter(session=session)
            confirmed = seats.filter(status="confirmed").count()
            ratio = got["per_second"] / ref["per_second"]
            ratios.append(ratio)
            print(
                f"  round {r}: portal {got['per_second']:6.0f} applications/s  p95 "
                f"{got['p95_ms']:6.1f} ms  {errors_text(got)} | bare {ref['per_second']:6.0f}"
                f"/s  p95 {ref['p95_ms']:5.1f} ms  {errors_text(ref)} | {ratio:6.1%} | "
                f"{confirmed} confirmed of {capacity}, {seats.count()} seats: "
                f"{'not overbooked' if confirmed <= capacity else 'OVERBOOKED'}"
            )
            assert confirmed <= capacity, "overbooked"
            low = wrk_run(floor_port, floor_lines, expected=201, connections=50, seconds=seconds)
            floor_ratios.append(low["per_second"] / ref["per_second"])
            of_floor.append(got["per_second"] / low["per_second"])
            print(
                f"           floor  {low['per_second']:6.0f} applications/s  p95 "
                f"{low['p95_ms']:6.1f} ms  {errors_text(low)} | {floor_ratios[-1]:6.1%} of bare"
                f" | the portal at {of_floor[-1]:.1%} of the floor"
            )
        print(
            f"  median {statistics.median(ratios):.1%} of the bare view's throughput "
            "(target: at least 50%)"
        )
        print(
            f"  the floor (the same requests, a service that writes nothing): median "
            f"{statistics.median(floor_ratios):.1%} of the bare view; the portal at "
            f"{statistics.median(of_floor):.1%} of the floor"
        )
    finally:
        for proc in (portal, bare, floor):
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--staff", type=int, default=8000, help="members of staff who apply")
    parser.add_argument("--capacity", type=int, default=300)
    args = parser.parse_args()
    use_bench_database()
    data = build(args.staff, 1, args.capacity)
    measure(data, args.rounds, args.seconds, args.capacity)


if __name__ == "__main__":
    main()
