"""Writes for bodies: importing the reference list. Provisioning schemas is in provisioning.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from apps.core.services import audit_record
from apps.tenants import cache as tenants_cache
from apps.tenants.domain.reference import BodyRecord, assign_slugs
from apps.tenants.models import Body, PopulationFigure, PopulationSource

CENSUS_FIGURES = (
    # (source, reference date, record attribute): both censuses count as of 1 October.
    (PopulationSource.CENSUS_2020, dt.date(2020, 10, 1), "population_2020"),
    (PopulationSource.CENSUS_2025, dt.date(2025, 10, 1), "population_2025"),
)


@dataclass(frozen=True)
class ImportResult:
    bodies_created: int
    bodies_updated: int
    figures_created: int
    figures_updated: int

    @property
    def changed(self) -> bool:
        return any(
            (self.bodies_created, self.bodies_updated, self.figures_created, self.figures_updated)
        )


def schema_name_for(slug: str) -> str:
    return slug.replace("-", "_")


@transaction.atomic
def body_import_reference(*, records: list[BodyRecord]) -> ImportResult:
    """Create or update every body and its census figures. A body's slug and schema name are set
    once, when it is created, and never change afterwards (its address must stay put)."""
    slugs = assign_slugs(records)
    existing = {b.code: b for b in Body.objects.select_for_update()}
    to_create: list[Body] = []
    to_update: list[Body] = []
    for r in records:
        body = existing.get(r.code)
        if body is None:
            slug = slugs[r.code]
            to_create.append(
                Body(
                    code=r.code,
                    name=r.name,
                    kana=r.kana,
                    prefecture=r.prefecture,
                    kind=r.kind,
                    slug=slug,
                    schema_name=schema_name_for(slug),
                )
            )
            continue
        fresh = {"name": r.name, "kana": r.kana, "prefecture": r.prefecture, "kind": r.kind}
        if any(getattr(body, k) != v for k, v in fresh.items()):
            for k, v in fresh.items():
                setattr(body, k, v)
            to_update.append(body)
    Body.objects.bulk_create(to_create, batch_size=500)
    Body.objects.bulk_update(to_update, ["name", "kana", "prefecture", "kind"], batch_size=500)
    if to_update:
        tenants_cache.changed()  # bulk_update sends no signal

    body_ids = dict(Body.objects.values_list("code", "id"))
    figures = {
        (f.body_id, f.source, f.reference_date): f
        for f in PopulationFigure.objects.filter(source__in=[s for s, _, _ in CENSUS_FIGURES])
    }
    new_figures: list[PopulationFigure] = []
    changed_figures: list[PopulationFigure] = []
    for r in records:
        for source, ref_date, attr in CENSUS_FIGURES:
            value = getattr(r, attr)
            figure = figures.get((body_ids[r.code], source, ref_date))
            if figure is None:
                new_figures.append(
                    PopulationFigure(
                        body_id=body_ids[r.code],
                        population=value,
                        source=source,
                        reference_date=ref_date,
                    )
                )
            elif figure.population != value:
                figure.population = value
                changed_figures.append(figure)
    PopulationFigure.objects.bulk_create(new_figures, batch_size=1000)
    PopulationFigure.objects.bulk_update(changed_figures, ["population"], batch_size=1000)
    if new_figures or changed_figures:
        tenants_cache.changed()  # nor do bulk_create and bulk_update

    result = ImportResult(len(to_create), len(to_update), len(new_figures), len(changed_figures))
    if result.changed:
        audit_record(
            actor=None,
            action="bodies.imported",
            target=None,
            data={
                "bodies_created": result.bodies_created,
                "bodies_updated": result.bodies_updated,
                "figures_created": result.figures_created,
                "figures_updated": result.figures_updated,
            },
        )
    return result
