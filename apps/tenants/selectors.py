"""Reads for bodies."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.tenants.models import Body, PopulationFigure, PopulationSource


def body_list(*, prefecture: str | None = None, provisioned: bool | None = None) -> QuerySet[Body]:
    qs = Body.objects.all()
    if prefecture:
        qs = qs.filter(prefecture=prefecture)
    if provisioned is not None:
        qs = qs.filter(provisioned_at__isnull=not provisioned)
    return qs.order_by("code")


def body_population(
    *, body: Body, source: str = PopulationSource.CENSUS_2020
) -> PopulationFigure | None:
    return (
        PopulationFigure.objects.filter(body=body, source=source)
        .order_by("-reference_date")
        .first()
    )
