"""Needs-survey figures, printed (not asserted).

    .venv/bin/python -m bench.surveys

On portal_bench, with every one of the 1,788 bodies a member of one national group: opening a
survey to all of them (the audience fixed in one INSERT), 1,788 answers submitted through the
product's service (the body administrator's submission: checks, lock, revision, audit), and the
secretariat's pages (survey page with results and savings, the results and savings APIs) at
200, 600 and 1,788 answers: time (median of 3, in-process through Django's test client, after a
warm-up) and SQL queries per page, which stay the same whatever the number of bodies.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from bench._common import measure_page, timings, use_bench_database
from bench.datasets import import_bodies


def build(bodies: list) -> tuple:  # type: ignore[type-arg]
    from django.utils import timezone

    from apps.accounts.models import Role, User
    from apps.accounts.viewer import Viewer
    from apps.groups.models import Group, GroupKind, Membership, SecretariatStaff

    group = Group.objects.create(
        name="全国共同利用研究会 (ベンチ)", kind=GroupKind.USAGE_GROUP, secretariat=bodies[0]
    )
    Membership.objects.bulk_create(
        [Membership(group=group, body=b, joined_on=timezone.localdate()) for b in bodies]
    )
    user = User.objects.create_user("bench-sec", "x", full_name="事務局", role=Role.SECRETARIAT)
    SecretariatStaff.objects.create(group=group, user=user)
    return Viewer(user=user, body=None), group, user


def open_surveys(viewer, group) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.surveys.services import survey_open

    times, queries, survey_id = [], 0, 0
    for i in range(3):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            survey = survey_open(
                viewer=viewer,
                group_id=group.pk,
                title=f"全国ニーズ調査 {i + 1}",
                area=f"施設予約 {i + 1}",
                audience_kind="group",
                deadline=timezone.localdate() + dt.timedelta(days=30),
                features=["スマートフォン対応", "抽選機能", "キャッシュレス決済", "多言語対応"],
                questions=["施設の数"],
            )
            times.append(time.perf_counter() - started)
        queries, survey_id = len(q), survey.pk
    print(
        f"open a survey to {survey.audience_count:,} bodies: "
        f"{' / '.join(f'{t * 1000:.0f} ms' for t in times)} "
        f"(median {statistics.median(times) * 1000:.0f} ms), {queries} queries"
    )
    return survey_id


def answer(survey_id: int, bodies: list, rng: random.Random) -> float:  # type: ignore[type-arg]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import Role, User
    from apps.accounts.viewer import Viewer
    from apps.surveys.services import answer_submit

    # The administrator of each body, as its site would have it (users live in the body's
    # schema; the submission writes only the shared answer).
    started = time.perf_counter()
    per: list[int] = []
    for body in bodies:
        admin = User(pk=1, username="admin", role=Role.BODY_ADMIN)
        with CaptureQueriesContext(connection) as q:
            answer_submit(
                viewer=Viewer(user=admin, body=body),
                survey_id=survey_id,
                values={
                    "current_system": "現行システム",
                    "annual_cost_yen": rng.choice([None, rng.randrange(300_000, 40_000_000)]),
                    "contract_end": f"{rng.randrange(2026, 2034)}-03-31",
                    "transactions_count": rng.randrange(100, 200_000),
                    "interest": rng.choice(["adopted", "considering", "interested", "none"]),
                    "features": rng.sample(range(4), rng.randrange(0, 5)),
                    "extra": [str(rng.randrange(1, 80))],
                },
            )
        per.append(len(q))
    return (time.perf_counter() - started, statistics.median(per))  # type: ignore[return-value]


def pages(survey_id: int, user, answered: int) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    for label, path in (
        ("survey page (results + savings)", f"/surveys/{survey_id}/"),
        ("results API", f"/api/v1/surveys/{survey_id}/results/"),
        ("savings API (2 options, every line)", f"/api/v1/surveys/{survey_id}/savings/"),
        ("answers CSV", f"/surveys/{survey_id}/answers.csv"),
    ):
        times, queries, size = measure_page(client, path)
        print(
            f"  {answered:>5,} answers  {label:<36} {timings(times)}, {queries} queries, "
            f"{size / 1024:.0f} KB"
        )


def main() -> None:
    use_bench_database()
    bodies = import_bodies()
    rng = random.Random(2026)
    viewer, group, user = build(bodies)
    survey_id = open_surveys(viewer, group)
    from apps.surveys.services import option_add

    for label, equal, factor in (("均等割2割・1.5倍", "0.2", "1.5"), ("人口割のみ・2倍", "0", "2")):
        option_add(
            viewer=viewer,
            survey_id=survey_id,
            label=label,
            total_cost_yen=2_000_000_000,
            equal_part=Decimal(equal),
            doubling_factor=Decimal(factor),
        )
    done = 0
    total_time = 0.0
    for upto in (200, 600, len(bodies)):
        elapsed, per = answer(survey_id, bodies[done:upto], rng)
        total_time += elapsed
        done = upto
        if upto == len(bodies):
            print(
                f"{done:,} answers submitted: {total_time:.1f} s "
                f"({total_time / done * 1000:.1f} ms each, {per:.0f} queries each)"
            )
        pages(survey_id, user, done)


if __name__ == "__main__":
    main()
