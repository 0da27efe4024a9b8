"""POST /api/v1/apportionment/preview: the secretariat's what-if, nothing saved."""

from decimal import Decimal

import pytest
from django.test import Client

from apps.core.models import AuditEvent
from tests.contracts.test_contract_path import _json

pytestmark = pytest.mark.django_db
URL = "/api/v1/apportionment/preview"


def test_preview_splits_the_total_exactly(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    events = AuditEvent.objects.count()
    code, body = _json(
        client,
        "post",
        URL,
        {
            "total_yen": 120000000,
            "equal_part": "0",
            "doubling_factor": "1.5",
            "members": [
                {"code": "232033", "population": 379981, "months": 12},
                {"code": "232017", "population": 372134, "months": 12},
                {"code": "075469", "population": 0, "months": 12},
            ],
        },
    )
    assert code == 200
    assert body["total_yen"] == 120_000_000
    assert [(s["code"], s["amount_yen"]) for s in body["shares"]] == [
        ("075469", 0),
        ("232017", 59_633_808),
        ("232033", 60_366_192),
    ]
    assert sum(s["amount_yen"] for s in body["shares"]) == 120_000_000
    share = body["shares"][2]
    assert set(share) == {"code", "amount_yen", "weight", "raw_share"}
    assert share["raw_share"].startswith("60366192.16286665218677968126789")
    assert "E" not in share["weight"]
    assert AuditEvent.objects.count() == events  # nothing saved


def test_usage_and_fixed_members(portal, site_client) -> None:
    client = site_client(None, "aichi_secretariat")
    code, body = _json(
        client,
        "post",
        URL,
        {
            "total_yen": 1000,
            "members": [
                {"code": "A", "usage": 1},
                {"code": "B", "usage": 3},
                {"code": "C", "fixed_yen": 200},
            ],
        },
    )
    assert code == 200
    assert [(s["code"], s["amount_yen"]) for s in body["shares"]] == [
        ("A", 200),
        ("B", 600),
        ("C", 200),
    ]


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"total_yen": 100, "members": []}, "no_members", "members"),
        (
            {"total_yen": -5, "members": [{"code": "A", "population": 1}]},
            "negative_total",
            "total_yen",
        ),
        (
            {"total_yen": 100, "members": [{"code": "A", "population": 1, "months": 13}]},
            "invalid_months",
            "members[0].months",
        ),
        (
            {"total_yen": 100, "members": [{"code": "A", "population": 0}]},
            "all_weights_zero",
            "members",
        ),
        (
            {"total_yen": 100, "doubling_factor": "1", "members": [{"code": "A", "population": 1}]},
            "invalid_doubling_factor",
            "doubling_factor",
        ),
        (
            {
                "total_yen": 100,
                "members": [{"code": "A", "fixed_yen": 101}, {"code": "B", "population": 1}],
            },
            "fixed_over_total",
            "members",
        ),
        ({"total_yen": "lots", "members": []}, "invalid", "total_yen"),
        (
            {"total_yen": 100, "members": [{"code": "A", "population": "many"}]},
            "invalid_member",
            "members[0].population",
        ),
        (
            {
                "total_yen": 100,
                "members": [{"code": "A", "population": 1}, {"code": "B", "usage": 1}],
            },
            "mixed_basis",
            "members",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(portal, site_client, payload, code, field) -> None:
    status, body = _json(site_client(None, "aichi_secretariat"), "post", URL, payload)
    assert status == 400
    assert body["error"]["code"] == code
    assert field in body["error"]["fields"]
    assert field in body["error"]["message"] or code == "invalid"


def test_only_the_secretariat_may_run_it(portal, site_client) -> None:
    payload = {"total_yen": 100, "members": [{"code": "A", "population": 1}]}
    assert _json(site_client(None, "vendor_a"), "post", URL, payload)[0] == 403
    assert _json(site_client("ichinomiya", "ichinomiya_admin"), "post", URL, payload)[0] == 404
    anonymous = Client(HTTP_HOST="localhost").post(URL, payload, content_type="application/json")
    assert anonymous.status_code == 401
    assert _json(site_client(None, "operator"), "post", URL, payload)[0] == 200


def test_the_body_is_json_whatever_the_codes(portal, site_client) -> None:  # type: ignore[no-untyped-def]
    """The response is written directly (apis._preview_json): codes with quotes, backslashes
    and Japanese come back as sent, and every number is plain digits."""
    codes = ['A"1', "B\\2", "東京都の区", "C</script>"]
    status, body = _json(
        site_client(None, "aichi_secretariat"),
        "post",
        URL,
        {
            "total_yen": 1_000_000,
            "equal_part": "0.5",
            "members": [{"code": c, "population": 10 ** (n + 1)} for n, c in enumerate(codes)],
        },
    )
    assert status == 200
    assert body["total_yen"] == 1_000_000
    assert [s["code"] for s in body["shares"]] == sorted(codes)
    assert sum(s["amount_yen"] for s in body["shares"]) == 1_000_000
    for s in body["shares"]:
        assert "E" not in s["weight"]
        assert "E" not in s["raw_share"]
        assert abs(Decimal(s["raw_share"]) - s["amount_yen"]) < 1


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ({"code": "232033", "population": 379981}, ("232033", 379981, None, 12, None)),
        ({"population": 5, "code": "A"}, ("A", 5, None, 12, None)),
        ({"code": "A", "usage": 3}, ("A", None, 3, 12, None)),  # two keys, not the usual two
        ({"code": "A", "population": True}, None),  # a bool is not a population
        ({"code": "A", "population": "5"}, None),
        ({"code": " A", "population": 5}, None),
        ({"code": "", "population": 5}, None),
        ({"code": "A" * 21, "population": 5}, None),
        ({"code": "A\n", "population": 5}, None),
        ({"code": "A", "population": 10**12}, None),
        ({"code": "A", "other": 5}, None),
    ],
)
def test_the_usual_member_is_checked_without_a_serializer(raw, plain) -> None:  # type: ignore[no-untyped-def]
    """apis._plain_member: a code and a population are the Member the serializer would make;
    anything it does not accept as it is goes to the serializer (None), which names the error."""
    from apps.invoicing.apis import _plain_member
    from apps.invoicing.domain.apportionment import Member

    got = _plain_member(raw)
    if plain is None:
        assert got is None
    else:
        assert type(got) is Member
        assert got == Member(*plain)
        assert got.months == 12
