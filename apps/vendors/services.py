from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import Role, User
from apps.accounts.viewer import Viewer
from apps.core.errors import ApplicationError, NotFound
from apps.core.services import audit_record
from apps.vendors.models import Vendor, VendorStaff
from apps.vendors.selectors import vendor_get

CONTACT_FIELDS = ("address", "contact_name", "contact_email", "contact_phone")


def _validated(vendor: Vendor, fields: list[str] | None = None) -> None:
    try:
        vendor.full_clean(
            exclude=None
            if fields is None
            else [f.name for f in Vendor._meta.fields if f.name not in fields]
        )
    except ValidationError as exc:
        raise ApplicationError(
            "事業者情報に誤りがあります。各項目のメッセージを確認してください。",
            "invalid_vendor",
            fields=exc.message_dict,
        ) from exc


@transaction.atomic
def vendor_create(
    *,
    viewer: Viewer,
    name: str,
    corporate_number: str,
    invoice_registration_number: str,
    **contact: str,
) -> Vendor:
    viewer.require_operator()
    vendor = Vendor(
        name=name,
        corporate_number=corporate_number,
        invoice_registration_number=invoice_registration_number,
        **{k: v for k, v in contact.items() if k in CONTACT_FIELDS},
    )
    _validated(vendor)
    vendor.save()
    audit_record(actor=viewer.actor, action="vendor.created", target=vendor, data={"name": name})
    return vendor


@transaction.atomic
def vendor_update_contact(*, viewer: Viewer, vendor_id: int, data: dict[str, str]) -> Vendor:
    """A vendor's staff (or the operator) update its contact details; anyone else: 404."""
    vendor = Vendor.objects.select_for_update().get(
        pk=vendor_get(viewer=viewer, vendor_id=vendor_id).pk
    )
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ApplicationError(
            "変更できない項目が含まれています。",
            "field_not_editable",
            fields={k: ["not editable"] for k in sorted(unknown)},
        )
    changed = {k: v for k, v in data.items() if getattr(vendor, k) != v}
    for k, v in changed.items():
        setattr(vendor, k, v)
    _validated(vendor, list(CONTACT_FIELDS))
    if changed:
        vendor.save(update_fields=list(changed))
        audit_record(
            actor=viewer.user,
            action="vendor.contact_updated",
            target=vendor,
            data={"fields": sorted(changed)},
        )
    return vendor


@transaction.atomic
def vendor_staff_add(*, viewer: Viewer, vendor_id: int, user_id: int) -> VendorStaff:
    """The operator makes a vendor user one of a vendor's staff."""
    viewer.require_operator()
    vendor = Vendor.objects.filter(pk=vendor_id).first()
    user = User.objects.filter(pk=user_id).first()
    if vendor is None or user is None:
        raise NotFound("事業者か利用者が見つかりません。", "not_found")
    if user.role != Role.VENDOR:
        raise ApplicationError(
            "事業者の役割を持つ利用者だけを担当者にできます。", "not_vendor_user"
        )
    staff, created = VendorStaff.objects.get_or_create(user=user, defaults={"vendor": vendor})
    if staff.vendor_id != vendor.pk:
        raise ApplicationError("この利用者は別の事業者の担当者です。", "staff_of_other_vendor")
    if created:
        audit_record(
            actor=viewer.actor,
            action="vendor_staff.added",
            target=staff,
            data={"vendor": vendor.pk, "user": user.pk},
        )
    return staff
