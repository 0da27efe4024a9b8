"""The body a host serves and a body's population are read through Redis (apps/tenants/
cache.py) and are never stale: a change to a body, a domain or a figure shows on the next
request."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.tenants.models import Body, Domain, PopulationFigure
from apps.tenants.selectors import body_population

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


def test_a_changed_population_is_read_at_once(portal) -> None:
    body = Body.objects.get(code="232033")
    first = body_population(body=body)
    assert first is not None
    with CaptureQueriesContext(connection) as again:
        assert body_population(body=body) == first
    assert len(again.captured_queries) == 0  # from the cache

    figure = PopulationFigure.objects.get(pk=first.pk)
    figure.population += 1
    figure.save()
    changed = body_population(body=body)
    assert changed is not None
    assert changed.population == first.population + 1

    call_command("import_bodies", stdout=StringIO())  # restores it with bulk_update
    restored = body_population(body=body)
    assert restored is not None
    assert restored.population == first.population
