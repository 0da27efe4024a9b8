"""The main menu is worked out once per role and kind of site (apps/accounts/navigation.py),
and each viewer still gets their own: the role's entries, the finance role's outlook, and the
current page marked."""

import re

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def _menu(client, path: str = "/") -> list[str]:  # type: ignore[no-untyped-def]
    html = client.get(path).content.decode()
    nav = html.split('<nav id="main-menu"', 1)[1].split("</nav>", 1)[0]
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<a [^>]*>(.*?)</a>", nav)]


def test_each_role_has_its_own_menu_and_the_finance_role_sees_the_outlook(
    portal, site_client
) -> None:
    staff = site_client("ichinomiya", "ichinomiya_staff")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    vendor = site_client(None, "vendor_a")
    body_menu = ["ホーム", "サービスを探す", "申込", "契約", "共同運営", "ニーズ調査", "請求書"]
    assert _menu(staff) == [*body_menu, "研修", "API"]
    assert _menu(admin) == [*body_menu, "予算の見通し", "研修", "職員管理", "外部人材", "API"]
    assert _menu(vendor) == [
        "ホーム",
        "掲載サービス",
        "募集",
        "申込",
        "契約",
        "請求書",
        "入金消込",
        "振込先",
        "事業者情報",
        "API",
    ]
    with schema_context(portal.bodies["ichinomiya"].schema_name):
        user = User.objects.get(pk=portal.users["ichinomiya_staff"].pk)
        user.finance_role = True
        user.save(update_fields=["finance_role"])
    assert _menu(staff) == [*body_menu, "予算の見通し", "研修", "API"]


def test_the_current_page_is_marked_in_each_viewer_s_menu(site_client) -> None:
    staff = site_client("ichinomiya", "ichinomiya_staff")
    for path, label in (("/catalog/", "サービスを探す"), ("/contracts/", "契約")):
        html = staff.get(path).content.decode()
        nav = html.split('<nav id="main-menu"', 1)[1].split("</nav>", 1)[0]
        current = re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', nav)
        assert [c.strip() for c in current] == [label]
