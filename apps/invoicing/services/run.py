"""The fiscal-year invoice run.

`invoice_run_start` plans an attempt: the run row is locked, and unless an earlier attempt is
still making progress (a heartbeat within settings.INVOICE_RUN_STALE_SECONDS), a new attempt is
planned as units: each council's participating members in chunks, and the year's usage
contracts in chunks. `invoice_unit_process` does one unit; it takes an advisory lock on the
unit's work (so the same chunk never runs twice at once, across attempts), computes, and saves
through `save_invoices`, which never creates anything twice. A worker killed mid-run leaves some
units pending: starting the run again plans a fresh attempt that redoes them, and finds the
finished ones' invoices already there.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.catalog.domain.fees import FeeError, quote
from apps.catalog.models import TaxCategory
from apps.catalog.selectors import schedules_with_domains
from apps.contracts.models import Contract, ContractStatus, ContractTerm
from apps.contracts.selectors import joint_use_counts
from apps.core.copying import copy_upsert
from apps.core.domain.fiscal import (
    fiscal_year_end,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_start,
    months_in_fiscal_year,
)
from apps.core.services import audit_record
from apps.groups.models import (
    ApportionmentKind,
    Group,
    GroupKind,
    JointServiceYear,
    Participation,
)
from apps.invoicing.domain.apportionment import (
    ROUNDING_METHOD,
    ApportionmentError,
    Member,
    Method,
    apportion,
)
from apps.invoicing.domain.billing import prorated
from apps.invoicing.models import (
    BurdenShare,
    Invoice,
    InvoiceKind,
    InvoiceRun,
    InvoiceStatus,
    RunStatus,
    RunUnit,
    UnitStatus,
)
from apps.invoicing.selectors import run_scope
from apps.invoicing.services.saving import InvoiceSpec, LineSpec, SaveResult, save_invoices
from apps.tenants.models import Body, PopulationFigure
from apps.tenants.selectors import population_figures


@dataclass
class UnitOutcome:
    saved: SaveResult = field(default_factory=SaveResult)
    problems: list[dict[str, str]] = field(default_factory=list)


# --- planning --------------------------------------------------------------------------------


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def plan_units(fiscal_year: int, group_id: int | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The units of a run: each council's members in chunks (one council for a council's run),
    and, in the national run only, the year's usage contracts in chunks."""
    units: list[tuple[str, dict[str, Any]]] = []
    groups = (
        Group.objects.filter(kind=GroupKind.COUNCIL, joint_services__years__fiscal_year=fiscal_year)
        .distinct()
        .order_by("pk")
    )
    if group_id is not None:
        groups = groups.filter(pk=group_id)
    for group in groups:
        body_ids = list(
            Participation.objects.filter(
                service_year__service__group=group, service_year__fiscal_year=fiscal_year
            )
            .order_by("body__code")
            .values_list("body_id", flat=True)
            .distinct()
        )
        for n, chunk in enumerate(_chunks(body_ids, settings.INVOICE_BURDEN_CHUNK)):
            units.append(
                (f"burden:{group.pk}:{n}", {"kind": "burden", "group": group.pk, "bodies": chunk})
            )
    if group_id is not None:
        return units
    terms = list(
        ContractTerm.objects.filter(fiscal_year=fiscal_year)
        .exclude(contract__status=ContractStatus.CANCELLED)
        .order_by("contract_id")
        .values_list("contract_id", "contract__body_id", "contract__listing_id")
    )
    # The joint-use counts of the whole run, once: a unit counting them itself reads every
    # member's live contracts for its listings (all the contracts, for a national council),
    # so the run grew faster than its contracts. Every usage invoice of an attempt is priced
    # on this one snapshot; a new attempt plans a new one.
    joint = joint_use_counts(pairs=[(b, lst) for _, b, lst in terms]) if terms else {}
    for n, chunk in enumerate(_chunks(terms, settings.INVOICE_USAGE_CHUNK)):
        payload = {
            "kind": "usage",
            "contracts": [c for c, _, _ in chunk],
            "joint_use": [[b, lst, joint[(b, lst)]] for _, b, lst in chunk],
        }
        units.append((f"usage:{n}", payload))
    return units


def invoice_run_start(
    *, fiscal_year: int, group_id: int | None = None, started_by: str = ""
) -> tuple[InvoiceRun, list[int]]:
    """Start (or resume) the run of a fiscal year: the national run, or one council's
    (group_id). Returns the run and the ids of the units to dispatch; none when an attempt is
    already making progress (two starts do the work once)."""
    if not InvoiceRun.objects.filter(run_scope(fiscal_year, group_id)).exists():
        try:
            with transaction.atomic():
                InvoiceRun.objects.create(fiscal_year=fiscal_year, group_id=group_id)
        except IntegrityError:
            pass  # another start created it at the same moment
    with transaction.atomic():
        run = InvoiceRun.objects.select_for_update().get(run_scope(fiscal_year, group_id))
        now = timezone.now()
        pending = RunUnit.objects.filter(
            run=run, attempt=run.attempt, status=UnitStatus.PENDING
        ).exists()
        fresh = (
            run.heartbeat_at
            and (now - run.heartbeat_at).total_seconds() < settings.INVOICE_RUN_STALE_SECONDS
        )
        if run.attempt and pending and fresh:
            return run, []
        run.attempt += 1
        units = plan_units(fiscal_year, group_id)
        created = RunUnit.objects.bulk_create(
            [
                RunUnit(run=run, attempt=run.attempt, key=key, payload=payload)
                for key, payload in units
            ]
        )
        run.units_total = len(units)
        run.units_done = 0
        run.invoices_created = run.invoices_updated = run.invoices_unchanged = 0
        run.problems = []
        run.status = RunStatus.RUNNING if units else RunStatus.FINISHED
        run.started_at = run.heartbeat_at = now
        run.finished_at = None if units else now
        run.started_by = started_by
        run.save()
        audit_record(
            actor=None,
            action="invoice_run.started",
            target=run,
            data={"attempt": run.attempt, "units": len(units), "by": started_by},
        )
        return run, [u.pk for u in created]


# --- one unit --------------------------------------------------------------------------------


def unit_lock_key(fiscal_year: int, key: str) -> tuple[int, int]:
    """The PostgreSQL advisory lock a unit's work is done under (the same for the same chunk in
    every attempt and run, so a chunk is never worked on twice at once)."""
    return fiscal_year, zlib.crc32(key.encode()) - 2**31


def invoice_unit_process(*, unit_id: int) -> bool:
    """Do one unit. Idempotent: a unit already done, or done meanwhile by another delivery, is
    skipped. Returns whether this call did the work."""
    with transaction.atomic():
        unit = RunUnit.objects.select_related("run").get(pk=unit_id)
        fiscal_year = unit.run.fiscal_year
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", unit_lock_key(fiscal_year, unit.key)
            )
            # The commit need not wait for the disk: a unit lost in a crash is lost whole
            # (its invoices and its "done" together) and the next attempt redoes it.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        unit.refresh_from_db()
        if unit.status == UnitStatus.DONE:
            return False
        if unit.payload["kind"] == "burden":
            outcome = _burden_unit(unit.run, unit.payload)
        else:
            outcome = _usage_unit(unit.run, unit.payload)
        unit.status = UnitStatus.DONE
        unit.finished_at = timezone.now()
        unit.save(update_fields=["status", "finished_at"])
        _record_progress(unit, outcome)
    return True


def _record_progress(unit: RunUnit, outcome: UnitOutcome) -> None:
    run = InvoiceRun.objects.select_for_update().get(pk=unit.run_id)
    if run.attempt != unit.attempt:
        return  # a unit of an earlier attempt: its invoices count in the attempt that sees them
    run.units_done = F("units_done") + 1
    run.invoices_created = F("invoices_created") + outcome.saved.created
    run.invoices_updated = F("invoices_updated") + outcome.saved.updated
    run.invoices_unchanged = F("invoices_unchanged") + outcome.saved.unchanged
    run.heartbeat_at = timezone.now()
    run.problems = run.problems + outcome.problems
    run.save(
        update_fields=[
            "units_done",
            "invoices_created",
            "invoices_updated",
            "invoices_unchanged",
            "heartbeat_at",
            "problems",
        ]
    )
    run.refresh_from_db()
    if run.units_done >= run.units_total and run.status != RunStatus.FINISHED:
        run.status = RunStatus.FINISHED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        audit_record(
            actor=None,
            action="invoice_run.finished",
            target=run,
            data={
                "attempt": run.attempt,
                "created": run.invoices_created,
                "updated": run.invoices_updated,
                "problems": len(run.problems),
            },
        )


# --- burden charges (負担金) ------------------------------------------------------------------


def _months(year: JointServiceYear, p: Part) -> int:
    if not year.prorate_by_month or not (p.joined_month or p.left_month):
        return 12  # the whole year (most members: no month of joining or leaving to count)
    fy = year.fiscal_year
    start = p.joined_month or fiscal_year_start(fy)
    end = None
    if p.left_month:
        nxt = (p.left_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = nxt - dt.timedelta(days=1)
    return months_in_fiscal_year(fy, start, end or fiscal_year_end(fy))


def _issued_burden_bodies(group: Group, fiscal_year: int, body_ids: list[int]) -> set[int]:
    """Members whose burden invoice is issued and stands (not credited): their shares stay as
    they were when it was issued."""
    issued = Invoice.objects.filter(
        kind=InvoiceKind.BURDEN,
        status=InvoiceStatus.ISSUED,
        issuer_group=group,
        fiscal_year=fiscal_year,
        recipient_id__in=body_ids,
    )
    credited = set(
        Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, corrects__in=issued).values_list(
            "corrects_id", flat=True
        )
    )
    return {i.recipient_id for i in issued if i.pk not in credited}


@dataclass
class BurdenPlan:
    """What a burden unit works on, read in a fixed number of queries: the council's service
    years, every participation (the whole council, since each service is apportioned among all
    its participants), the population figures, and the members of this chunk whose issued
    invoice stands (their shares are kept as issued)."""

    fiscal_year: int
    group: Group
    chunk_ids: set[int]
    years: list[JointServiceYear]
    parts_by_year: dict[int, list[Part]]
    figures: dict[tuple[int, str], PopulationFigure]
    frozen: set[int]


@dataclass(frozen=True, slots=True)
class Part:
    """A participation as the apportionment needs it: read as plain values, not as model
    objects (every unit reads every participation of its council: 17,880 for 1,788 members
    and 10 services)."""

    body_id: int
    code: str
    name: str
    usage_count: int | None
    joined_month: dt.date | None
    left_month: dt.date | None


@dataclass
class BurdenComputed:
    lines: dict[int, list[LineSpec]] = field(default_factory=lambda: defaultdict(list))
    shares: list[dict[str, Any]] = field(default_factory=list)  # BurdenShare rows
    problems: list[dict[str, str]] = field(default_factory=list)


def burden_plan(fiscal_year: int, group_id: int, body_ids: list[int]) -> BurdenPlan:
    group = Group.objects.select_related("secretariat").get(pk=group_id)
    years = list(
        JointServiceYear.objects.filter(service__group=group, fiscal_year=fiscal_year)
        .select_related("service")
        .order_by("service__name")
    )
    parts_by_year: dict[int, list[Part]] = defaultdict(list)
    for row in (
        Participation.objects.filter(service_year__in=years)
        .order_by("body__code")
        .values_list(
            "service_year_id",
            "body_id",
            "body__code",
            "body__name",
            "usage_count",
            "joined_month",
            "left_month",
        )
    ):
        parts_by_year[row[0]].append(Part(*row[1:]))
    all_ids = sorted({p.body_id for parts in parts_by_year.values() for p in parts})
    return BurdenPlan(
        fiscal_year=fiscal_year,
        group=group,
        chunk_ids=set(body_ids),
        years=years,
        parts_by_year=parts_by_year,
        figures=population_figures(body_ids=all_ids, sources={y.population_source for y in years}),
        frozen=_issued_burden_bodies(group, fiscal_year, sorted(body_ids)),
    )


def burden_compute(plan: BurdenPlan) -> BurdenComputed:
    """Apportion every service year among all its participants; keep the lines and shares of
    this chunk's members, and a problem for each member that cannot be charged (no population
    figure, or a budget the apportionment refuses). Writes nothing."""
    out = BurdenComputed()
    for year in plan.years:
        parts = plan.parts_by_year.get(year.pk, [])
        if not parts:
            continue
        shares, reason = _apportion_year(year, parts, plan.figures)
        if shares is None:
            # no population: the members without one; a refused budget: every member
            lacking = [p for p in parts if _lacks_figure(year, p, plan.figures)] or parts
            out.problems += [
                {
                    "body": p.code,
                    "name": p.name,
                    "reason": f"{year.service.name}: {reason}",
                }
                for p in lacking
                if p.body_id in plan.chunk_ids
            ]
            continue
        for p in parts:
            if p.body_id in plan.chunk_ids:
                _burden_line(plan, year, p, len(parts), shares[p.code], out)
    return out


def _lacks_figure(
    year: JointServiceYear, p: Part, figures: dict[tuple[int, str], PopulationFigure]
) -> bool:
    return year.method != ApportionmentKind.USAGE and (p.body_id, year.population_source) not in (
        figures
    )


def _apportion_year(
    year: JointServiceYear,
    parts: list[Part],
    figures: dict[tuple[int, str], PopulationFigure],
) -> tuple[dict[str, Any] | None, str]:
    """Every participant's share of the year's budget (by code), or None and why not."""
    if any(_lacks_figure(year, p, figures) for p in parts):
        return None, (
            f"「{year.get_population_source_display()}」の人口が登録されていないため、"
            "この年度の負担金を按分できません。"
        )
    usage = year.method == ApportionmentKind.USAGE
    members = [
        Member(
            code=p.code,
            population=None if usage else figures[(p.body_id, year.population_source)].population,
            usage=p.usage_count if usage else None,
            months=_months(year, p),
        )
        for p in parts
    ]
    method = Method(
        equal_part=year.equal_part,
        doubling_factor=year.doubling_factor,
        basis="usage" if usage else "population",
    )
    try:
        return {s.code: s for s in apportion(year.total_cost_yen, members, method)}, ""
    except ApportionmentError as exc:
        return None, exc.message


def _burden_line(
    plan: BurdenPlan,
    year: JointServiceYear,
    p: Part,
    members: int,
    s: Any,
    out: BurdenComputed,
) -> None:
    """One member's line (with the explanation frozen into it) and its share row."""
    usage = year.method == ApportionmentKind.USAGE
    figure = None if usage else plan.figures[(p.body_id, year.population_source)]
    detail = {
        "service": year.service.name,
        "service_year": year.pk,
        "fiscal_year": plan.fiscal_year,
        "total_cost_yen": year.total_cost_yen,
        "method": year.method,
        "equal_part": str(year.equal_part),
        "doubling_factor": str(year.doubling_factor),
        "population": figure.population if figure else None,
        "population_source": figure.source if figure else "",
        "population_reference_date": figure.reference_date.isoformat() if figure else "",
        "usage_count": p.usage_count,
        "months": s.months,
        "members": members,
        "weight": format(s.weight, "f"),
        "raw_share": format(s.raw_share, "f"),
        "floor_yen": s.floor_yen,
        "remainder_yen": s.remainder_yen,
        "amount_yen": s.amount_yen,
        "rounding": ROUNDING_METHOD,
    }
    if p.body_id not in plan.frozen:
        out.shares.append(
            {
                "service_year_id": year.pk,
                "body_id": p.body_id,
                "population": figure.population if figure else None,
                "population_source": figure.source if figure else "",
                "population_reference_date": figure.reference_date if figure else None,
                "usage_count": p.usage_count,
                "months": s.months,
                "weight": s.weight,
                "raw_share": s.raw_share,
                "floor_yen": s.floor_yen,
                "remainder_yen": s.remainder_yen,
                "amount_yen": s.amount_yen,
            }
        )
    months_note = "" if s.months == 12 else f" ({s.months}か月分)"
    out.lines[p.body_id].append(
        LineSpec(
            description=(
                f"{year.service.name} 負担金 {fiscal_year_label(plan.fiscal_year)}{months_note}"
            ),
            amount_yen=s.amount_yen,
            tax_category=TaxCategory.OUTSIDE,
            detail=detail,
        )
    )


def burden_persist(run: InvoiceRun, plan: BurdenPlan, computed: BurdenComputed) -> SaveResult:
    """Store the shares (the chart of "why this amount") and one invoice per member."""
    share_ids = copy_upsert(  # bulk_create's upsert spent a third of a burden unit on values
        BurdenShare,
        computed.shares,
        unique_fields=["service_year", "body"],
        update_fields=[
            "population",
            "population_source",
            "population_reference_date",
            "usage_count",
            "months",
            "weight",
            "raw_share",
            "floor_yen",
            "remainder_yen",
            "amount_yen",
            "computed_at",
        ],
    )
    if plan.frozen:  # the kept shares of members whose invoice stands
        share_ids.update(
            ((year, body), pk)
            for pk, year, body in BurdenShare.objects.filter(
                service_year__in=plan.years, body_id__in=plan.frozen
            ).values_list("pk", "service_year_id", "body_id")
        )
    bodies = {b.pk: b for b in Body.objects.filter(pk__in=plan.chunk_ids).only("code", "name")}
    group, fy = plan.group, plan.fiscal_year
    issuer_name = f"{group.name} (事務局: {group.secretariat.name})"
    specs = []
    for body_id in sorted(computed.lines, key=lambda i: bodies[i].code):
        lines = computed.lines[body_id]
        for line in lines:
            line.burden_share_id = share_ids.get((line.detail["service_year"], body_id))
        sources = {line.detail["population_source"] for line in lines} - {""}
        specs.append(
            InvoiceSpec(
                kind=InvoiceKind.BURDEN,
                fiscal_year=fy,
                issuer_key=f"group:{group.pk}",
                issuer_name=issuer_name,
                recipient_id=body_id,
                recipient_name=bodies[body_id].name,
                source_key=f"burden:{fy}:{group.pk}:{bodies[body_id].code}",
                lines=lines,
                issuer_group_id=group.pk,
                population_source=",".join(sorted(sources)),
            )
        )
    return save_invoices(specs, run_id=run.pk)


def _burden_unit(run: InvoiceRun, payload: dict[str, Any]) -> UnitOutcome:
    plan = burden_plan(run.fiscal_year, payload["group"], payload["bodies"])
    computed = burden_compute(plan)
    return UnitOutcome(saved=burden_persist(run, plan, computed), problems=computed.problems)


# --- usage fees (利用料) ----------------------------------------------------------------------


def _usage_unit(run: InvoiceRun, payload: dict[str, Any]) -> UnitOutcome:
    joint = payload.get("joint_use")
    specs, problems = usage_compute(
        run.fiscal_year,
        payload["contracts"],
        joint_use=None if joint is None else {(b, lst): n for b, lst, n in joint},
    )
    return UnitOutcome(saved=save_invoices(specs, run_id=run.pk), problems=problems)


# What usage_compute reads of a contract and of its body, listing and vendor: as plain rows,
# not model instances (building 4 per contract took a fifth of a usage unit).
_USAGE_FIELDS = (
    "id",
    "body_id",
    "listing_id",
    "vendor_id",
    "start_month",
    "ends_on",
    "plan",
    "body__code",
    "body__name",
    "listing__name",
    "vendor__name",
    "vendor__invoice_registration_number",
)


def usage_compute(
    fy: int,
    contract_ids: list[int],
    assumed: dict[int, int] | None = None,
    joint_use: dict[tuple[int, int], int] | None = None,
) -> tuple[list[InvoiceSpec], list[dict[str, str]]]:
    """The usage invoice each contract will get for the fiscal year (its term's fee schedule
    version, the body's population, the joint-use discount, months prorated, the initial fee
    in the first year), and a problem for each that cannot be priced. Writes nothing: the run
    saves these, the outlook shows them. A fixed number of queries for any number of
    contracts. `assumed` (contract id → fee schedule id) prices a contract that has no term
    for the year yet as if renewed on that version (the outlook's projection); `joint_use`
    ((body, listing) → count) is the run's snapshot of the joint-use counts, computed when it
    was planned (without it they are counted now)."""
    assumed = assumed or {}
    outcome = UnitOutcome()
    contracts = list(
        Contract.objects.filter(pk__any=contract_ids)
        .order_by("pk")
        .values_list(*_USAGE_FIELDS, named=True)
    )
    term_schedule = dict(
        ContractTerm.objects.filter(contract_id__any=contract_ids, fiscal_year=fy)
        .order_by()  # the model's ordering would join every contract for the sort
        .values_list("contract_id", "fee_schedule_id")
    )
    # Each schedule version once (many contracts share one), with its bands, read and turned
    # into the pure domain object once.
    versions = schedules_with_domains(
        schedule_ids=set(term_schedule.values()) | set(assumed.values())
    )
    figures = population_figures(
        body_ids=[c.body_id for c in contracts], sources={settings.DEFAULT_POPULATION_SOURCE}
    )
    discounts = (
        joint_use
        if joint_use is not None
        else joint_use_counts(pairs=[(c.body_id, c.listing_id) for c in contracts])
    )
    specs = []
    for c in contracts:
        schedule_id = term_schedule.get(c.id, assumed.get(c.id))
        if schedule_id is None:
            continue
        figure = figures.get((c.body_id, settings.DEFAULT_POPULATION_SOURCE))
        if figure is None:
            outcome.problems.append(
                {
                    "body": c.body__code,
                    "name": c.body__name,
                    "reason": f"{c.listing__name}: 人口が登録されていないため"
                    "利用料を計算できません。",
                }
            )
            continue
        months = months_in_fiscal_year(fy, c.start_month, c.ends_on)
        if months == 0:
            continue
        schedule, domain = versions[schedule_id]
        try:
            q = quote(
                domain,
                figure.population,
                discounts[(c.body_id, c.listing_id)],
            )
        except FeeError as exc:
            outcome.problems.append(
                {
                    "body": c.body__code,
                    "name": c.body__name,
                    "reason": f"{c.listing__name}: {exc.message}",
                }
            )
            continue
        exact, fee = prorated(q.annual_exact, months)
        detail = {
            "listing": c.listing__name,
            "contract": c.id,
            "fiscal_year": fy,
            "fee_schedule": schedule.pk,
            "fee_schedule_version": schedule.version,
            "population": figure.population,
            "population_source": figure.source,
            "annual_exact": format(q.annual_exact, "f"),
            "months": months,
            "prorated_exact": format(exact, "f"),
            "discount_applied": q.discount_applied,
            "steps": q.steps,
        }
        months_note = "" if months == 12 else f" ({months}か月分・月割)"
        lines = [
            LineSpec(
                f"{c.listing__name} 利用料 {fiscal_year_label(fy)} ({c.plan}){months_note}",
                fee,
                schedule.tax_category,
                detail,
            )
        ]
        if schedule.initial_fee_yen and fiscal_year_of(c.start_month) == fy:
            lines.append(
                LineSpec(
                    f"{c.listing__name} 初期費用",
                    schedule.initial_fee_yen,
                    schedule.tax_category,
                    {"fee_schedule": schedule.pk},
                )
            )
        specs.append(
            InvoiceSpec(
                kind=InvoiceKind.USAGE,
                fiscal_year=fy,
                issuer_key=f"vendor:{c.vendor_id}",
                issuer_name=c.vendor__name,
                issuer_registration_number=c.vendor__invoice_registration_number,
                recipient_id=c.body_id,
                recipient_name=c.body__name,
                source_key=f"usage:{fy}:{c.id}",
                lines=lines,
                issuer_vendor_id=c.vendor_id,
                contract_id=c.id,
                population_source=figure.source,
            )
        )
    return specs, outcome.problems


def invoice_run_inline(
    *, fiscal_year: int, group_id: int | None = None, started_by: str = ""
) -> InvoiceRun:
    """Plan and process every unit in this process (the same code the worker runs): for the
    unit tests and for a one-off regeneration."""
    run, unit_ids = invoice_run_start(
        fiscal_year=fiscal_year, group_id=group_id, started_by=started_by
    )
    for unit_id in unit_ids:
        invoice_unit_process(unit_id=unit_id)
    run.refresh_from_db()
    return run
