import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_bodys_address_reaches_its_schema(portal, site_client) -> None:
    response = site_client("ichinomiya", "ichinomiya_staff").get("/")
    assert response.status_code == 200
    assert response.context["current_body"].code == "232033"
    assert "一宮市 ホーム" in response.content.decode()


def test_an_unknown_host_is_404(portal) -> None:
    response = Client(HTTP_HOST="nowhere.localhost").get("/")
    assert response.status_code == 404


def test_a_body_without_a_schema_has_no_site(portal) -> None:
    # 名古屋市 is in the reference list but not provisioned in the tests
    response = Client(HTTP_HOST="nagoya.localhost").get("/accounts/login/")
    assert response.status_code == 404


def test_the_public_site_is_served_on_the_base_domain(portal) -> None:
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    assert "自治体共同利用ポータル" in response.content.decode()


def test_a_body_site_does_not_serve_the_admin(portal, site_client) -> None:
    assert site_client("ichinomiya").get("/admin/").status_code == 404


def test_japanese_is_the_default_even_for_an_english_browser(portal) -> None:
    response = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/")
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    assert "<h1>ログイン</h1>" in response.content.decode()


def test_there_is_no_half_translated_english_mode(portal) -> None:
    client = Client(HTTP_HOST="localhost")
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 404
    client.cookies["django_language"] = "en"
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "ja"
    assert "<h1>ログイン</h1>" in response.content.decode()
    assert 'name="language"' not in response.content.decode()  # no switcher


def test_the_favicon_and_error_pages_speak_to_people(portal, site_client) -> None:
    icon = Client(HTTP_HOST="localhost").get("/favicon.ico")
    assert icon.status_code == 301
    assert icon["Location"].endswith("favicon.svg")
    missing = site_client("ichinomiya", "ichinomiya_staff").get("/invoices/999999/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "この請求書は見つからないか、閲覧の権限がありません。" in html
    assert "invoice_not_found" not in html  # codes are for API clients, not for people
    assert "favicon.svg" in html


def test_the_search_path_is_set_again_only_when_it_changes(portal) -> None:
    """apps/core/db: a tenant whose path is the one already set costs no SET; another path,
    or a rollback that undid the SET, does."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    body = portal.bodies["ichinomiya"]

    def path() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW search_path")
            return cursor.fetchone()[0]

    def set_then_roll_back() -> None:
        with transaction.atomic():
            connection.set_schema_to_public()
            path()  # SET inside the savepoint, then undone by its rollback
            raise RuntimeError

    connection.set_schema_to_public()
    path()
    with CaptureQueriesContext(connection) as sql:
        connection.set_schema_to_public()  # as the tenant middleware does on every request
        public = path()
        connection.set_schema_to_public()
        connection.set_tenant(body)
        first = path()
        connection.set_schema_to_public()
        connection.set_tenant(body)  # the same body's next request
        again = path()
        with pytest.raises(RuntimeError):
            set_then_roll_back()
        undone = path()
    assert (public, first, again, undone) == (
        "public",
        "ichinomiya, public",
        "ichinomiya, public",
        "public",
    )
    done = [q["sql"] for q in sql.captured_queries if not q["sql"].startswith("SHOW")]
    savepoint = done[1].removeprefix("SAVEPOINT ")
    assert done == [
        'SET search_path = "ichinomiya","public"',  # the same body again: no SET
        f"SAVEPOINT {savepoint}",
        'SET search_path = "public"',
        f"ROLLBACK TO SAVEPOINT {savepoint}",
        'SET search_path = "public"',  # the rollback undid it: set again
        f"RELEASE SAVEPOINT {savepoint}",
    ]


def test_shared_tables_send_no_set_until_a_body_table_is_read(portal) -> None:
    """apps/core/db.shared_tables: a query on tables of the public schema alone sends no SET
    (any path the connection has ends in public); the next query outside it does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.core.db import shared_tables
    from apps.invoicing.models import Invoice

    connection.set_tenant(portal.bodies["ichinomiya"])
    User.objects.exists()
    connection.set_tenant(portal.bodies["toyohashi"])
    with CaptureQueriesContext(connection) as sql:
        with shared_tables():
            Invoice.objects.exists()
        names = set(User.objects.values_list("username", flat=True))
    assert [q["sql"].split(" WHERE")[0].split(" LIMIT")[0] for q in sql.captured_queries] == [
        'SELECT 1 AS "a" FROM "invoicing_invoice"',
        'SET search_path = "toyohashi","public"',
        'SELECT "accounts_user"."username" AS "username" FROM "accounts_user" ORDER BY 1 ASC',
    ]
    assert portal.users["toyohashi_admin"].username in names
