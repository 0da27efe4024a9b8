"""Pages and APIs against the bare-Django reference, over real HTTP with wrk (issue #15).

    .venv/bin/python -m bench.http [--rounds 3] [--seconds 10] [--reuse]

Builds portal_bench (bench.catalog's data: all 1,788 bodies provisioned, 50 vendors, 500
published listings, 20,000 contracts; plus 60 issued invoices to each of 20 bodies), then serves
the portal and the bare reference (bench/bare/: one view reading 20 rows) with the same gunicorn
settings (2 sync workers) and runs `wrk -t2 -c20 -d10s` on the bare view, then on each request
in turn, for --rounds rounds. Prints each request's throughput and p95 beside the bare view's of
the same round, the ratios, and the median ratio over the rounds. --reuse keeps the database of
an earlier run (the build takes about two minutes).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from urllib.parse import quote_plus

from bench._common import (
    ROOT,
    errors_text,
    request_line,
    start_bare,
    start_gunicorn,
    use_bench_database,
    wrk_run,
)

STATE = ROOT / ".data" / "bench-http.json"
TERMS = ["", "窓口", "AI", "クラウド 共同利用", "電子申請", "OCR"]


def build() -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, User
    from apps.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
    from bench import catalog

    data = catalog.build()
    fy = data["fy"]
    rng = random.Random(15)
    vendors = data["vendors"]
    today = timezone.localdate()
    sessions: dict[str, list[dict[str, str]]] = {"staff": [], "admin": [], "vendor": []}
    for b, body in enumerate(data["staff_bodies"]):
        invoices = []
        for n in range(60):
            vendor = vendors[(b + n) % len(vendors)]
            subtotal = rng.randrange(100_000, 5_000_000)
            tax = subtotal // 10
            invoices.append(
                Invoice(
                    kind=InvoiceKind.USAGE,
                    status=InvoiceStatus.DRAFT,  # issued below, once its line is in
                    fiscal_year=fy - n % 3,
                    issuer_vendor=vendor,
                    issuer_key=f"vendor:{vendor.pk}",
                    issuer_name=vendor.name,
                    issuer_registration_number=vendor.invoice_registration_number,
                    recipient=body,
                    recipient_name=body.name,
                    source_key=f"bench:{body.pk}:{n}",
                    number=f"B{fy - n % 3}-{vendor.pk}-{body.pk}-{n:03d}",
                    sequence=body.pk * 100 + n,
                    issue_date=today,
                    due_date=today,
                    subtotal_yen=subtotal,
                    tax_yen=tax,
                    total_yen=subtotal + tax,
                    tax_summary=[{"category": "standard", "base_yen": subtotal, "tax_yen": tax}],
                    paid_yen=subtotal + tax if n % 4 == 0 else 0,
                    issued_at=timezone.now(),
                )
            )
        Invoice.objects.bulk_create(invoices)
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=i,
                    position=1,
                    description="利用料",
                    amount_yen=i.subtotal_yen,
                    tax_category="standard",
                )
                for i in invoices
            ]
        )
        Invoice.objects.filter(pk__in=[i.pk for i in invoices]).update(status=InvoiceStatus.ISSUED)
        host = f"{body.slug}.localhost"
        with schema_context(body.schema_name):
            admin = User(username="admin", full_name="管理者", role=Role.BODY_ADMIN)
            admin.save()
            for role, user in (("staff", User.objects.get(username="staff")), ("admin", admin)):
                client = Client(HTTP_HOST=host)
                client.force_login(user)
                cookie = client.cookies["sessionid"].value
                sessions[role].append({"host": host, "sessionid": cookie})
    for user in data["vendor_users"][:20]:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        sessions["vendor"].append(
            {"host": "localhost", "sessionid": client.cookies["sessionid"].value}
        )
    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum would keep them
        cursor.execute("ANALYZE")
    state = {"fy": fy, "listings": data["listings"], "sessions": sessions}
    STATE.parent.mkdir(exist_ok=True)
    STATE.write_text(json.dumps(state), encoding="utf-8")
    return state


def request_sets(state: dict, port: int) -> dict[str, list[str]]:
    """Each benchmarked request as wrk lines: 20 bodies' (or vendors') sessions in turn, with
    the search terms and listings varying from line to line."""
    fy, listings, sessions = state["fy"], state["listings"], state["sessions"]

    def headers(s: dict[str, str]) -> dict[str, str]:
        return {"Host": f"{s['host']}:{port}", "Cookie": f"sessionid={s['sessionid']}"}

    search, quote, public, contracts, invoices = [], [], [], [], []
    for n in range(120):
        staff = sessions["staff"][n % len(sessions["staff"])]
        admin = sessions["admin"][n % len(sessions["admin"])]
        vendor = sessions["vendor"][n % len(sessions["vendor"])]
        term = quote_plus(TERMS[n % len(TERMS)])
        flag = "&flag=lgwan" if n % 2 else ""
        search.append(request_line("GET", f"/catalog/?q={term}{flag}", headers(staff)))
        listing = listings[(n * 31) % len(listings)]
        quote.append(
            request_line(
                "GET", f"/api/v1/listings/{listing}/quote/?fiscal_year={fy}", headers(staff)
            )
        )
        public.append(
            request_line("GET", f"/catalog/?q={term}{flag}", {"Host": f"localhost:{port}"})
        )
        contracts.append(request_line("GET", f"/contracts/?page={1 + n % 3}", headers(vendor)))
        invoices.append(request_line("GET", "/invoices/", headers(admin)))
    return {
        "catalogue search page (body staff)": search,
        "quote API (body staff)": quote,
        "public catalogue page (anonymous)": public,
        "vendor contract list page": contracts,
        "body invoice list page (administrator)": invoices,
    }


def measure(state: dict, rounds: int, seconds: int) -> None:
    portal, portal_port = start_gunicorn(workers=2)
    bare, bare_port = start_bare(workers=2)
    sets = request_sets(state, portal_port)
    bare_rows = [request_line("GET", "/rows/", {"Host": "localhost"})]
    ratios: dict[str, list[tuple[float, float]]] = {label: [] for label in sets}
    errors: dict[str, float] = dict.fromkeys(sets, 0)
    try:
        for lines in sets.values():  # warm both servers (first requests load code)
            wrk_run(portal_port, lines, seconds=1)
        wrk_run(bare_port, bare_rows, seconds=1)
        print(
            f"\nwrk -t2 -c20 -d{seconds}s, gunicorn 2 sync workers each, 2 cores; "
            "bare = bench/bare/ reading 20 rows"
        )
        for r in range(1, rounds + 1):
            ref = wrk_run(bare_port, bare_rows, seconds=seconds)
            print(
                f"round {r}: bare {ref['per_second']:6.0f} req/s  p95 {ref['p95_ms']:5.1f} ms  "
                f"{errors_text(ref)}"
            )
            for label, lines in sets.items():
                got = wrk_run(portal_port, lines, seconds=seconds)
                tp, lat = got["per_second"] / ref["per_second"], got["p95_ms"] / ref["p95_ms"]
                ratios[label].append((tp, lat))
                errors[label] += got["errors"]
                print(
                    f"  {label:<40} {got['per_second']:6.0f} req/s  p95 {got['p95_ms']:6.1f} ms"
                    f"  {errors_text(got)} | {tp:6.1%} of bare, p95 {lat:4.1f}x"
                )
        # The floor: the cheapest answer through every middleware (tenant, session, CSRF,
        # axes, CSP, ...) at a body's address, /favicon.ico's redirect, once, for scale.
        staff = state["sessions"]["staff"][0]
        floor = wrk_run(
            portal_port,
            [
                request_line(
                    "GET",
                    "/favicon.ico",
                    {
                        "Host": f"{staff['host']}:{portal_port}",
                        "Cookie": f"sessionid={staff['sessionid']}",
                    },
                )
            ],
            expected=301,
            seconds=seconds,
        )
        print(
            f"  for scale, the portal's floor: /favicon.ico (a redirect through every "
            f"middleware) {floor['per_second']:6.0f} req/s, "
            f"{floor['per_second'] / ref['per_second']:6.1%} of the last bare figure"
        )
        print(
            f"\nmedian of {rounds} rounds (target: throughput >= 25% of bare, p95 < 5x bare, "
            "0 errors):"
        )
        for label, pairs in ratios.items():
            tp = statistics.median(p[0] for p in pairs)
            lat = statistics.median(p[1] for p in pairs)
            verdict = "ok" if tp >= 0.25 and lat < 5 else "BELOW TARGET"
            if errors[label]:  # a redirect to the log-in page is fast, and no success
                verdict = f"{errors[label]:.0f} ERRORS"
            print(f"  {label:<40} throughput {tp:6.1%}   p95 {lat:4.1f}x   {verdict}")
    finally:
        for proc in (portal, bare):
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if args.reuse and STATE.exists():
        use_bench_database(fresh=False)
        state = json.loads(STATE.read_text(encoding="utf-8"))
    else:
        use_bench_database()
        started = time.perf_counter()
        state = build()
        print(f"setup: {time.perf_counter() - started:.0f} s")
    measure(state, args.rounds, args.seconds)


if __name__ == "__main__":
    main()
