"""apps/core/compiled.py: SQL built once per key gives what the ORM gives, reads the rule's
data when it runs (never what was true when it was built), and keeps each scope apart."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Model, Value
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.viewer import Viewer
from apps.core import compiled
from apps.core.compiled import CompiledRows, once
from apps.core.errors import NotFound
from apps.groups.models import Membership
from apps.training.models import Session
from apps.training.selectors import session_get
from tests.training.factories import session_for

pytestmark = pytest.mark.django_db


def _fields(obj: Model) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _locked(portal, slug: str, session: Session) -> Session:  # type: ignore[no-untyped-def]
    body = portal.bodies[slug]
    with schema_context(body.schema_name), transaction.atomic():
        viewer = Viewer(user=portal.users[f"{slug}_admin"], body=body)
        return session_get(viewer=viewer, session_id=session.pk, for_update=True)


def test_the_session_lock_is_the_orms_and_each_scope_its_own(portal) -> None:  # type: ignore[no-untyped-def]
    council = session_for(portal.groups["council"], title="情報セキュリティ研修")
    elsewhere = session_for(portal.groups["hokkaido"], title="北海道の研修")

    for _ in range(2):  # built, then run again as built
        got = _locked(portal, "ichinomiya", council)
        orm = Session.objects.select_related("programme").get(pk=council.pk)
        assert (_fields(got), _fields(got.programme)) == (_fields(orm), _fields(orm.programme))
    assert _locked(portal, "toyohashi", council).pk == council.pk
    with pytest.raises(NotFound):  # not a member of that group: another scope, refused
        _locked(portal, "ichinomiya", elsewhere)

    # the membership is read when the query runs: leaving the council refuses at once
    ichinomiya = Membership.objects.filter(body=portal.bodies["ichinomiya"])
    ichinomiya.update(left_on=timezone.localdate())
    with pytest.raises(NotFound):
        _locked(portal, "ichinomiya", council)
    assert _locked(portal, "toyohashi", council).pk == council.pk


def test_compiled_rows_refuse_what_they_cannot_build(portal) -> None:  # type: ignore[no-untyped-def]
    assert CompiledRows.of(Session.objects.none()).first() is None
    with pytest.raises(ValueError, match="columns of no model"):
        CompiledRows.of(Session.objects.annotate(extra=Value(1)))
    with pytest.raises(ValueError, match="one level deep"):
        CompiledRows.of(Session.objects.select_related("programme__group"))
    session = session_for(portal.groups["council"], title="研修")
    query = CompiledRows.of(Session.objects.filter(pk=session.pk))
    assert query.first().pk == session.pk
    assert query.first([0]) is None  # the same SQL, another id
    with pytest.raises(ValueError, match="parameters"):
        query.first([1, 2])


def test_once_builds_once_per_key_and_is_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(compiled, "_BUILT", {})
    monkeypatch.setattr(compiled, "LIMIT", 3)
    built: list[int] = []

    def make(n: int):  # type: ignore[no-untyped-def]
        return lambda: built.append(n) or n * 10

    assert [once(("k", n), make(n)) for n in (1, 2, 1, 2)] == [10, 20, 10, 20]
    assert built == [1, 2]
    once(("k", 3), make(3))
    once(("k", 4), make(4))  # full: emptied, then 4 kept
    assert list(compiled._BUILT) == [("k", 4)]
