"""The body a host serves is read through Redis (apps/tenants/cache.py) and is never stale: a
change to a body or a domain shows on the next request."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.tenants.models import Body, Domain

pytestmark = pytest.mark.django_db


def _title(client: Client) -> str:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    return response.content.decode().split("<title>")[1].split("</title>")[0]


def test_the_second_request_needs_no_domain_query(portal) -> None:
    client = Client(HTTP_HOST="ichinomiya.localhost")
    with CaptureQueriesContext(connection) as first:
        _title(client)
    with CaptureQueriesContext(connection) as second:
        _title(client)
    assert sum("tenants_domain" in q["sql"] for q in first.captured_queries) == 1
    assert sum("tenants_domain" in q["sql"] for q in second.captured_queries) == 0


def test_a_renamed_body_shows_its_new_name_at_once(portal) -> None:
    client = Client(HTTP_HOST="ichinomiya.localhost")
    assert "| 一宮市 |" in _title(client)
    body = Body.objects.get(code="232033")
    body.name = "一宮市役所テスト"
    body.save()
    assert "| 一宮市役所テスト |" in _title(client)


def test_the_reference_import_refreshes_the_cached_body(portal) -> None:
    client = Client(HTTP_HOST="ichinomiya.localhost")
    Body.objects.filter(code="232033").update(name="旧一宮市")  # no signal, on purpose
    cache.clear()
    assert "| 旧一宮市 |" in _title(client)  # cached now
    call_command("import_bodies", stdout=StringIO())  # restores the name with bulk_update
    assert "| 一宮市 |" in _title(client)


def test_a_new_domain_works_at_once_and_a_removed_one_is_gone_at_once(portal) -> None:
    client = Client(HTTP_HOST="ichinomiya-second.localhost")
    assert client.get("/accounts/login/").status_code == 404  # nothing cached for it
    domain = Domain.objects.create(
        domain="ichinomiya-second.localhost",
        tenant=Body.objects.get(code="232033"),
        is_primary=False,
    )
    assert "| 一宮市 |" in _title(client)
    domain.delete()
    assert client.get("/accounts/login/").status_code == 404
