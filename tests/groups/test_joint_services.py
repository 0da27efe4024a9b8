"""Council joint services: the secretariat defines them with a budget, a method and who takes
part; members see the ones they take part in."""

from typing import Any

import pytest

from apps.groups.models import JointService, JointServiceYear, Participation
from tests.clock import FY, fy_month
from tests.contracts.test_contract_path import _json

YEAR = {
    "total_cost_yen": 12_000_000,
    "method": "population",
    "equal_part": "0.2",
    "doubling_factor": "1.5",
    "population_source": "census-2020",
    "prorate_by_month": True,
}

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
        f"/api/v1/joint-services/{service['id']}/years/{FY}/",
        {
            **YEAR,
            "participants": [
                {"body_code": "230006"},
                {"body_code": "232033", "joined_month": fy_month(10).isoformat()},
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
            "joined_month": fy_month(10).isoformat(),
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


def _rows() -> Any:
    """Every field of every joint service year and participation."""
    return (
        list(JointServiceYear.objects.order_by("pk").values()),
        list(Participation.objects.order_by("pk").values()),
    )


def test_participants_must_be_members_and_bad_input_changes_nothing(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    service_id, _ = _define(client, portal.groups["council"].pk)
    url = f"/api/v1/joint-services/{service_id}/years/{FY}/"
    before = _rows()
    # one participant that is not a member (札幌市): the whole PUT is refused, the year too
    code, error = _json(
        client,
        "put",
        url,
        {**YEAR, "total_cost_yen": 1, "participants": [{"body_code": "011002"}]},
    )
    assert (code, error["error"]["code"]) == (400, "invalid_participants")
    assert "011002" in error["error"]["fields"]["participants"][0]
    assert _rows() == before
    # a PUT replaces the whole year: leaving out a field is an error, never a reset to 0
    code, error = _json(
        client, "put", url, {"total_cost_yen": 1, "participants": [{"body_code": "230006"}]}
    )
    assert (code, error["error"]["code"]) == (400, "invalid")
    assert set(error["error"]["fields"]) == {
        "method",
        "equal_part",
        "doubling_factor",
        "population_source",
        "prorate_by_month",
    }
    assert _rows() == before
    code, error = _json(client, "put", url, {**YEAR, "equal_part": "1.5", "participants": []})
    assert (code, list(error["error"]["fields"])) == (400, ["equal_part"])
    # PATCH with a bad participant: nothing, not even the total, changes
    code, error = _json(
        client, "patch", url, {"total_cost_yen": 5, "participants": [{"body_code": "011002"}]}
    )
    assert (code, error["error"]["code"]) == (400, "invalid_participants")
    assert _rows() == before
    # a year that does not exist yet is not created by a refused PUT
    code, _ = _json(
        client,
        "put",
        f"/api/v1/joint-services/{service_id}/years/{FY + 1}/",
        {**YEAR, "participants": [{"body_code": "011002"}]},
    )
    assert code == 400
    assert _rows() == before
    # PATCH changes only what it names
    code, year = _json(client, "patch", url, {"total_cost_yen": 13_000_000})
    assert code == 200
    assert (year["total_cost_yen"], year["equal_part"], len(year["participants"])) == (
        13_000_000,
        "0.2000",
        2,
    )
    years, participations = _rows()
    assert [{**y, "total_cost_yen": 12_000_000} for y in years] == before[0]
    assert participations == before[1]


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
