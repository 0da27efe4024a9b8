import pytest

from apps.core.models import AuditEvent
from apps.vendors.models import Vendor

pytestmark = pytest.mark.django_db


def test_a_vendor_sees_its_own_profile(portal, site_client) -> None:
    vendor = portal.vendors["a"]
    response = site_client(None, "vendor_a").get(f"/api/v1/vendors/{vendor.pk}/")
    assert response.status_code == 200
    assert response.json()["invoice_registration_number"] == "T4180001234567"
    home = site_client(None, "vendor_a").get("/")
    assert home.context["vendor"] == vendor


def test_a_vendor_cannot_see_or_change_another_vendor(portal, site_client) -> None:
    other = portal.vendors["b"]
    client = site_client(None, "vendor_a")
    events = AuditEvent.objects.count()  # after the log-in, which is itself recorded
    assert client.get(f"/api/v1/vendors/{other.pk}/").status_code == 404
    patch = client.patch(
        f"/api/v1/vendors/{other.pk}/",
        {"contact_name": "乗っ取り"},
        content_type="application/json",
    )
    assert patch.status_code == 404
    assert patch.json()["error"]["code"] == "vendor_not_found"
    assert Vendor.objects.get(pk=other.pk).contact_name == ""
    assert AuditEvent.objects.count() == events


def test_a_vendor_updates_its_contact_and_the_change_is_recorded(portal, site_client) -> None:
    vendor = portal.vendors["a"]
    client = site_client(None, "vendor_a")
    response = client.patch(
        f"/api/v1/vendors/{vendor.pk}/",
        {"contact_phone": "052-000-0000"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Vendor.objects.get(pk=vendor.pk).contact_phone == "052-000-0000"
    event = AuditEvent.objects.get(action="vendor.contact_updated")
    assert event.data == {"fields": ["contact_phone"]}


def test_a_bad_email_is_refused_and_nothing_changes(portal, site_client) -> None:
    vendor = portal.vendors["a"]
    client = site_client(None, "vendor_a")
    response = client.patch(
        f"/api/v1/vendors/{vendor.pk}/",
        {"contact_email": "not-an-email"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["contact_email"]
    assert Vendor.objects.get(pk=vendor.pk).contact_email == "a@example.jp"


def test_the_profile_page_is_for_vendors_only(portal, site_client) -> None:
    assert site_client(None, "vendor_a").get("/vendor/").status_code == 200
    assert site_client(None, "aichi_secretariat").get("/vendor/").status_code == 403
    assert site_client("ichinomiya", "ichinomiya_staff").get("/vendor/").status_code == 404


def test_a_wrong_corporate_number_is_refused(portal) -> None:
    from apps.accounts.viewer import system_viewer
    from apps.core.errors import ApplicationError
    from apps.vendors.services import vendor_create

    with pytest.raises(ApplicationError) as err:
        vendor_create(
            viewer=system_viewer(),
            name="偽",
            corporate_number="5180001234567",
            invoice_registration_number="T5180001234567",
        )
    assert set(err.value.fields) == {"corporate_number", "invoice_registration_number"}
    assert not Vendor.objects.filter(name="偽").exists()
