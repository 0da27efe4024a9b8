"""Support schemes applied to a body's costs, pure: which scheme covers a cost, at what rate
(with the joint-use bonus), how much of the body's yearly cap (yen and number of uses) is left,
and the part covered, rounded down once per cost. No Django.

A cost is claimed under the one scheme of its purpose (and category, for usage fees) in force
for the fiscal year. Costs are taken in the order given (the caller's: e.g. by start date); a
cap used by earlier costs is not available to later ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from apps.core.domain.money import yen

PURPOSES = ("usage_fees", "experts", "training", "reskilling")


@dataclass(frozen=True)
class Scheme:
    name: str
    purpose: str
    rate: Decimal
    categories: tuple[str, ...] = ()  # for usage fees: the catalogue categories (empty: all)
    cap_yen: int | None = None  # per body per fiscal year
    cap_uses: int | None = None  # per body per fiscal year
    bonus_points: Decimal = Decimal(0)  # added to the rate for joint use
    bonus_min_bodies: int | None = None  # ... when at least this many bodies of a group use it

    def covers(self, purpose: str, category: str) -> bool:
        return self.purpose == purpose and (not self.categories or category in self.categories)

    def rate_for(self, joint_bodies: int) -> Decimal:
        if self.bonus_min_bodies is not None and joint_bodies >= self.bonus_min_bodies:
            return min(self.rate + self.bonus_points, Decimal(1))
        return self.rate


@dataclass(frozen=True)
class Cost:
    key: str
    purpose: str
    amount_yen: int
    category: str = ""
    joint_bodies: int = 1  # for usage fees: bodies of one group using the same service


@dataclass(frozen=True)
class Award:
    key: str
    scheme: str  # "" when no scheme covers the cost
    rate: Decimal
    bonus: bool
    covered_yen: int
    net_yen: int
    capped: bool  # the cap cut the covered part (or used it up)


@dataclass
class Usage:
    yen: int = 0
    uses: int = 0


@dataclass
class Ledger:
    """What each scheme's cap has used so far this fiscal year (by scheme name)."""

    used: dict[str, Usage] = field(default_factory=dict)

    def of(self, scheme: str) -> Usage:
        return self.used.setdefault(scheme, Usage())


def award(costs: list[Cost], schemes: list[Scheme], ledger: Ledger | None = None) -> list[Award]:
    """The part of each cost a scheme covers, in order, within the caps."""
    ledger = ledger or Ledger()
    out = []
    for cost in costs:
        scheme = next((s for s in schemes if s.covers(cost.purpose, cost.category)), None)
        if scheme is None or cost.amount_yen <= 0:
            out.append(Award(cost.key, "", Decimal(0), False, 0, cost.amount_yen, False))
            continue
        rate = scheme.rate_for(cost.joint_bodies)
        covered = yen(Decimal(cost.amount_yen) * rate)  # the one rounding step of the line
        used = ledger.of(scheme.name)
        capped = False
        if scheme.cap_uses is not None and used.uses >= scheme.cap_uses:
            covered, capped = 0, True
        if scheme.cap_yen is not None and covered > scheme.cap_yen - used.yen:
            covered, capped = max(scheme.cap_yen - used.yen, 0), True
        if covered > 0:
            used.yen += covered
            used.uses += 1
        out.append(
            Award(
                cost.key,
                scheme.name,
                rate,
                rate != scheme.rate,
                covered,
                cost.amount_yen - covered,
                capped,
            )
        )
    return out
