"""Groups: a secretariat sees its own groups only; a body sees the groups it belongs to."""

import pytest

from apps.core.models import AuditEvent
from apps.groups.models import Membership

pytestmark = pytest.mark.django_db


def test_the_secretariat_home_lists_its_groups_with_member_counts(portal, site_client) -> None:
    response = site_client(None, "aichi_secretariat").get("/")
    assert response.status_code == 200
    groups = list(response.context["groups"])
    assert [(g.name, g.member_count) for g in groups] == [("テスト電子自治体協議会", 3)]


def test_the_secretariat_sees_its_groups_members(portal, site_client) -> None:
    group = portal.groups["council"]
    response = site_client(None, "aichi_secretariat").get(f"/api/v1/groups/{group.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert [(m["code"], m["population"]) for m in body["members"]] == [
        ("230006", 7546192),
        ("232017", 372134),
        ("232033", 379981),
    ]
    assert body["member_count"] == 3


def test_a_secretariat_cannot_see_another_group(portal, site_client) -> None:
    # given
    other = portal.groups["hokkaido"]
    client = site_client(None, "aichi_secretariat")
    memberships = Membership.objects.count()
    events = AuditEvent.objects.count()
    # when
    api = client.get(f"/api/v1/groups/{other.pk}/")
    page = client.get(f"/groups/{other.pk}/")
    listing = client.get("/api/v1/groups/")
    # then
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "group_not_found"
    assert page.status_code == 404
    assert [g["name"] for g in listing.json()] == ["テスト電子自治体協議会"]
    assert Membership.objects.count() == memberships
    assert AuditEvent.objects.count() == events


def test_a_body_sees_its_memberships_on_its_home(portal, site_client) -> None:
    response = site_client("ichinomiya", "ichinomiya_staff").get("/")
    assert [m.group.name for m in response.context["memberships"]] == ["テスト電子自治体協議会"]


def test_a_body_cannot_see_a_group_it_does_not_belong_to(portal, site_client) -> None:
    client = site_client("ichinomiya", "ichinomiya_staff")
    assert client.get(f"/groups/{portal.groups['hokkaido'].pk}/").status_code == 404
    assert client.get(f"/api/v1/groups/{portal.groups['hokkaido'].pk}/").status_code == 404
    assert client.get(f"/groups/{portal.groups['council'].pk}/").status_code == 200


def test_a_vendor_sees_no_groups(portal, site_client) -> None:
    client = site_client(None, "vendor_a")
    assert client.get("/api/v1/groups/").json() == []
    assert client.get(f"/groups/{portal.groups['council'].pk}/").status_code == 404


def test_anonymous_api_calls_get_a_json_401_or_403(portal) -> None:
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/api/v1/groups/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_set_up_services_are_the_operators(portal) -> None:
    """Groups, memberships, vendors and users are set up by the operator (or the platform's
    own commands): a secretariat or a vendor calling the same service is refused, and nothing
    is written."""
    from apps.accounts.viewer import Viewer, system_viewer
    from apps.core.errors import PermissionDenied
    from apps.groups.models import Group
    from apps.groups.services import group_create

    for key in ("aichi_secretariat", "vendor_a"):
        with pytest.raises(PermissionDenied) as err:
            group_create(
                viewer=Viewer(user=portal.users[key], body=None),
                name="勝手な協議会",
                kind="council",
                secretariat_code="232033",
            )
        assert err.value.code == "not_operator"
    operator = Viewer(user=portal.users["operator"], body=None)
    made = group_create(
        viewer=operator, name="運営者の協議会", kind="council", secretariat_code="232033"
    )
    assert made.secretariat.code == "232033"
    assert not Group.objects.filter(name="勝手な協議会").exists()
    assert system_viewer().actor is None
