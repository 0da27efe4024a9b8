"""A body's outlook for a fiscal year (its own site), and a secretariat's over its members.

Every amount comes from the code that makes the invoices: burden charges from the run's
`burden_plan`/`burden_compute` (the apportionment, on the population figures each joint
service names), usage fees from `usage_compute` (the term's fee schedule version, months
prorated, tax as the invoice will carry it). An invoice already made for the same source
(burden per council, usage per contract) replaces its projection, so nothing is counted twice;
a cancelled invoice counts for nothing. Support comes from the schemes stored for the year
(`apps.training.domain.support.award`, rounded down once per line, caps per body)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from apps.accounts.models import AdviserEngagement
from apps.accounts.viewer import Viewer
from apps.catalog.models import FeeSchedule, Listing, ScheduleStatus
from apps.contracts.models import LIVE_CONTRACT_STATUSES, Contract, ContractStatus, ContractTerm
from apps.contracts.selectors import joint_use_counts, quote_for_body
from apps.core.domain.fiscal import fiscal_year_end, fiscal_year_start
from apps.core.domain.money import yen
from apps.core.errors import NotFound
from apps.groups.models import Group, GroupKind, Membership, Participation
from apps.invoicing.models import Invoice, InvoiceKind
from apps.invoicing.selectors import cancelled_expression
from apps.invoicing.services.run import burden_compute, burden_plan, usage_compute
from apps.outlook.domain.outlook import Change, Line, Total, change, grand_total, totals
from apps.tenants.models import Body
from apps.training.domain.support import Cost, Ledger, award
from apps.training.models import SchemePurpose, SupportScheme
from apps.training.services import covered_parts

NEAR_CAP = 0.8  # a body is "near" a scheme's yen cap from this share of it


def _invoices(body_ids: list[int], fy: int) -> dict[str, Invoice]:
    """The invoice in force for each source (the latest revision not cancelled)."""
    found: dict[str, Invoice] = {}
    for invoice in (
        Invoice.objects.filter(
            recipient_id__in=body_ids,
            fiscal_year=fy,
            kind__in=(InvoiceKind.BURDEN, InvoiceKind.USAGE),
        )
        .annotate(cancelled=cancelled_expression())
        .filter(cancelled=False)
        .prefetch_related("lines")
        .order_by("source_key", "-revision")
    ):
        found.setdefault(invoice.source_key, invoice)
    return found


def _usage_schemes(fy: int) -> list[Any]:
    return [
        s.domain()
        for s in SupportScheme.objects.filter(
            fiscal_year=fy, purpose=SchemePurpose.USAGE_FEES
        ).order_by("name")
    ]


@dataclass
class Lines:
    by_body: dict[int, list[Line]] = field(default_factory=lambda: defaultdict(list))
    ledgers: dict[int, Ledger] = field(default_factory=lambda: defaultdict(Ledger))
    problems: list[dict[str, str]] = field(default_factory=list)


def _invoice_lines(invoice: Invoice, flow: str, pattern: str) -> list[Line]:
    why = reverse("invoice-detail", args=[invoice.pk])
    if flow == "usage":  # one line, tax included, as it will be paid
        return [
            Line(
                invoice.source_key,
                flow,
                pattern,
                invoice.lines.all()[0].description if invoice.lines.all() else invoice.source_key,
                invoice.total_yen,
                invoice.status,
                why,
            )
        ]
    return [
        Line(
            f"{invoice.source_key}:{line.pk}",
            flow,
            pattern,
            line.description,
            line.amount_yen,
            invoice.status,
            why,
        )
        for line in invoice.lines.all()
    ]


def _burden(
    bodies: list[Body],
    fy: int,
    group_ids: list[int],
    invoices: dict[str, Invoice],
    out: Lines,
    links: bool = True,
) -> None:
    codes = {b.pk: b.code for b in bodies}
    for group_id in group_ids:
        plan = burden_plan(fy, group_id, list(codes))
        computed = burden_compute(plan)
        out.problems += computed.problems
        services = {y.pk: y.service_id for y in plan.years}
        for body_id, code in codes.items():
            invoice = invoices.pop(f"burden:{fy}:{group_id}:{code}", None)
            if invoice is not None:
                out.by_body[body_id] += _invoice_lines(invoice, "burden", "council")
                continue
            for spec in computed.lines.get(body_id, []):
                year_id = spec.detail["service_year"]
                out.by_body[body_id].append(
                    Line(
                        f"burden:{fy}:{group_id}:{code}:{year_id}",
                        "burden",
                        "council",
                        spec.description,
                        spec.amount_yen,
                        "projected",
                        reverse("joint-service", args=[services[year_id]]) + f"?fiscal_year={fy}"
                        if links
                        else "",
                    )
                )


def _usage(
    bodies: list[Body], fy: int, invoices: dict[str, Invoice], out: Lines, links: bool = True
) -> None:
    """links=False: no "why" address per line (the secretariat's totals show no lines)."""
    contract_ids = list(
        ContractTerm.objects.filter(fiscal_year=fy, contract__body__in=bodies)
        .exclude(contract__status=ContractStatus.CANCELLED)
        .order_by("contract_id")
        .values_list("contract_id", flat=True)
    )
    assumed = _not_yet_renewed(bodies, fy, out)
    specs, problems = usage_compute(fy, contract_ids + list(assumed), assumed)
    out.problems += problems
    contracts = {
        c.pk: c
        for c in Contract.objects.filter(pk__in=contract_ids + list(assumed)).select_related(
            "listing"
        )
    }
    joint = joint_use_counts(pairs=[(c.body_id, c.listing_id) for c in contracts.values()])
    schemes = _usage_schemes(fy)
    pending: dict[int, list[tuple[Line, Cost]]] = defaultdict(list)
    for spec in specs:
        c = contracts[spec.contract_id]  # type: ignore[index]
        invoice = invoices.pop(spec.source_key, None)
        subtotal, tax, _summary = spec.totals()
        gross = invoice.total_yen if invoice else subtotal + tax
        line = Line(
            spec.source_key,
            "usage",
            c.listing.pattern,
            spec.lines[0].description,
            gross,
            invoice.status if invoice else "projected",
            ""
            if not links
            else reverse("invoice-detail", args=[invoice.pk])
            if invoice
            else reverse("contract-detail", args=[c.pk]),
            note="国が負担 (共通化A)"
            if c.listing.pattern == "A"
            else "更新前の見込み"
            if c.pk in assumed
            else "",
        )
        cost = Cost(
            spec.source_key,
            "usage_fees",
            gross,
            c.listing.category,
            joint[(c.body_id, c.listing_id)],
        )
        pending[c.body_id].append((line, cost))
    for body_id, rows in pending.items():
        for (line, _cost), a in zip(
            rows, award([c for _l, c in rows], schemes, out.ledgers[body_id]), strict=True
        ):
            out.by_body[body_id].append(_supported(line, a))


def _not_yet_renewed(bodies: list[Body], fy: int, out: Lines) -> dict[int, int]:
    """Live contracts that reach into the year but have no term for it yet (not renewed): each
    priced on its listing's latest published schedule version for the year (contract id →
    schedule id); one without such a version is a problem, not a guess."""
    live = list(
        Contract.objects.filter(
            body__in=bodies,
            status__in=LIVE_CONTRACT_STATUSES,
            start_month__lte=fiscal_year_end(fy),
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=fiscal_year_start(fy)))
        .exclude(terms__fiscal_year=fy)  # a subquery, not the list of the termed ids
        .select_related("body", "listing")
    )
    latest: dict[int, int] = {}
    for listing_id, schedule_id in (
        FeeSchedule.objects.filter(
            listing_id__in={c.listing_id for c in live},
            fiscal_year=fy,
            status=ScheduleStatus.PUBLISHED,
        )
        .order_by("listing_id", "-version")
        .values_list("listing_id", "pk")
    ):
        latest.setdefault(listing_id, schedule_id)
    assumed = {}
    for c in live:
        if c.listing_id in latest:
            assumed[c.pk] = latest[c.listing_id]
        else:
            out.problems.append(
                {
                    "body": c.body.code,
                    "name": c.body.name,
                    "reason": f"{c.listing.name}: この年度の料金表がまだ公開されていないため、"
                    "利用料を見込めません。",
                }
            )
    return assumed


def _supported(line: Line, a: Any) -> Line:
    from dataclasses import replace

    if not a.scheme:
        return line
    return replace(line, scheme=a.scheme, rate=a.rate, covered_yen=a.covered_yen, capped=a.capped)


def _leftover_invoices(bodies: list[Body], invoices: dict[str, Invoice], out: Lines) -> None:
    """Invoices of the year with no projection (e.g. a contract ended since): still counted."""
    for invoice in invoices.values():
        flow = "burden" if invoice.kind == InvoiceKind.BURDEN else "usage"
        pattern = "council" if flow == "burden" else "B"
        out.by_body[invoice.recipient_id] += _invoice_lines(invoice, flow, pattern)


def _talent(fy: int) -> list[Line]:
    """The body's outside experts and reskilling of the year (the body's schema is current)."""
    engagements = list(
        AdviserEngagement.objects.filter(
            starts_on__range=(fiscal_year_start(fy), fiscal_year_end(fy))
        ).order_by("starts_on", "pk")
    )
    lines = []
    for e, (rate, covered) in zip(engagements, covered_parts(engagements), strict=True):
        lines.append(
            Line(
                f"talent:{e.pk}",
                "talent",
                "talent",
                f"{e.get_kind_display()}: {e.role} ({e.adviser_name})",
                e.cost_yen,
                "projected",
                reverse("advisers"),
                scheme=e.scheme_name if rate is not None else "",
                rate=rate,
                covered_yen=covered or 0,
                # the cap cut it: less than the rate alone would cover
                capped=rate is not None and (covered or 0) < yen(Decimal(e.cost_yen) * rate),
            )
        )
    return lines


def _council_ids(body_ids: list[int], fy: int) -> list[int]:
    return sorted(
        set(
            Participation.objects.filter(body_id__in=body_ids, service_year__fiscal_year=fy)
            .values_list("service_year__service__group_id", flat=True)
            .distinct()
        )
    )


def body_lines(
    body: Body, fy: int, *, talent: bool = True
) -> tuple[list[Line], list[dict[str, str]]]:
    """Every expected cost of one body in a fiscal year, with its support."""
    invoices = _invoices([body.pk], fy)
    out = Lines()
    _burden([body], fy, _council_ids([body.pk], fy), invoices, out)
    _usage([body], fy, invoices, out)
    _leftover_invoices([body], invoices, out)
    lines = out.by_body[body.pk] + (_talent(fy) if talent else [])
    return lines, out.problems


def what_if_listing(*, body: Body, listing: Listing, fiscal_year: int) -> Line | None:
    """The line a listing would add (its quote for the body, tax included): "add to my outlook"
    without saving a contract."""
    q = quote_for_body(body=body, listing=listing, fiscal_year=fiscal_year)
    if q is None:
        return None
    return Line(
        f"what-if:listing:{listing.pk}",
        "usage",
        listing.pattern,
        f"(試算) {listing.name} 利用料",
        q.quote.total_yen,
        "projected",
        reverse("listing-detail", args=[listing.pk]),
        note="契約していないサービスの試算",
    )


@dataclass(frozen=True)
class Outlook:
    body: Body
    fiscal_year: int
    lines: list[Line]
    problems: list[dict[str, str]]
    by_flow: list[Total]
    by_pattern: list[Total]
    total: Total
    compare_year: int
    changes: list[Change]


def body_outlook(*, viewer: Viewer, fiscal_year: int, extra: list[Line] | None = None) -> Outlook:
    """The viewer's body's outlook (its administrator and finance staff only: another body's
    is not reachable at all), against the year before."""
    body = viewer.require_finance()
    lines, problems = body_lines(body, fiscal_year)
    lines += extra or []
    before, _ = body_lines(body, fiscal_year - 1)
    return Outlook(
        body=body,
        fiscal_year=fiscal_year,
        lines=lines,
        problems=problems,
        by_flow=totals(lines, "flow"),
        by_pattern=totals(lines, "pattern"),
        total=grand_total(lines),
        compare_year=fiscal_year - 1,
        changes=change(before, lines),
    )


# --- the secretariat's view -----------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    code: str
    name: str
    burden_yen: int
    usage_yen: int
    covered_yen: int
    net_yen: int
    near_caps: list[str]


def secretariat_groups(*, viewer: Viewer) -> QuerySet[Group]:
    from apps.groups.selectors import group_list

    viewer.require_secretariat()
    return group_list(viewer=viewer)


def group_outlook(
    *, viewer: Viewer, group_id: int, fiscal_year: int
) -> tuple[Group, list[MemberRow]]:
    """Every current member of one of the secretariat's groups: its burden charges to the
    group's councils' services and its usage fees of the year, with support; the bodies near
    a scheme's yen cap. A fixed number of queries for any number of members (outside experts
    are the bodies' own records, in their schemas, and not shown here)."""
    group = secretariat_groups(viewer=viewer).filter(pk=group_id).first()
    if group is None:
        raise NotFound("この協議会・研究会は見つからないか、権限がありません。", "group_not_found")
    bodies = [
        m.body
        for m in Membership.objects.filter(group=group, left_on__isnull=True)
        .select_related("body")
        .order_by("body__code")
    ]
    ids = [b.pk for b in bodies]
    invoices = {
        k: v
        for k, v in _invoices(ids, fiscal_year).items()
        if not k.startswith("burden:") or k.split(":")[2] == str(group.pk)
    }
    out = Lines()
    if group.kind == GroupKind.COUNCIL:
        _burden(bodies, fiscal_year, [group.pk], invoices, out, links=False)
    _usage(bodies, fiscal_year, invoices, out, links=False)
    caps = {s.name: s.cap_yen for s in _usage_schemes(fiscal_year) if s.cap_yen}
    rows = []
    for b in bodies:
        lines = out.by_body.get(b.pk, [])
        ledger = out.ledgers.get(b.pk)
        near = [
            name
            for name, cap in caps.items()
            if ledger is not None and ledger.of(name).yen >= NEAR_CAP * cap
        ]
        rows.append(
            MemberRow(
                b.code,
                b.name,
                sum(line.gross_yen for line in lines if line.flow == "burden"),
                sum(line.gross_yen for line in lines if line.flow == "usage"),
                sum(line.covered_yen for line in lines),
                sum(line.net_yen for line in lines),
                near,
            )
        )
    return group, rows


def what_if_option(*, viewer: Viewer, option_id: int) -> Line | None:
    """The body's share under a survey's savings option (the survey must be one the body was
    asked to answer: 404 otherwise)."""
    from apps.surveys.models import SavingsOption
    from apps.surveys.selectors import savings_models, survey_get

    body = viewer.require_finance()
    option = SavingsOption.objects.filter(pk=option_id).first()
    if option is None:
        raise NotFound("この試算案は見つかりません。", "option_not_found")
    survey = survey_get(viewer=viewer, survey_id=option.survey_id)
    for o, model in savings_models(viewer=viewer, survey=survey):
        own = next((line for line in model.lines if line.code == body.code), None)
        if o.pk == option.pk and own is not None:
            return Line(
                f"what-if:option:{o.pk}",
                "burden",
                "council",
                f"(試算) {survey.area}: {o.label}",
                own.share_yen,
                "projected",
                reverse("survey", args=[survey.pk]) + "#savings",
                note="共同化案の試算",
            )
    return None


def outlook_with(
    *,
    viewer: Viewer,
    fiscal_year: int,
    add_listing: int | None = None,
    add_option: int | None = None,
) -> Outlook:
    """The body's outlook with a what-if added: a listing's quote, a survey option's share
    (nothing saved; a listing or option the body may not see is a 404)."""
    from apps.catalog.selectors import listing_get

    body = viewer.require_finance()
    extra = []
    if add_listing:
        listing = listing_get(viewer=viewer, listing_id=add_listing)
        line = what_if_listing(body=body, listing=listing, fiscal_year=fiscal_year)
        if line is not None:
            extra.append(line)
    if add_option:
        line = what_if_option(viewer=viewer, option_id=add_option)
        if line is not None:
            extra.append(line)
    return body_outlook(viewer=viewer, fiscal_year=fiscal_year, extra=extra)


def finance_staff(*, viewer: Viewer) -> QuerySet[Any]:
    """The body's active staff with whether each has the finance role (its administrator)."""
    from apps.accounts.models import Role, User

    viewer.require_body_admin()
    return User.objects.filter(is_active=True, role=Role.BODY_STAFF).order_by("username")
