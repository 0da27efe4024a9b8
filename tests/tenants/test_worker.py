"""Provisioning through a real Celery worker process (Redis broker, the test database)."""

import pytest
from django_tenants.utils import schema_exists

from apps.tenants.models import Body, Domain
from apps.tenants.tasks import provision_bodies

pytestmark = [pytest.mark.worker, pytest.mark.django_db]


def test_a_worker_provisions_bodies_and_a_second_delivery_changes_nothing(
    celery_worker_process,
) -> None:
    # given two bodies without schemas (安城市, 西尾市)
    codes = ["232122", "232131"]
    assert not Body.objects.filter(code__in=codes, provisioned_at__isnull=False).exists()
    # when
    first = provision_bodies.delay(codes)
    # then
    assert first.get(timeout=60) == 2
    assert schema_exists("anjo")
    assert schema_exists("nishio")
    assert sorted(
        Domain.objects.filter(tenant__code__in=codes).values_list("domain", flat=True)
    ) == ["anjo.localhost", "nishio.localhost"]
    # a duplicate delivery of the same task provisions nothing more
    assert provision_bodies.delay(codes).get(timeout=60) == 0
    assert Domain.objects.filter(tenant__code__in=codes).count() == 2
    assert Body.objects.filter(code__in=codes, provisioned_at__isnull=False).count() == 2
