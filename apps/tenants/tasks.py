from __future__ import annotations

from celery import shared_task

from apps.tenants.models import Body
from apps.tenants.provisioning import body_provision


@shared_task(name="tenants.provision_bodies", acks_late=True, soft_time_limit=600, time_limit=660)
def provision_bodies(codes: list[str]) -> int:
    """Provision the schemas of the given bodies. Idempotent: bodies that already have a schema
    are skipped, so a re-delivery after a crash finishes the work and repeats none of it."""
    bodies = list(Body.objects.filter(code__in=codes).order_by("code"))
    return len(body_provision(bodies=bodies).provisioned)
