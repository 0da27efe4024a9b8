"""The two bare views: 20 rows read from PostgreSQL (the reference of the pages and APIs), and one
row locked and one inserted in a transaction (the reference of a training application)."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

TABLES = """
CREATE TABLE IF NOT EXISTS bench_bare_slot (id integer PRIMARY KEY, taken integer NOT NULL);
CREATE TABLE IF NOT EXISTS bench_bare_seat (
    id bigserial PRIMARY KEY, slot_id integer NOT NULL REFERENCES bench_bare_slot (id),
    client text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO bench_bare_slot VALUES (1, 0) ON CONFLICT DO NOTHING;
"""


def rows(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, summary FROM catalog_listing ORDER BY id LIMIT 20")
        return JsonResponse({"rows": cursor.fetchall()})


@csrf_exempt
def lock_insert(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT taken FROM bench_bare_slot WHERE id = 1 FOR UPDATE")
        cursor.execute(
            "INSERT INTO bench_bare_seat (slot_id, client) VALUES (1, %s) RETURNING id",
            [request.headers.get("Authorization", "")],
        )
        (seat_id,) = cursor.fetchone()
    return JsonResponse({"id": seat_id}, status=201)


urlpatterns = [path("rows/", rows), path("lock-insert/", lock_insert)]
