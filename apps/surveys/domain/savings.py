"""Feasibility and savings (試算), pure: a joint option's total split among the interested
bodies by the one apportionment of the portal (apps.invoicing.domain.apportionment, the code
that makes burden invoices), each share set against what the body pays today."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.invoicing.domain.apportionment import Member, Method, apportion


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    population: int | None
    usage: int | None
    current_cost_yen: int | None  # None: the body did not say


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    population: int | None
    usage: int | None
    current_cost_yen: int | None
    share_yen: int
    saving_yen: int | None  # today's cost − the share; negative: sharing costs it more


@dataclass(frozen=True)
class Excluded:
    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class Model:
    total_yen: int
    lines: list[Line]
    excluded: list[Excluded]
    current_total_yen: int  # of the bodies that gave a cost
    share_total_yen: int  # of the same bodies
    saving_total_yen: int  # current_total − share_total
    bodies_saving: int
    bodies_paying_more: int
    bodies_without_cost: int


def model(total_yen: int, candidates: list[Candidate], method: Method) -> Model:
    """Split total_yen among the candidates that have the figure the method needs; the others
    are listed as excluded with the reason. Shares add up to total_yen exactly."""
    usage = method.basis == "usage"
    included: list[Candidate] = []
    excluded: list[Excluded] = []
    for c in candidates:
        if usage and c.usage is None:
            excluded.append(Excluded(c.code, c.name, "年間件数の回答がありません"))
        elif not usage and c.population is None:
            excluded.append(Excluded(c.code, c.name, "人口が登録されていません"))
        else:
            included.append(c)
    if not included:
        return Model(total_yen, [], excluded, 0, 0, 0, 0, 0, 0)
    shares = apportion(
        total_yen,
        [
            Member(code=c.code, population=c.population, usage=c.usage if usage else None)
            for c in included
        ],
        method,
    )
    by_code = {c.code: c for c in included}
    lines = []
    for s in shares:
        c = by_code[s.code]
        saving = None if c.current_cost_yen is None else c.current_cost_yen - s.amount_yen
        lines.append(
            Line(c.code, c.name, c.population, c.usage, c.current_cost_yen, s.amount_yen, saving)
        )
    known = [line for line in lines if line.saving_yen is not None]
    current_total = sum(line.current_cost_yen or 0 for line in known)
    share_total = sum(line.share_yen for line in known)
    return Model(
        total_yen=total_yen,
        lines=lines,
        excluded=excluded,
        current_total_yen=current_total,
        share_total_yen=share_total,
        saving_total_yen=current_total - share_total,
        bodies_saving=sum(1 for line in known if (line.saving_yen or 0) > 0),
        bodies_paying_more=sum(1 for line in known if (line.saving_yen or 0) < 0),
        bodies_without_cost=len(lines) - len(known),
    )


def method_of(basis: str, equal_part: Decimal, doubling_factor: Decimal) -> Method:
    return Method(equal_part=equal_part, doubling_factor=doubling_factor, basis=basis)
