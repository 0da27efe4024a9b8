"""Council joint services: the secretariat defines them with a budget, a method and who takes
part; members see the ones they take part in."""

import pytest

from apps.groups.models import JointService, JointServiceYear, Participation
from tests.contracts.test_contract_path import _json

pytestmark = pytest.mark.django_db


def _define(client, group_id: int) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code, service = _json(
        client,
        "post",
        "/api/v1/joint-services/",
        {"group_id": group_id, "name": "施設予約システム"},
    )
    assert code == 201, service
    code, year = _json(
        client,
        "put",
        f"/api/v1/joint-services/{service['id']}/years/2026/",
        {
            "total_cost_yen": 12_000_000,
            "method": "population",
            "equal_part": "0.2",
            "doubling_factor": "1.5",
            "population_source": "census-2020",
            "participants": [
                {"body_code": "230006"},
                {"body_code": "232033", "joined_month": "2026-10-01"},
            ],
        },
    )
    assert code == 200, year
    return service["id"], year


def test_the_secretariat_defines_a_service_year_and_participants(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    service_id, year = _define(client, portal.groups["council"].pk)
    assert (year["total_cost_yen"], year["equal_part"], year["doubling_factor"]) == (
        12_000_000,
        "0.2000",
        "1.5000",
    )
    assert year["participants"] == [
        {"body_code": "230006", "joined_month": None, "left_month": None, "usage_count": None},
        {
            "body_code": "232033",
            "joined_month": "2026-10-01",
            "left_month": None,
            "usage_count": None,
        },
    ]
    # a member that takes part sees it; one that does not, does not
    mine = _json(site_client("ichinomiya", "ichinomiya_staff"), "get", "/api/v1/joint-services/")
    assert [s["name"] for s in mine[1]] == ["施設予約システム"]
    assert (
        _json(site_client("toyohashi", "toyohashi_staff"), "get", "/api/v1/joint-services/")[1]
        == []
    )
    assert (
        _json(
            site_client("toyohashi", "toyohashi_staff"),
            "get",
            f"/api/v1/joint-services/{service_id}/",
        )[0]
        == 404
    )


def test_participants_must_be_members_and_bad_input_changes_nothing(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    service_id, _ = _define(client, portal.groups["council"].pk)
    before = list(Participation.objects.values_list("body__code", flat=True).order_by("body__code"))
    code, error = _json(
        client,
        "put",
        f"/api/v1/joint-services/{service_id}/years/2026/",
        {"total_cost_yen": 12_000_000, "participants": [{"body_code": "011002"}]},
    )  # 札幌市
    assert (code, error["error"]["code"]) == (400, "invalid_participants")
    assert "011002" in error["error"]["fields"]["participants"][0]
    code, error = _json(
        client,
        "put",
        f"/api/v1/joint-services/{service_id}/years/2026/",
        {"total_cost_yen": 12_000_000, "equal_part": "1.5"},
    )
    assert (code, error["error"]["code"]) == (400, "invalid_joint_service_year")
    after = list(Participation.objects.values_list("body__code", flat=True).order_by("body__code"))
    assert after == before == ["230006", "232033"]
    assert JointServiceYear.objects.get().total_cost_yen == 12_000_000


def test_joint_services_only_for_ones_own_council(portal, site_client) -> None:
    other = site_client(None, "hokkaido_secretariat")
    code, error = _json(
        other,
        "post",
        "/api/v1/joint-services/",
        {"group_id": portal.groups["council"].pk, "name": "x"},
    )
    assert (code, error["error"]["code"]) == (404, "group_not_found")
    # the Hokkaido group is a research group: no joint services there
    code, error = _json(
        other,
        "post",
        "/api/v1/joint-services/",
        {"group_id": portal.groups["hokkaido"].pk, "name": "x"},
    )
    assert (code, error["error"]["code"]) == (400, "not_a_council")
    assert JointService.objects.count() == 0
