"""Training applications under load, printed (not asserted).

    .venv/bin/python -m bench.training [--clients 50] [--requests 20] [--capacity 300]

On portal_bench: a council of 10 provisioned bodies, one session with --capacity seats, and
clients x requests distinct members of staff (token auth). N clients apply at once over real
HTTP to gunicorn (4 processes; --threads per process); prints applications per second, the
median and 95th percentile response time, and checks afterwards that the session is not overbooked.
"""

from __future__ import annotations

import argparse
import datetime as dt

from bench._common import run_clients, start_gunicorn, use_bench_database
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=300)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="gunicorn threads per process (1: sync workers, as in docker/)",
    )
    args = parser.parse_args()
    use_bench_database()
    data = build(args.clients, args.requests, args.capacity)
    import requests

    from apps.training.models import Seat

    proc, port = start_gunicorn(workers=4, threads=args.threads)
    session = data["session"]
    tokens = data["tokens"]
    try:

        def client(i: int):  # type: ignore[no-untyped-def]
            s = requests.Session()
            mine = tokens[i * args.requests : (i + 1) * args.requests]

            def call(n: int) -> int:
                slug, token = mine[n]
                return s.post(
                    f"http://127.0.0.1:{port}/api/v1/training/sessions/{session.pk}/apply/",
                    headers={"Host": f"{slug}.localhost:{port}", "Authorization": f"Token {token}"},
                    json={},
                ).status_code

            return call

        r = run_clients(args.clients, args.requests, client)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    seats = Seat.objects.filter(session=session)
    confirmed = seats.filter(status="confirmed").count()
    waiting = seats.filter(status="waitlisted").count()
    print(
        f"\n{args.clients} concurrent clients, {r['requests']} applications to one session of "
        f"{args.capacity} seats (gunicorn 4 processes x {args.threads} thread(s), 2 cores, "
        "real HTTP):"
    )
    print(
        f"  {r['per_second']:.1f} applications/s   median {r['median_ms']:.1f} ms   "
        f"p95 {r['p95_ms']:.1f} ms   errors {r['errors']}"
    )
    print(
        f"  afterwards: {confirmed} confirmed (capacity {args.capacity}), {waiting} "
        f"wait-listed, {seats.count()} seats in all: "
        f"{'not overbooked' if confirmed <= args.capacity else 'OVERBOOKED'}"
    )


if __name__ == "__main__":
    main()
