"""Reads for bodies."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery

from apps.tenants.cache import cached, keys
from apps.tenants.models import Body, PopulationFigure, PopulationSource


def body_list(*, prefecture: str | None = None, provisioned: bool | None = None) -> QuerySet[Body]:
    qs = Body.objects.all()
    if prefecture:
        qs = qs.filter(prefecture=prefecture)
    if provisioned is not None:
        qs = qs.filter(provisioned_at__isnull=not provisioned)
    return qs.order_by("code")


def _latest_first(qs: QuerySet[PopulationFigure]) -> QuerySet[PopulationFigure]:
    """The one rule for which figure counts: of a body's figures from one source, the one with
    the latest reference date."""
    return qs.order_by("body_id", "source", "-reference_date")


def population_figures(
    *, body_ids: Iterable[int], sources: Iterable[str]
) -> dict[tuple[int, str], PopulationFigure]:
    """(body id, source) -> the latest figure, for many bodies in one query."""
    figures: dict[tuple[int, str], PopulationFigure] = {}
    qs = PopulationFigure.objects.filter(body_id__any=list(body_ids), source__in=list(sources))
    for f in _latest_first(qs):
        figures.setdefault((f.body_id, f.source), f)
    return figures


def body_population(
    *, body: Body, source: str = PopulationSource.CENSUS_2020
) -> PopulationFigure | None:
    """The body's latest figure from the source (kept in Redis until a figure changes,
    apps/tenants/cache.py: every quote asks for it)."""
    return cached(
        "population",
        f"{body.pk}:{source}",
        lambda: population_figures(body_ids=[body.pk], sources=[source]).get((body.pk, source)),
    )


def body_population_cache_keys(body_id: int, source: str) -> list[str]:
    """What body_population reads from the cache."""
    return keys("population", f"{body_id}:{source}")


def latest_population(body_ref: str, source: str = PopulationSource.CENSUS_2020) -> Subquery:
    """The latest figure's population as a subquery, to annotate rows that point at a body
    (`body_ref` is the OuterRef: "pk" for bodies, "body" for memberships)."""
    qs = PopulationFigure.objects.filter(body=OuterRef(body_ref), source=source)
    return Subquery(qs.order_by("-reference_date").values("population")[:1])
