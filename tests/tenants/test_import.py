from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import AuditEvent
from apps.tenants.models import Body, PopulationFigure

pytestmark = pytest.mark.django_db


def test_the_session_import_holds_every_body_with_both_censuses(portal) -> None:
    assert Body.objects.count() == 1788
    assert PopulationFigure.objects.count() == 1788 * 2
    ichinomiya = Body.objects.get(code="232033")
    figures = list(
        ichinomiya.population_figures.order_by("reference_date").values_list(
            "source", "reference_date", "population"
        )
    )
    assert [(s, d.isoformat(), n) for s, d, n in figures] == [
        ("census-2020", "2020-10-01", 379981),
        ("census-2025", "2025-10-01", 368755),
    ]
    assert (ichinomiya.slug, ichinomiya.schema_name) == ("ichinomiya", "ichinomiya")


def test_running_the_import_again_changes_nothing(portal) -> None:
    # given
    before = list(Body.objects.order_by("code").values_list("code", "name", "slug", "schema_name"))
    events = AuditEvent.objects.count()
    out = StringIO()
    # when
    call_command("import_bodies", stdout=out)
    # then
    assert "1788 in the list, 0 created, 0 updated" in out.getvalue()
    assert "0 created, 0 updated" in out.getvalue().splitlines()[0].split(";")[1]
    assert (
        list(Body.objects.order_by("code").values_list("code", "name", "slug", "schema_name"))
        == before
    )
    assert PopulationFigure.objects.count() == 1788 * 2
    assert AuditEvent.objects.count() == events


def test_a_changed_name_is_updated_but_the_slug_stays(portal, tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[2] / "data" / "municipalities.csv"
    text = src.read_text(encoding="utf-8").replace(",一宮市,", ",いちのみや市,")
    path = tmp_path / "renamed.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_bodies", csv=str(path), stdout=out)
    assert "0 created, 1 updated" in out.getvalue()
    body = Body.objects.get(code="232033")
    assert (body.name, body.slug, body.schema_name) == ("いちのみや市", "ichinomiya", "ichinomiya")


def test_a_bad_check_digit_aborts_the_import_and_changes_nothing(portal, tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[2] / "data" / "municipalities.csv"
    text = src.read_text(encoding="utf-8").replace("232033,", "232034,", 1)
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="code '232034' has a wrong check digit"):
        call_command("import_bodies", csv=str(path))
    assert Body.objects.count() == 1788
    assert not Body.objects.filter(code="232034").exists()


def test_provisioning_an_unknown_code_is_refused(portal) -> None:
    with pytest.raises(CommandError, match="unknown body codes: 999999"):
        call_command("import_bodies", provision_codes="232033,999999", stdout=StringIO())
