"""Reading the reference list of bodies and giving each a unique slug. No Django here."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from apps.core.domain.errors import DomainError
from apps.tenants.domain.codes import is_valid_local_government_code
from apps.tenants.domain.romaji import stem_slug, suffix_romaji

KINDS = ("prefecture", "designated_city", "city", "special_ward", "town", "village")
COLUMNS = ("code", "prefecture", "name", "kana", "kind", "population_2020", "population_2025")


class ReferenceDataError(DomainError):
    """The reference list (CSV) cannot be read: the message names the line."""

    def __init__(self, message: str, code: str = "invalid_reference_data") -> None:
        super().__init__(message, code)


@dataclass(frozen=True)
class BodyRecord:
    code: str
    prefecture: str
    name: str
    kana: str
    kind: str
    population_2020: int
    population_2025: int


def parse_reference_csv(lines: Iterable[str]) -> list[BodyRecord]:
    reader = csv.DictReader(lines)
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ReferenceDataError(f"expected the columns {','.join(COLUMNS)}")
    records: list[BodyRecord] = []
    seen: set[str] = set()
    for line_no, row in enumerate(reader, start=2):
        code = row["code"]
        if not is_valid_local_government_code(code):
            raise ReferenceDataError(f"line {line_no}: code {code!r} has a wrong check digit")
        if code in seen:
            raise ReferenceDataError(f"line {line_no}: code {code} appears twice")
        if row["kind"] not in KINDS:
            raise ReferenceDataError(f"line {line_no}: unknown kind {row['kind']!r}")
        try:
            pop_2020 = int(row["population_2020"])
            pop_2025 = int(row["population_2025"])
        except ValueError as exc:
            raise ReferenceDataError(f"line {line_no}: population is not a whole number") from exc
        if pop_2020 < 0 or pop_2025 < 0:
            raise ReferenceDataError(f"line {line_no}: population is negative")
        seen.add(code)
        records.append(
            BodyRecord(
                code, row["prefecture"], row["name"], row["kana"], row["kind"], pop_2020, pop_2025
            )
        )
    return records


def assign_slugs(records: Iterable[BodyRecord]) -> dict[str, str]:
    """A unique DNS-label slug per body code, stable for a given list.

    A prefecture is "<stem>-pref" (aichi-pref). A municipality is its bare stem (toyota) when no
    other municipality shares it, or when it is the most populous of those that do (一宮市 of Aichi
    is "ichinomiya", 一宮町 of Chiba is not); otherwise the stem with its suffix (ichinomiya-machi);
    and where that still clashes, the prefecture's stem (date-shi-hokkaido), and in the last
    resort the code (esashi-cho-013617: 江差町 and 枝幸町 of Hokkaido read alike).
    """
    records = sorted(records, key=lambda r: r.code)
    pref_stem = {r.prefecture: stem_slug(r.name, r.kana) for r in records if r.kind == "prefecture"}
    slugs: dict[str, str] = {}
    municipal = [r for r in records if r.kind != "prefecture"]
    stems = {r.code: stem_slug(r.name, r.kana) for r in municipal}
    with_suffix = {r.code: f"{stems[r.code]}-{suffix_romaji(r.name, r.kana)}" for r in municipal}
    stem_count = Counter(stems.values())
    bare_owner: dict[str, str] = {}
    for r in sorted(municipal, key=lambda r: (-r.population_2020, r.code)):
        bare_owner.setdefault(stems[r.code], r.code)
    suffix_count = Counter(with_suffix.values())
    with_pref = {
        c: f"{s}-{pref_stem.get(r.prefecture, c)}"
        for r in municipal
        for c, s in [(r.code, with_suffix[r.code])]
    }
    pref_count = Counter(with_pref.values())
    for r in records:
        if r.kind == "prefecture":
            slugs[r.code] = f"{pref_stem[r.prefecture]}-pref"
        elif stem_count[stems[r.code]] == 1 or bare_owner[stems[r.code]] == r.code:
            slugs[r.code] = stems[r.code]
        elif suffix_count[with_suffix[r.code]] == 1:
            slugs[r.code] = with_suffix[r.code]
        elif pref_count[with_pref[r.code]] == 1:
            slugs[r.code] = with_pref[r.code]
        else:
            slugs[r.code] = f"{with_suffix[r.code]}-{r.code}"
    duplicates = [s for s, n in Counter(slugs.values()).items() if n > 1]
    if duplicates:
        raise ReferenceDataError(f"slugs are not unique: {', '.join(sorted(duplicates)[:5])}")
    return slugs
