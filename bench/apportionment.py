"""Apportionment against the code it replaced, and the preview over HTTP, printed (issue #15).

    .venv/bin/python -m bench.apportionment [--runs 3]

In-process: one total split among all 1,788 bodies (2020 census, an equal part of 0.2, one body
in 97 taking part for 6 months) by today's apps/invoicing/domain/apportionment.py and by the
implementation before issue #15 (bench/apportionment_reference.py, kept verbatim), each timed
cold (the weight cache emptied: a set of members seen for the first time) and warm (the same set
again), 21 calls per run, median per run; it stops if any body's yen, floor or leftover yen
differ. Over HTTP: POST /api/v1/apportionment/preview with the 1,741 municipalities to gunicorn
(2 sync workers), one request at a time, each with its own doubling factor so that every
request is cold, beside the same apportionments in-process.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
from decimal import Decimal
from typing import Any

from bench import apportionment_reference as reference
from bench._common import ROOT, start_gunicorn, use_bench_database


def _rows() -> list[dict[str, str]]:
    with (ROOT / "data" / "municipalities.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _time(module: Any, members: list[Any], method: Any, *, cold: bool) -> tuple[float, list]:  # type: ignore[type-arg]
    times = []
    shares: list = []  # type: ignore[type-arg]
    for _ in range(21):
        if cold:  # the reference kept one cache, today's code two
            getattr(module, "clear_weight_caches", module._chained_weights.cache_clear)()
        started = time.perf_counter()
        shares = module.apportion(1_234_567_890, members, method)
        times.append(time.perf_counter() - started)
    return statistics.median(times), shares


def in_process(runs: int) -> None:
    from apps.invoicing.domain import apportionment as today

    rows = _rows()
    print(f"\napportion 1,234,567,890 yen among {len(rows):,} bodies (21 calls per run, median):")
    for cold in (True, False):
        ratios = []
        for r in range(1, runs + 1):
            results = {}
            for label, module in (("before", reference), ("today", today)):
                members = [
                    module.Member(x["code"], int(x["population_2020"]), months=12 if i % 97 else 6)
                    for i, x in enumerate(rows)
                ]
                method = module.Method(equal_part=Decimal("0.2"))
                results[label] = _time(module, members, method, cold=cold)
            (t_ref, ref_shares), (t_new, new_shares) = results["before"], results["today"]
            same = [(s.code, s.amount_yen, s.floor_yen, s.remainder_yen) for s in ref_shares]
            assert same == [
                (s.code, s.amount_yen, s.floor_yen, s.remainder_yen) for s in new_shares
            ], "the shares differ"
            ratios.append(t_ref / t_new)
            print(
                f"  {'cold' if cold else 'warm'} run {r}: before {t_ref * 1000:6.2f} ms   today "
                f"{t_new * 1000:6.2f} ms   {t_ref / t_new:4.1f}x faster   "
                f"{len(new_shares):,} shares identical"
            )
        print(
            f"  {'cold' if cold else 'warm'}: median {statistics.median(ratios):.1f}x faster "
            "(target: at least 3x)"
        )


def over_http(runs: int) -> None:
    import requests

    from apps.accounts.models import Role, User
    from apps.accounts.tokens import issue_keys
    from apps.invoicing.domain.apportionment import Member, Method, apportion
    from bench.datasets import PASSWORD, import_bodies

    import_bodies()
    user = User.objects.create_user(
        "bench-operator", PASSWORD, full_name="運用担当", role=Role.OPERATOR
    )
    (token,) = issue_keys([user])
    towns = [x for x in _rows() if x["kind"] != "prefecture"]
    proc, port = start_gunicorn(workers=2)
    http = requests.Session()
    http.headers.update({"Host": "localhost", "Authorization": f"Token {token}"})
    url = f"http://127.0.0.1:{port}/api/v1/apportionment/preview"
    n = 0
    print(f"\npreview of {len(towns):,} members over HTTP vs in-process (cold every time):")
    try:
        ratios = []
        for r in range(1, runs + 1):
            http_times, local_times = [], []
            for _ in range(15):
                n += 1
                factor = Decimal("1.5") + Decimal(n) / Decimal(10**9)
                payload = {
                    "total_yen": 987_654_321,
                    "equal_part": "0.2",
                    "doubling_factor": str(factor),
                    "members": [
                        {"code": x["code"], "population": int(x["population_2020"])} for x in towns
                    ],
                }
                body = json.dumps(payload)
                started = time.perf_counter()
                response = http.post(url, data=body, headers={"Content-Type": "application/json"})
                http_times.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text[:300]
                members = [Member(x["code"], int(x["population_2020"])) for x in towns]
                method = Method(equal_part=Decimal("0.2"), doubling_factor=factor)
                started = time.perf_counter()
                apportion(987_654_321, members, method)
                local_times.append(time.perf_counter() - started)
            h, lo = statistics.median(http_times), statistics.median(local_times)
            ratios.append(h / lo)
            print(
                f"  run {r}: over HTTP {h * 1000:6.1f} ms   in-process {lo * 1000:5.1f} ms   "
                f"{h / lo:4.1f}x"
            )
        print(f"  median {statistics.median(ratios):.1f}x the in-process time (target: at most 2x)")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    in_process(args.runs)
    use_bench_database()
    over_http(args.runs)


if __name__ == "__main__":
    main()
