"""`field__any` (apps/core/lookups.py) finds exactly the rows `field__in` finds."""

import pytest

from apps.tenants.models import Body, PopulationFigure

pytestmark = pytest.mark.django_db


def test_any_finds_what_in_finds(portal) -> None:  # type: ignore[no-untyped-def]
    bodies = list(Body.objects.order_by("code")[:3])
    ids = [b.pk for b in bodies]
    codes = [b.code for b in bodies]

    def same(**lookup: object) -> list[int]:
        ((name, values),) = lookup.items()
        found = sorted(Body.objects.filter(**{f"{name}__any": values}).values_list("pk", flat=True))
        assert found == sorted(
            Body.objects.filter(**{f"{name}__in": values}).values_list("pk", flat=True)
        )
        return found

    assert same(pk=ids) == sorted(ids)
    assert same(code=codes) == sorted(ids)  # strings
    assert same(pk=[]) == []
    assert same(pk=[ids[0], ids[0]]) == [ids[0]]
    # through a foreign key, by name and by its column; a numeric string through the field
    figures = PopulationFigure.objects.filter(body__any=ids).values_list("body_id", flat=True)
    assert sorted(set(figures)) == sorted(ids)
    assert same(pk=[str(ids[1])]) == [ids[1]]
    assert sorted(
        PopulationFigure.objects.filter(body_id__any=ids).values_list("pk", flat=True)
    ) == sorted(PopulationFigure.objects.filter(body_id__in=ids).values_list("pk", flat=True))


def test_any_refuses_a_queryset(portal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError):
        list(Body.objects.filter(pk__any=Body.objects.values("pk")))
