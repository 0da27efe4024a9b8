from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.viewer import Viewer
from apps.core.errors import NotFound
from apps.vendors.models import Vendor


def vendor_list(*, viewer: Viewer) -> QuerySet[Vendor]:
    """A vendor's staff see their own vendor only; an operator sees all; nobody else any."""
    if viewer.is_operator:
        return Vendor.objects.all()
    if viewer.is_vendor:
        return Vendor.objects.filter(staff__user_id=viewer.user.pk)
    return Vendor.objects.none()


def vendor_get(*, viewer: Viewer, vendor_id: int) -> Vendor:
    vendor = vendor_list(viewer=viewer).filter(pk=vendor_id).first()
    if vendor is None:
        raise NotFound("この事業者は見つからないか、閲覧の権限がありません。", "vendor_not_found")
    return vendor


def vendor_of(*, viewer: Viewer) -> Vendor | None:
    return vendor_list(viewer=viewer).first() if viewer.is_vendor else None
